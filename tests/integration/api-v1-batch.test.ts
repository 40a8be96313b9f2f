import { and, count, eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db";
import { contacts } from "@/db/schema/contacts";
import { conversations } from "@/db/schema/conversations";
import { messages } from "@/db/schema/messages";
import { queueMessage } from "@/lib/messaging/send";
import { freePort, startApp, startWorker, type RunningApp, type RunningWorker } from "../helpers/app";
import { until } from "../helpers/sim-pipeline";
import { apiOrg, type ApiOrg } from "../helpers/api-org";

/**
 * POST /api/v1/messages/batch over HTTP against the production build, a real worker sending
 * through the fake vendor: the same rules as one message at a time, for up to 100 at once.
 */
type Answer = { status: number; json: any }; // eslint-disable-line @typescript-eslint/no-explicit-any

const A_NUMBERS = ["+14155550100", "+12125550100"];
let app: RunningApp;
let worker: RunningWorker;
let a: ApiOrg;
let b: ApiOrg;

async function batch(body: unknown, key = a.key): Promise<Answer> {
  const response = await fetch(`${app.url}/api/v1/messages/batch`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: typeof body === "string" || body instanceof ReadableStream ? body : JSON.stringify(body),
    duplex: "half",
  } as RequestInit);
  return { status: response.status, json: await response.json() };
}

async function messageCount(orgId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(messages).where(eq(messages.orgId, orgId));
  return row!.n;
}

beforeAll(async () => {
  a = await apiOrg("Batch A", A_NUMBERS);
  b = await apiOrg("Batch B", ["+13125550100"]);
  // The fake vendor reports deliveries to our webhooks at PUBLIC_URL: the app's own address.
  const port = await freePort();
  [app, worker] = await Promise.all([startApp({}, { port }), startWorker({ PUBLIC_URL: `http://127.0.0.1:${port}` })]);
});

afterAll(async () => {
  await Promise.all([worker?.stop(), app?.stop()]);
});

describe("POST /api/v1/messages/batch", () => {
  it("queues every message (202), each in its contact's conversation, and the worker delivers them all", async () => {
    const tos = ["+14155551001", "+14155551002", "+12125551003"];
    const answer = await batch({ messages: tos.map((to, i) => ({ to, body: `Roster week 49, part ${i}` })) });
    expect(answer.status).toBe(202);
    expect(answer.json).toMatchObject({ queued: 3, refused: 0 });
    expect(answer.json.data.map((d: { index: number; to: string; created: boolean }) => [d.index, d.to, d.created])).toEqual([
      [0, tos[0], true],
      [1, tos[1], true],
      [2, tos[2], true],
    ]);
    const ids = answer.json.data.map((d: { id: string }) => d.id);
    const delivered = await until(async () => {
      const rows = await db.select().from(messages).where(inArray(messages.id, ids));
      return rows.length === 3 && rows.every((r) => r.status === "DELIVERED") ? rows : null;
    }, "the batch DELIVERED");
    for (const row of delivered) {
      const [thread] = await db.select().from(conversations).where(eq(conversations.id, row.conversationId!));
      const [contact] = await db.select().from(contacts).where(eq(contacts.id, thread!.contactId));
      expect(contact!.e164).toBe(row.toE164);
      expect(thread!.ourE164).toBe(row.fromE164);
    }
  });

  it("chooses senders as one message at a time does: a local number, the thread's number, or the `from` given", async () => {
    // The contact already talks to us from the 415 number: a reply stays on it, though they are in 212.
    const { message: earlier } = await queueMessage(a.id, { to: "+12125552001", body: "Earlier", from: "+14155550100" });
    const answer = await batch({
      messages: [
        { to: "+12125552002", body: "Local number please" },
        { to: "+12125552001", body: "Same thread please" },
        { to: "+14155552003", body: "From the 212 number", from: "+12125550100" },
      ],
    });
    expect(answer.status).toBe(202);
    expect(answer.json.data.map((d: { from: string }) => d.from)).toEqual(["+12125550100", "+14155550100", "+12125550100"]);
    expect(answer.json.data[1].conversationId).toBe(earlier.conversationId);
  });

  it("answers an unread thread in place: the same contact and conversation, read, last word ours, moved to the top", async () => {
    const { message: earlier } = await queueMessage(a.id, { to: "+14155552101", body: "Can you cover Friday?" });
    const waiting = new Date(Date.now() - 3_600_000);
    await db
      .update(conversations)
      .set({ unread: true, lastDirection: "INBOUND", lastMessageAt: waiting })
      .where(eq(conversations.id, earlier.conversationId!));
    const [contactsBefore, threadsBefore] = await Promise.all([
      db.select({ n: count() }).from(contacts).where(eq(contacts.orgId, a.id)),
      db.select({ n: count() }).from(conversations).where(eq(conversations.orgId, a.id)),
    ]);
    const answer = await batch({
      messages: [
        { to: "+14155552101", body: "Yes, I can" },
        { to: "+14155552102", body: "New thread" },
      ],
    });
    expect(answer.status).toBe(202);
    expect(answer.json.data[0].conversationId).toBe(earlier.conversationId);
    const [thread] = await db.select().from(conversations).where(eq(conversations.id, earlier.conversationId!));
    expect(thread).toMatchObject({ unread: false, lastDirection: "OUTBOUND", phoneNumberId: expect.any(String) });
    expect(thread!.lastMessageAt.getTime()).toBeGreaterThan(waiting.getTime());
    const [contactsAfter, threadsAfter] = await Promise.all([
      db.select({ n: count() }).from(contacts).where(eq(contacts.orgId, a.id)),
      db.select({ n: count() }).from(conversations).where(eq(conversations.orgId, a.id)),
    ]);
    // Only the new recipient added a contact and a thread.
    expect([contactsAfter[0]!.n, threadsAfter[0]!.n]).toEqual([contactsBefore[0]!.n + 1, threadsBefore[0]!.n + 1]);
  });

  it("refuses only the message to an opted-out contact (207), with its reason, and queues the others", async () => {
    await db.insert(contacts).values({ orgId: a.id, e164: "+14155553002", optedOutAt: new Date() });
    const before = await messageCount(a.id);
    const answer = await batch({
      messages: [
        { to: "+14155553001", body: "Shift swap approved" },
        { to: "+14155553002", body: "Shift swap approved" },
        { to: "+14155553003", body: "Shift swap approved" },
      ],
    });
    expect(answer.status).toBe(207);
    expect(answer.json).toMatchObject({ queued: 2, refused: 1 });
    expect(answer.json.data[1]).toMatchObject({ index: 1, error: { code: "recipient_unavailable", field: "messages.1.to" } });
    expect(answer.json.data[1].error.message).toMatch(/opted out/);
    expect(answer.json.data[0].created).toBe(true);
    expect(answer.json.data[2].created).toBe(true);
    expect(await messageCount(a.id)).toBe(before + 2);
  });

  it.each([
    [
      "a number that is no number",
      {
        messages: [
          { to: "+14155554001", body: "ok" },
          { to: "banana", body: "x" },
        ],
      },
      "messages.1.to",
    ],
    ["an unknown property", { messages: [{ to: "+14155554001", message: "typo" }] }, "messages.0.message"],
    ["no messages", { messages: [] }, "messages"],
    [
      "more than 100",
      { messages: Array.from({ length: 101 }, (_, i) => ({ to: `+1415556${String(i).padStart(4, "0")}`, body: "x" })) },
      "messages",
    ],
    [
      "one key twice",
      {
        messages: [
          { to: "+14155554001", body: "a", idempotencyKey: "k1" },
          { to: "+14155554002", body: "b", idempotencyKey: "k1" },
        ],
      },
      "messages.1.idempotencyKey",
    ],
    ["a `from` that is not ours", { messages: [{ to: "+14155554001", body: "a", from: "+13125550100" }] }, "messages.0.from"],
  ])("refuses the whole batch for %s (422 naming the field) and writes nothing", async (_, body, field) => {
    const before = await messageCount(a.id);
    const answer = await batch(body);
    expect(answer.status).toBe(422);
    expect(answer.json.error).toMatchObject({ code: "invalid_request", field });
    expect(await messageCount(a.id)).toBe(before);
  });

  it("answers 404 for another org's vendor account, and writes nothing in either org", async () => {
    const [beforeA, beforeB] = [await messageCount(a.id), await messageCount(b.id)];
    const answer = await batch({ messages: [{ to: "+14155555001", body: "hi", vendorAccountId: b.accountId }] });
    expect(answer.status).toBe(404);
    expect(answer.json.error).toMatchObject({ code: "not_found", field: "messages.0.vendorAccountId" });
    expect([await messageCount(a.id), await messageCount(b.id)]).toEqual([beforeA, beforeB]);
  });

  it("replays a batch by its keys without sending again, and refuses a key reused for another text", async () => {
    const messagesWithKeys = [0, 1, 2].map((i) => ({ to: `+1415555600${i}`, body: `Offer ${i}`, idempotencyKey: `offer-${i}` }));
    const first = await batch({ messages: messagesWithKeys });
    expect(first.status).toBe(202);
    const before = await messageCount(a.id);
    const again = await batch({ messages: messagesWithKeys });
    expect(again.status).toBe(202);
    expect(again.json).toMatchObject({ queued: 0, refused: 0 });
    expect(again.json.data.map((d: { id: string }) => d.id)).toEqual(first.json.data.map((d: { id: string }) => d.id));
    expect(again.json.data.every((d: { created: boolean }) => !d.created)).toBe(true);
    const changed = await batch({ messages: [messagesWithKeys[0], { ...messagesWithKeys[1], body: "Another text" }] });
    expect(changed.status).toBe(207);
    expect(changed.json.data[1].error).toMatchObject({ code: "idempotency_conflict", field: "idempotencyKey" });
    expect(await messageCount(a.id)).toBe(before);
  });

  it("queues each message once when the same batch arrives twice at the same moment", async () => {
    const body = {
      messages: [0, 1, 2, 3].map((i) => ({ to: `+1415555700${i}`, body: `Race ${i}`, idempotencyKey: `race-${i}` })),
    };
    const before = await messageCount(a.id);
    const [one, two] = await Promise.all([batch(body), batch(body)]);
    expect([one.status, two.status]).toEqual([202, 202]);
    expect(one.json.data.map((d: { id: string }) => d.id)).toEqual(two.json.data.map((d: { id: string }) => d.id));
    expect(one.json.queued + two.json.queued).toBe(4);
    expect(await messageCount(a.id)).toBe(before + 4);
    const keyed = await db
      .select({ n: count() })
      .from(messages)
      .where(
        and(
          eq(messages.orgId, a.id),
          inArray(
            messages.idempotencyKey,
            [0, 1, 2, 3].map((i) => `api:race-${i}`),
          ),
        ),
      );
    expect(keyed[0]!.n).toBe(4);
    // One send job per message, and none for the rows the losing request did not write.
    const ids = one.json.data.map((d: { id: string }) => d.id);
    expect(await sendJobsFor(ids)).toEqual(Object.fromEntries(ids.map((id: string) => [id, 1])));
    expect(await orphanSendJobs()).toBe(0);
  });

  it("queues one send job per message written, keyed or not, and none again for a key repeated", async () => {
    const sent = await batch({
      messages: [
        { to: "+14155557101", body: "No key" },
        { to: "+14155557102", body: "Keyed", idempotencyKey: "jobs-1" },
        { to: "+14155557103", body: "No key either" },
      ],
    });
    expect(sent.status).toBe(202);
    const ids = sent.json.data.map((d: { id: string }) => d.id);
    expect(await sendJobsFor(ids)).toEqual(Object.fromEntries(ids.map((id: string) => [id, 1])));
    // The keyed one again: its message is found, not queued again.
    const again = await batch({ messages: [{ to: "+14155557102", body: "Keyed", idempotencyKey: "jobs-1" }] });
    expect(again.json.data[0].id).toBe(ids[1]);
    expect(await sendJobsFor([ids[1]])).toEqual({ [ids[1]]: 1 });
    expect(await orphanSendJobs()).toBe(0);
  });

  it("takes a full batch of 100 long messages (over the 64 KB of one message's body) and refuses a body over 1 MB", async () => {
    const long = "Shift notice. ".repeat(110);
    const full = await batch({
      messages: Array.from({ length: 100 }, (_, i) => ({ to: `+1415558${String(i).padStart(4, "0")}`, body: long })),
    });
    expect(full.status).toBe(202);
    expect(full.json.queued).toBe(100);
    // The same sent chunked, with no length to go by: the body streams to the route (scripts/machine-lane.ts) and is read whole.
    const text = JSON.stringify({
      messages: Array.from({ length: 100 }, (_, i) => ({ to: `+1415557${String(i).padStart(4, "0")}`, body: long })),
    });
    const pieces = text.match(/[\s\S]{1,16384}/g)!;
    const streamed = await batch(
      new ReadableStream<Uint8Array>({
        pull(controller) {
          const piece = pieces.shift();
          if (piece === undefined) controller.close();
          else controller.enqueue(new TextEncoder().encode(piece));
        },
      }),
    );
    expect(streamed.status).toBe(202);
    expect(streamed.json.queued).toBe(100);
    const huge = await batch(JSON.stringify({ messages: [{ to: "+14155559000", body: "x".repeat(1024 * 1024) }] }));
    expect(huge.status).toBe(413);
    expect(huge.json.error.code).toBe("payload_too_large");
  });
});

/** pg-boss's send jobs (any state) per message id. */
async function sendJobsFor(ids: string[]): Promise<Record<string, number>> {
  const rows = await db.execute<{ id: string; n: number }>(sql`
    select data->>'messageId' as id, count(*)::int as n from pgboss.job
    where name = 'send-message' and data->>'messageId' in ${ids} group by 1`);
  return Object.fromEntries(rows.map((r) => [r.id, r.n]));
}

/** Send jobs whose message does not exist: a job queued for a row that was never written. */
async function orphanSendJobs(): Promise<number> {
  const [row] = await db.execute<{ n: number }>(sql`
    select count(*)::int as n from pgboss.job j
    where j.name = 'send-message' and not exists (select 1 from messages m where m.id = (j.data->>'messageId')::uuid)`);
  return row!.n;
}
