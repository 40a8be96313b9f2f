import http from "node:http";
import zlib from "node:zlib";
import { createHmac } from "node:crypto";
import type { ChildProcess } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { and, count, eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db";
import { apiKeys } from "@/db/schema/api-keys";
import { contacts } from "@/db/schema/contacts";
import { conversations } from "@/db/schema/conversations";
import { messages } from "@/db/schema/messages";
import { otpCodes } from "@/db/schema/otp-codes";
import { vendorAccounts } from "@/db/schema/vendor-accounts";
import { createApiKey, revokeApiKey } from "@/lib/api-keys";
import { queueMessage } from "@/lib/messaging/send";
import { spawnTs, startApp, stopProcess, type RunningApp } from "../helpers/app";
import { PASSWORD } from "../helpers/fixtures";
import { HttpSession } from "../helpers/http-session";
import { until } from "../helpers/sim-pipeline";
import { apiOrg, type ApiOrg } from "../helpers/api-org";

/** The public REST API over HTTP against the production build, with a real worker delivering through the fake vendor. */
type Answer = { status: number; headers: Headers; json: any }; // eslint-disable-line @typescript-eslint/no-explicit-any

let app: RunningApp;
let worker: ChildProcess;
let a: ApiOrg;
let b: ApiOrg;

async function api(
  pathname: string,
  options: {
    method?: string;
    body?: unknown;
    raw?: BodyInit;
    key?: string | null;
    headers?: Record<string, string>;
    base?: string;
  } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  const key = options.key === undefined ? a.key : options.key;
  if (key) headers.authorization = `Bearer ${key}`;
  let body = options.raw;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers["content-type"] ??= "application/json";
  }
  const init: RequestInit & { duplex?: "half" } = {
    method: options.method ?? (body === undefined ? "GET" : "POST"),
    headers,
    body,
  };
  if (body instanceof ReadableStream) init.duplex = "half";
  const response = await fetch(`${options.base ?? app.url}/api/v1${pathname}`, init);
  const text = await response.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: response.status, headers: response.headers, json };
}

async function rowCounts(orgId: string) {
  const [[m], [c], [o]] = await Promise.all([
    db.select({ n: count() }).from(messages).where(eq(messages.orgId, orgId)),
    db.select({ n: count() }).from(contacts).where(eq(contacts.orgId, orgId)),
    db.select({ n: count() }).from(otpCodes).where(eq(otpCodes.orgId, orgId)),
  ]);
  return { messages: m!.n, contacts: c!.n, otpCodes: o!.n };
}

async function postFakeInbound(org: ApiOrg, to: string, from: string, body: string): Promise<Response> {
  const [account] = await db
    .select()
    .from(vendorAccounts)
    .where(and(eq(vendorAccounts.orgId, org.id), eq(vendorAccounts.id, org.accountId)));
  const payload = JSON.stringify({ id: `IN${Date.now()}${Math.random()}`, from, to, body });
  const signature = createHmac("sha256", account!.webhookToken).update(payload).digest("hex");
  return fetch(`${app.url}/api/webhooks/fake/${account!.webhookToken}/inbound`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-fake-signature": signature },
    body: payload,
  });
}

async function otpCodeSentTo(messageId: string): Promise<string> {
  const [row] = await db.select({ body: messages.body }).from(messages).where(eq(messages.id, messageId));
  expect(row!.body).toMatch(/^Your onetime password is: \d+$/);
  return row!.body.replace("Your onetime password is: ", "");
}

beforeAll(async () => {
  // Generous limits here; the rate limit has its own instances below.
  app = await startApp({ API_RATE_PER_SECOND: "500", API_RATE_BURST: "1000" });
  worker = spawnTs("workers/run.ts", [], { PUBLIC_URL: app.url });
  a = await apiOrg("Roster", ["+14155550100", "+12125550100"]);
  b = await apiOrg("Other", ["+13105550100"]);
});

afterAll(async () => {
  if (worker) await stopProcess(worker);
  await app?.stop();
});

describe("authentication", () => {
  it("answers 401 without a key, with an unknown key, and with a revoked key", async () => {
    const revoked = await createApiKey({ orgId: a.id, name: "old", createdBy: a.userId, actorLabel: "test" });
    await revokeApiKey(a.id, revoked.id, a.userId);
    for (const key of [null, "sb_live_not-a-real-key", "nonsense", revoked.key]) {
      const answer = await api("/conversations", { key });
      expect(answer.status, String(key)).toBe(401);
      expect(answer.json).toMatchObject({ error: { code: "unauthorized", field: null } });
      expect(answer.headers.get("www-authenticate")).toContain("Bearer");
    }
    const basic = await api("/conversations", {
      key: null,
      headers: { authorization: `Basic ${Buffer.from("x:y").toString("base64")}` },
    });
    expect(basic.status).toBe(401);
  });

  it("accepts Bearer and X-Api-Key, and marks the key used", async () => {
    expect((await api("/conversations")).status).toBe(200);
    expect((await api("/conversations", { key: null, headers: { "x-api-key": b.key } })).status).toBe(200);
    const [row] = await db.select({ lastUsedAt: apiKeys.lastUsedAt }).from(apiKeys).where(eq(apiKeys.id, b.keyId));
    expect(row!.lastUsedAt).not.toBeNull();
  });
});

describe("POST /messages", () => {
  it("queues (202), then GET shows it delivered", async () => {
    const sent = await api("/messages", { body: { to: "(415) 555-0123", body: "Your roster for next week is ready." } });
    expect(sent.status).toBe(202);
    expect(sent.json).toMatchObject({
      status: "QUEUED",
      to: "+14155550123",
      from: "+14155550100",
      segments: 1,
      encoding: "GSM7",
      created: true,
    });
    expect(sent.json.id).toMatch(/^[0-9a-f-]{36}$/);
    const delivered = await until(async () => {
      const got = await api(`/messages/${sent.json.id}`);
      return got.json.status === "DELIVERED" ? got : null;
    }, "delivery");
    expect(delivered.status).toBe(200);
    expect(delivered.json).toMatchObject({
      id: sent.json.id,
      direction: "OUTBOUND",
      to: "+14155550123",
      from: "+14155550100",
      body: "Your roster for next week is ready.",
      errorCode: null,
      conversationId: sent.json.conversationId,
    });
    expect(delivered.json.vendorMessageId).toMatch(/^FK/);
    expect(delivered.json.sentAt).not.toBeNull();
    expect(delivered.json.deliveredAt).not.toBeNull();
  });

  it("counts UCS-2 segments", async () => {
    const sent = await api("/messages", { body: { to: "+14155550124", body: "Shift swapped ✅ ".repeat(5) } });
    expect(sent.json).toMatchObject({ encoding: "UCS2", segments: 2 });
  });

  it("returns the same message for the same idempotency key and writes one row", async () => {
    const input = { to: "+14155550125", body: "Shift offer #1", idempotencyKey: "offer-1" };
    const first = await api("/messages", { body: input });
    const second = await api("/messages", { body: input });
    expect(first.status).toBe(202);
    expect(second.status).toBe(200);
    expect(second.json).toMatchObject({ id: first.json.id, created: false });
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    const viaHeader = await api("/messages", {
      body: { to: input.to, body: input.body },
      headers: { "idempotency-key": "offer-1" },
    });
    expect(viaHeader.json.id).toBe(first.json.id);
    const rows = await db
      .select()
      .from(messages)
      .where(and(eq(messages.orgId, a.id), eq(messages.body, "Shift offer #1")));
    expect(rows).toHaveLength(1);
  });

  it("sends once when retries race", async () => {
    const input = { to: "+14155550126", body: "Shift offer #2", idempotencyKey: "offer-2" };
    const answers = await Promise.all(Array.from({ length: 8 }, () => api("/messages", { body: input })));
    expect(new Set(answers.map((r) => r.json.id)).size).toBe(1);
    expect(answers.filter((r) => r.status === 202)).toHaveLength(1);
    expect(answers.filter((r) => r.status === 200)).toHaveLength(7);
    const rows = await db
      .select()
      .from(messages)
      .where(and(eq(messages.orgId, a.id), eq(messages.body, "Shift offer #2")));
    expect(rows).toHaveLength(1);
  });

  it("refuses a reused idempotency key for a different message", async () => {
    await api("/messages", { body: { to: "+14155550127", body: "Offer A", idempotencyKey: "offer-3" } });
    const before = await rowCounts(a.id);
    const reused = await api("/messages", { body: { to: "+14155550127", body: "Offer B", idempotencyKey: "offer-3" } });
    expect(reused.status).toBe(409);
    expect(reused.json.error).toMatchObject({ code: "idempotency_conflict", field: "idempotencyKey" });
    expect(await rowCounts(a.id)).toEqual(before);
  });

  const unknownAccount = "7a1f0c2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b";
  it.each([
    ["an invalid number", { to: "12345", body: "hi" }, 422, "to"],
    ["a number with letters", { to: "call me maybe", body: "hi" }, 422, "to"],
    ["a missing number", { body: "hi" }, 422, "to"],
    ["an empty body", { to: "+14155550130", body: "" }, 422, "body"],
    ["a blank body", { to: "+14155550130", body: "   " }, 422, "body"],
    ["a 1601-character body", { to: "+14155550130", body: "x".repeat(1601) }, 422, "body"],
    ["a non-http media URL", { to: "+14155550130", body: "hi", mediaUrls: ["ftp://example.com/a.png"] }, 422, "mediaUrls.0"],
    [
      "a media URL that is no URL",
      { to: "+14155550130", body: "hi", mediaUrls: ["https://ok.example/a.png", "nope"] },
      422,
      "mediaUrls.1",
    ],
    ["media that is not a list", { to: "+14155550130", body: "hi", mediaUrls: "https://example.com/a.png" }, 422, "mediaUrls"],
    [
      "eleven media URLs",
      { to: "+14155550130", body: "hi", mediaUrls: Array.from({ length: 11 }, (_, i) => `https://example.com/${i}.png`) },
      422,
      "mediaUrls",
    ],
    ["an unknown vendor account", { to: "+14155550130", body: "hi", vendorAccountId: unknownAccount }, 404, "vendorAccountId"],
    ["a vendor account id that is no uuid", { to: "+14155550130", body: "hi", vendorAccountId: "abc" }, 404, "vendorAccountId"],
    ["another org's vendor account", { to: "+14155550130", body: "hi", vendorAccountId: "B" }, 404, "vendorAccountId"],
    ["a from number that is not ours", { to: "+14155550130", body: "hi", from: "+14155559999" }, 422, "from"],
    ["a number as a number", { to: 4155550130, body: "hi" }, 422, "to"],
    ["a body as a number", { to: "+14155550130", body: 5 }, 422, "body"],
    ["an unknown property", { to: "+14155550130", message: "hi" }, 422, "message"],
    ["an empty idempotency key", { to: "+14155550130", body: "hi", idempotencyKey: "" }, 422, "idempotencyKey"],
    ["an array", [], 422, null],
  ])("refuses %s, names the field, and writes nothing", async (_name, input, status, field) => {
    const body =
      !Array.isArray(input) && "vendorAccountId" in input && input.vendorAccountId === "B"
        ? { ...input, vendorAccountId: b.accountId }
        : input;
    const before = await rowCounts(a.id);
    const answer = await api("/messages", { body });
    expect(answer.status).toBe(status);
    expect(answer.json.error).toMatchObject({ field });
    expect(typeof answer.json.error.message).toBe("string");
    expect(await rowCounts(a.id)).toEqual(before);
  });

  it("answers malformed, mistyped and oversized bodies with 400, 415 and 413", async () => {
    const before = await rowCounts(a.id);
    const malformed = await api("/messages", {
      raw: '{"to": "+14155550130", "body": ',
      headers: { "content-type": "application/json" },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.json.error.code).toBe("invalid_json");
    const empty = await api("/messages", { raw: "", headers: { "content-type": "application/json" } });
    expect(empty.status).toBe(400);
    const text = await api("/messages", {
      raw: JSON.stringify({ to: "+14155550130", body: "hi" }),
      headers: { "content-type": "text/plain" },
    });
    expect(text.status).toBe(415);
    expect(text.json.error.code).toBe("unsupported_media_type");
    const huge = await api("/messages", { body: { to: "+14155550130", body: "x".repeat(100 * 1024) } });
    expect(huge.status).toBe(413);
    expect(huge.json.error.code).toBe("payload_too_large");
    // Chunked, with no Content-Length to go by: the cap still holds while reading.
    const chunk = new TextEncoder().encode("x".repeat(16 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 10) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const chunked = await api("/messages", { raw: stream, headers: { "content-type": "application/json" } });
    expect(chunked.status).toBe(413);
    expect(await rowCounts(a.id)).toEqual(before);
  });

  it("refuses an opted-out contact with 409", async () => {
    await db.insert(contacts).values({ orgId: a.id, e164: "+14155550131", optedOutAt: new Date() });
    const before = await rowCounts(a.id);
    const answer = await api("/messages", { body: { to: "+14155550131", body: "Shift tomorrow?" } });
    expect(answer.status).toBe(409);
    expect(answer.json.error).toMatchObject({ code: "recipient_unavailable", field: "to" });
    expect(answer.json.error.message).toMatch(/opted out/);
    expect(await rowCounts(a.id)).toEqual(before);
  });
});

describe("tenancy", () => {
  it("answers 404 for another org's message and conversation, and for ids that are no uuid", async () => {
    const sent = await api("/messages", { body: { to: "+14155550132", body: "A's message" } });
    expect((await api(`/messages/${sent.json.id}`)).status).toBe(200);
    expect((await api(`/conversations/${sent.json.conversationId}/messages`)).status).toBe(200);
    const message = await api(`/messages/${sent.json.id}`, { key: b.key });
    expect(message.status).toBe(404);
    expect(message.json.error.code).toBe("not_found");
    expect(JSON.stringify(message.json)).not.toContain("A's message");
    expect((await api(`/conversations/${sent.json.conversationId}/messages`, { key: b.key })).status).toBe(404);
    for (const id of ["not-a-uuid", "00000000-0000-0000-0000-000000000000", "%27%20or%201%3D1"]) {
      expect((await api(`/messages/${id}`)).status, id).toBe(404);
      expect((await api(`/conversations/${id}/messages`)).status, id).toBe(404);
    }
    const bList = await api("/conversations?limit=100", { key: b.key });
    expect(bList.json.data.map((c: { id: string }) => c.id)).not.toContain(sent.json.conversationId);
  });
});

describe("GET /conversations", () => {
  it("walks every page once, with no duplicates or gaps, through ties in time", async () => {
    const c = await apiOrg("Pages", ["+14155550100"]);
    for (let i = 0; i < 17; i++) await queueMessage(c.id, { to: `+1415555${String(2000 + i)}`, body: `Hello ${i}` });
    const all = await db.select({ id: conversations.id }).from(conversations).where(eq(conversations.orgId, c.id));
    expect(all).toHaveLength(17);
    // Four threads at one instant and three a microsecond apart: a millisecond cursor would skip or repeat them.
    const ids = all.map((row) => row.id);
    await db
      .update(conversations)
      .set({ lastMessageAt: sql`'2030-01-01T00:00:00.000100Z'::timestamptz` })
      .where(inArray(conversations.id, ids.slice(0, 4)));
    for (const [i, id] of ids.slice(4, 7).entries()) {
      await db
        .update(conversations)
        .set({ lastMessageAt: sql`${`2030-01-01T00:00:00.00020${i}Z`}::timestamptz` })
        .where(eq(conversations.id, id));
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Answer = await api(`/conversations?limit=3${cursor ? `&cursor=${cursor}` : ""}`, { key: c.key });
      expect(page.status).toBe(200);
      expect(page.json.data.length).toBeLessThanOrEqual(3);
      seen.push(...page.json.data.map((item: { id: string }) => item.id));
      expect(page.json.hasMore).toBe(page.json.nextCursor !== null);
      cursor = page.json.nextCursor;
      pages++;
    } while (cursor && pages < 20);
    expect(pages).toBe(6);
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual([...ids].sort());
    const times = (
      await db
        .select({
          id: conversations.id,
          at: sql<string>`to_char(${conversations.lastMessageAt} at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')`,
        })
        .from(conversations)
        .where(eq(conversations.orgId, c.id))
    )
      .sort((x, y) => (x.at === y.at ? (x.id < y.id ? -1 : 1) : x.at < y.at ? 1 : -1))
      .map((row) => row.id);
    expect(seen).toEqual(times);
    const first = (await api("/conversations?limit=1", { key: c.key })).json.data[0];
    expect(first).toMatchObject({
      contact: { e164: expect.stringMatching(/^\+1415555/), optedOut: false },
      ourNumber: "+14155550100",
      preview: { direction: "OUTBOUND" },
    });
  });

  it.each([
    ["limit=0", "limit"],
    ["limit=101", "limit"],
    ["limit=abc", "limit"],
    ["cursor=garbage", "cursor"],
    [`cursor=${Buffer.from("2030-01-01|x").toString("base64url")}`, "cursor"],
  ])("refuses ?%s with 422 naming the field", async (query, field) => {
    const answer = await api(`/conversations?${query}`);
    expect(answer.status).toBe(422);
    expect(answer.json.error).toMatchObject({ code: "invalid_request", field });
  });
});

describe("a shift offer and its reply", () => {
  it("shows the contact's YES in the conversation's messages", async () => {
    const offer = await api("/messages", {
      body: { to: "+14155550140", body: "Shift offer: Sat 9-5 at Bondi. Reply YES to accept.", idempotencyKey: "offer-77" },
    });
    expect(offer.status).toBe(202);
    await until(async () => (await api(`/messages/${offer.json.id}`)).json.status === "DELIVERED", "delivery");
    expect((await postFakeInbound(a, offer.json.from, "+14155550140", "YES")).status).toBe(200);
    const replies = await until(async () => {
      const page = await api(`/conversations/${offer.json.conversationId}/messages?direction=inbound`);
      return page.json.data.length > 0 ? page : null;
    }, "the reply");
    expect(replies.json.data).toHaveLength(1);
    expect(replies.json.data[0]).toMatchObject({
      direction: "INBOUND",
      status: "RECEIVED",
      body: "YES",
      from: "+14155550140",
      to: offer.json.from,
    });
    const thread = await api(`/conversations/${offer.json.conversationId}/messages`);
    expect(thread.json.data.map((m: { body: string }) => m.body)).toEqual([
      "YES",
      "Shift offer: Sat 9-5 at Bondi. Reply YES to accept.",
    ]);
    const older = await api(`/conversations/${offer.json.conversationId}/messages?limit=1`);
    expect(older.json.data[0].body).toBe("YES");
    const rest = await api(`/conversations/${offer.json.conversationId}/messages?limit=1&cursor=${older.json.nextCursor}`);
    expect(rest.json.data[0].id).toBe(offer.json.id);
    expect(rest.json).toMatchObject({ hasMore: false, nextCursor: null });
    const list = await api("/conversations?limit=100");
    const conversation = list.json.data.find((c: { id: string }) => c.id === offer.json.conversationId);
    expect(conversation).toMatchObject({
      unread: true,
      lastDirection: "INBOUND",
      preview: { body: "YES", direction: "INBOUND" },
    });
  });
});

describe("one-time passcodes", () => {
  it("sends the fixed format, stores only a hash, and verifies once", async () => {
    const sent = await api("/otp", { body: { to: "(415) 555-0150" } });
    expect(sent.status).toBe(202);
    expect(sent.json).toMatchObject({ to: "+14155550150" });
    expect(new Date(sent.json.expiresAt).getTime() - Date.now()).toBeGreaterThan(590_000);
    const [message] = await db.select().from(messages).where(eq(messages.id, sent.json.messageId));
    expect(message!.body).toMatch(/^Your onetime password is: \d{6}$/);
    const code = await otpCodeSentTo(sent.json.messageId);
    expect(JSON.stringify(sent.json)).not.toContain(code);
    const readBack = await api(`/messages/${sent.json.messageId}`);
    expect(readBack.json.body).toBe("Your onetime password is: ••••••");
    const [row] = await db.select().from(otpCodes).where(eq(otpCodes.id, sent.json.id));
    expect(row).toMatchObject({
      orgId: a.id,
      e164: "+14155550150",
      messageId: sent.json.messageId,
      apiKeyId: a.keyId,
      attempts: 0,
      verifiedAt: null,
    });
    expect(row!.codeHash).not.toContain(code);
    const wrongCode = code === "000000" ? "111111" : "000000";
    const wrong = await api("/otp/verify", { body: { to: "+14155550150", code: wrongCode } });
    expect(wrong.status).toBe(422);
    expect(wrong.json.error).toMatchObject({ code: "invalid_code", field: "code", remainingAttempts: 4 });
    const ok = await api("/otp/verify", { body: { to: "4155550150", code } });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ verified: true, to: "+14155550150" });
    const again = await api("/otp/verify", { body: { to: "+14155550150", code } });
    expect(again.status).toBe(410);
    expect(again.json.error.code).toBe("already_verified");
  });

  it("runs out of attempts", async () => {
    const sent = await api("/otp", { body: { to: "+14155550151", length: 8 } });
    const code = await otpCodeSentTo(sent.json.messageId);
    expect(code).toMatch(/^\d{8}$/);
    const wrongCode = code === "00000000" ? "11111111" : "00000000";
    const remaining: number[] = [];
    for (let i = 0; i < 5; i++)
      remaining.push((await api("/otp/verify", { body: { to: "+14155550151", code: wrongCode } })).json.error.remainingAttempts);
    expect(remaining).toEqual([4, 3, 2, 1, 0]);
    const late = await api("/otp/verify", { body: { to: "+14155550151", code } });
    expect(late.status).toBe(410);
    expect(late.json.error.code).toBe("too_many_attempts");
  });

  it("refuses an expired code, and counts only the newest code", async () => {
    const first = await api("/otp", { body: { to: "+14155550152", ttlSeconds: 60 } });
    const firstCode = await otpCodeSentTo(first.json.messageId);
    await db
      .update(otpCodes)
      .set({ expiresAt: sql`now() - interval '1 second'` })
      .where(eq(otpCodes.id, first.json.id));
    const expired = await api("/otp/verify", { body: { to: "+14155550152", code: firstCode } });
    expect(expired.status).toBe(410);
    expect(expired.json.error.code).toBe("expired");
    const older = await api("/otp", { body: { to: "+14155550152" } });
    const newer = await api("/otp", { body: { to: "+14155550152" } });
    const olderCode = await otpCodeSentTo(older.json.messageId);
    const newerCode = await otpCodeSentTo(newer.json.messageId);
    if (olderCode !== newerCode)
      expect((await api("/otp/verify", { body: { to: "+14155550152", code: olderCode } })).status).toBe(422);
    expect((await api("/otp/verify", { body: { to: "+14155550152", code: newerCode } })).status).toBe(200);
  });

  it("verifies a code once when guesses race", async () => {
    const sent = await api("/otp", { body: { to: "+14155550153" } });
    const code = await otpCodeSentTo(sent.json.messageId);
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => api("/otp/verify", { body: { to: "+14155550153", code } })),
    );
    expect(answers.filter((r) => r.status === 200)).toHaveLength(1);
    expect(answers.filter((r) => r.status === 410)).toHaveLength(5);
  });

  it("limits codes per number", async () => {
    for (let i = 0; i < 5; i++) expect((await api("/otp", { body: { to: "+14155550154" } })).status).toBe(202);
    const before = await rowCounts(a.id);
    const sixth = await api("/otp", { body: { to: "+14155550154" } });
    expect(sixth.status).toBe(429);
    expect(sixth.json.error).toMatchObject({ code: "too_many_codes", field: "to" });
    expect(Number(sixth.headers.get("retry-after"))).toBeGreaterThan(500);
    expect(await rowCounts(a.id)).toEqual(before);
  });

  it.each([
    ["/otp", { to: "+1415" }, 422, "to"],
    ["/otp", { to: "+14155550155", length: 3 }, 422, "length"],
    ["/otp", { to: "+14155550155", length: "6" }, 422, "length"],
    ["/otp", { to: "+14155550155", ttlSeconds: 10 }, 422, "ttlSeconds"],
    ["/otp", { to: "+14155550131" }, 409, "to"],
    ["/otp/verify", { to: "+14155550155", code: "12ab" }, 422, "code"],
    ["/otp/verify", { to: "+14155550155", code: 123456 }, 422, "code"],
    ["/otp/verify", { to: "+14155550156", code: "123456" }, 404, "to"],
  ])("%s refuses %j, naming the field, writing nothing", async (pathname, body, status, field) => {
    const before = await rowCounts(a.id);
    const answer = await api(pathname, { body });
    expect(answer.status).toBe(status);
    expect(answer.json.error.field).toBe(field);
    expect(await rowCounts(a.id)).toEqual(before);
  });
});

describe("rate limit", () => {
  it("answers 429 with Retry-After past the burst, across two web processes", async () => {
    const limited = { API_RATE_PER_SECOND: "2", API_RATE_BURST: "2" };
    const [one, two] = await Promise.all([startApp(limited), startApp(limited)]);
    try {
      const { key } = await createApiKey({ orgId: a.id, name: "hammer", createdBy: a.userId, actorLabel: "test" });
      const answers = await Promise.all(
        Array.from({ length: 8 }, (_, i) => api("/conversations?limit=1", { key, base: (i % 2 ? one : two).url })),
      );
      const ok = answers.filter((r) => r.status === 200);
      const refused = answers.filter((r) => r.status === 429);
      expect(ok.length).toBeGreaterThanOrEqual(2);
      expect(ok.length).toBeLessThanOrEqual(3);
      expect(refused.length).toBe(8 - ok.length);
      expect(refused[0]!.json.error).toMatchObject({ code: "rate_limited", field: null });
      const retryAfter = Number(refused[0]!.headers.get("retry-after"));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      await new Promise((r) => setTimeout(r, retryAfter * 1000));
      expect((await api("/conversations?limit=1", { key, base: one.url })).status).toBe(200);
    } finally {
      await Promise.all([one.stop(), two.stop()]);
    }
  });
});

describe("the OpenAPI document and the docs page", () => {
  it("answers unknown endpoints with the API's JSON 404", async () => {
    for (const [method, pathname] of [
      ["GET", "/nope"],
      ["POST", "/messages/x/y"],
      ["DELETE", "/otp/verify/again"],
    ] as const) {
      const answer = await api(pathname, { method, key: null });
      expect(answer.status, pathname).toBe(404);
      expect(answer.json.error.code).toBe("not_found");
    }
  });

  it("is public, valid JSON, and describes every route with resolvable schemas", async () => {
    const response = await fetch(`${app.url}/api/v1/openapi.json`);
    expect(response.status).toBe(200);
    const doc = (await response.json()) as {
      openapi: string;
      servers: { url: string }[];
      paths: Record<string, Record<string, unknown>>;
      components: { schemas: Record<string, unknown>; securitySchemes: Record<string, { scheme: string }> };
    };
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.servers[0]!.url).toMatch(/\/api\/v1$/);
    expect(doc.components.securitySchemes.bearerAuth!.scheme).toBe("bearer");
    const routes = routeFiles(path.resolve("app/api/v1"))
      .map((file) => `/${path.relative(path.resolve("app/api/v1"), path.dirname(file))}`.replace(/\[(\w+)\]/g, "{$1}"))
      .filter((route) => route !== "/openapi.json" && !route.includes("[..."));
    expect(Object.keys(doc.paths).sort()).toEqual(routes.sort());
    const refs = [...JSON.stringify(doc.paths).matchAll(/"\$ref":"#\/components\/schemas\/(\w+)"/g)].map((m) => m[1]!);
    for (const ref of refs) expect(doc.components.schemas, ref).toHaveProperty(ref);
    expect(doc.components.schemas).toHaveProperty("SendMessageRequest.properties.body.maxLength", 1600);
    expect(doc.components.schemas).toHaveProperty("SendMessageRequest.additionalProperties", false);
    expect(doc.components.schemas).toHaveProperty("Error.properties.error.properties.field");
  });

  it("is gzipped for a client that accepts it, as Next.js compresses its own pages, and small answers are not", async () => {
    const raw = (pathname: string, acceptEncoding: string) =>
      new Promise<{ encoding: string | undefined; vary: string | undefined; body: Buffer }>((resolve, reject) => {
        http
          .get(`${app.url}${pathname}`, { headers: { "accept-encoding": acceptEncoding } }, (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (chunk: Buffer) => chunks.push(chunk));
            res.on("end", () =>
              resolve({ encoding: res.headers["content-encoding"], vary: res.headers.vary, body: Buffer.concat(chunks) }),
            );
          })
          .on("error", reject);
      });
    const plain = await raw("/api/v1/openapi.json", "identity");
    expect(plain.encoding).toBeUndefined();
    expect(plain.body.length).toBeGreaterThan(1024);
    const zipped = await raw("/api/v1/openapi.json", "br;q=1.0, gzip;q=0.8");
    expect([zipped.encoding, zipped.vary]).toEqual(["gzip", "Accept-Encoding"]);
    expect(zlib.gunzipSync(zipped.body).equals(plain.body)).toBe(true);
    expect(zipped.body.length).toBeLessThan(plain.body.length / 3);
    expect((await raw("/api/v1/openapi.json", "gzip;q=0, deflate")).encoding).toBeUndefined();
    expect((await raw("/api/v1/openapi.json", "*")).encoding).toBe("gzip");
    expect((await raw("/login", "gzip")).encoding).toBe("gzip");
    const small = await raw("/api/v1/messages/not-a-message", "gzip");
    expect([small.encoding, small.body.length < 1024]).toEqual([undefined, true]);
  });

  it("renders the reference for the org's owner", async () => {
    const session = await HttpSession.signIn(app.url, a.email, PASSWORD);
    const page = await session.request(`/${a.slug}/api-keys/docs`);
    expect(page.status).toBe(200);
    const html = await page.text();
    for (const text of [
      "API reference",
      "/api/v1/messages",
      "/api/v1/otp/verify",
      "Authorization: Bearer $SWITCHBOARD_API_KEY",
      "idempotency_conflict",
    ]) {
      expect(html, text).toContain(text);
    }
    expect(await (await session.request(`/${a.slug}/api-keys`)).text()).toContain(`/${a.slug}/api-keys/docs`);
  });
});

function routeFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) return routeFiles(full);
    return entry === "route.ts" ? [full] : [];
  });
}
