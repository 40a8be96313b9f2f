import http from "node:http";
import net from "node:net";
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { eq, like } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as vendorWebhook from "@/app/api/webhooks/[kind]/[token]/[action]/route";
import * as smssyncSync from "@/app/api/webhooks/smssync/[token]/sync/route";
import * as externalWebhook from "@/app/c/ex/[token]/[action]/route";
import { db } from "@/db";
import { webhookEvents } from "@/db/schema/webhook-events";
import { createApiKey } from "@/lib/api-keys";
import { publicUrl } from "@/lib/env";
import { DRAIN_UP_TO_BYTES } from "@/lib/http/read-body";
import { saveVendorAccount } from "@/lib/vendors/accounts";
import { twilioSignature } from "@/lib/vendors/twilio/signature";
import { startApp, type RunningApp } from "../helpers/app";
import { ownerWithOrg } from "../helpers/fixtures";

/**
 * The web process answers vendors' webhooks, SMSsync and /c/ex straight off Node's request
 * (scripts/machine-lane.ts, vendorAnswerOf); Next.js would call the same routes' handlers with a
 * web Request. Each request here goes both ways, over HTTP to the app and to the route handler in
 * this process, and must get the same answer and leave the same stored request.
 */
let app: RunningApp;
const TWILIO = { accountSid: `AC${"c".repeat(32)}`, authToken: "l".repeat(32) };
const tokens: Record<string, string> = {};
let apiKey: string;

type Sent = { method: string; path: string; headers: Record<string, string>; body?: string | Buffer };
type Answer = { status: number; contentType: string | null; retryAfter: string | null; closes: boolean; body: string };

beforeAll(async () => {
  // Signatures cover PUBLIC_URL's spelling of the URL: the app gets this process's, so both check the same.
  app = await startApp({ PUBLIC_URL: publicUrl() });
  const { user, org } = await ownerWithOrg("Lane");
  const actor = { userId: user.id, label: "test" };
  apiKey = (await createApiKey({ orgId: org.id, name: "lane", createdBy: user.id, actorLabel: "test" })).key;
  for (const [kind, values] of [
    ["twilio", TWILIO],
    ["external", { sendUrl: "http://127.0.0.1:9/unused", number: "+250788123125" }],
    ["smssync", { secret: "phone-secret", number: "+250788123126" }],
  ] as const) {
    tokens[kind] = (await saveVendorAccount(org.id, actor, { kind, name: `Lane ${kind}`, values })).webhookToken;
  }
}, 180_000);

afterAll(async () => {
  agent.destroy();
  await app?.stop();
});

/** Kept-alive connections, so that an answer that closes its connection says so itself. */
const agent = new http.Agent({ keepAlive: true });

/** Over HTTP to the app, with exactly these headers (Node's client adds host, length or chunking, and connection). */
function overHttp(sent: Sent, chunks?: string[]): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.request(`${app.url}${sent.path}`, { method: sent.method, headers: sent.headers, agent }, (res) => {
      let body = "";
      res.setEncoding("utf8").on("data", (c: string) => (body += c));
      res.on("end", () =>
        resolve({
          status: res.statusCode!,
          contentType: res.headers["content-type"] ?? null,
          retryAfter: (res.headers["retry-after"] as string | undefined) ?? null,
          closes: res.headers.connection === "close",
          body,
        }),
      );
    });
    request.on("error", reject);
    if (chunks) for (const chunk of chunks) request.write(chunk);
    request.end(chunks ? undefined : sent.body);
  });
}

/** To the route handler Next.js would call, in this process. */
async function toHandler(sent: Sent, chunks?: string[]): Promise<Answer> {
  const { handler, params } = routeOf(sent.path, sent.method);
  const body = chunks
    ? new ReadableStream<Uint8Array>({
        start(controller) {
          for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk));
          controller.close();
        },
      })
    : sent.body;
  const init = { method: sent.method, headers: sent.headers, body, duplex: "half" } as RequestInit;
  const response = await handler(new Request(`${app.url}${sent.path}`, init), { params: Promise.resolve(params) });
  return {
    status: response.status,
    contentType: response.headers.get("content-type"),
    retryAfter: response.headers.get("retry-after"),
    closes: response.headers.get("connection") === "close",
    body: await response.text(),
  };
}

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
function routeOf(path: string, method: string): { handler: Handler; params: Record<string, string> } {
  const segments = path.split("?")[0]!.split("/").map(decodeURIComponent);
  const pick = (module: object) => (module as Record<string, Handler>)[method]!;
  if (segments[1] === "c") return { handler: pick(externalWebhook), params: { token: segments[3]!, action: segments[4]! } };
  if (segments[3] === "smssync" && segments[5] === "sync") return { handler: pick(smssyncSync), params: { token: segments[4]! } };
  return { handler: pick(vendorWebhook), params: { kind: segments[3]!, token: segments[4]!, action: segments[5]! } };
}

/** The stored request holding `marker`, as the worker will read it; the headers this test sent, not those Node's client adds. */
async function storedWith(marker: string, sentHeaders: Record<string, string>) {
  const rows = await db
    .select()
    .from(webhookEvents)
    .where(like(webhookEvents.body, `%${marker}%`));
  return rows.map((row) => ({
    action: row.action,
    method: row.method,
    url: row.url,
    body: row.body,
    headers: Object.fromEntries(
      Object.keys(sentHeaders).map((name) => [name.toLowerCase(), row.headers[name.toLowerCase()] ?? null]),
    ),
  }));
}

/** The request `make` builds for a fresh marker, sent over HTTP and then to the handler: each way's answer and stored request. */
async function bothWays(make: (marker: string) => Sent) {
  const answers: Answer[] = [];
  const stored: Awaited<ReturnType<typeof storedWith>>[] = [];
  for (const send of [overHttp, toHandler]) {
    const marker = `lane-${randomUUID()}`;
    const sent = make(marker);
    answers.push(await send(sent));
    stored.push(await storedWith(marker, sent.headers));
  }
  return { answers, stored };
}

function twilioInbound(marker: string, signed = true): Sent {
  const path = `/api/webhooks/twilio/${tokens.twilio}/inbound?src=lane`;
  const params = {
    MessageSid: `SM${randomUUID().replace(/-/g, "")}`,
    AccountSid: TWILIO.accountSid,
    From: "+14155550161",
    To: "+14155550100",
    Body: marker,
  };
  const headers: Record<string, string> = {
    "content-type": "application/x-www-form-urlencoded",
    "x-twilio-signature": signed ? twilioSignature(TWILIO.authToken, `${publicUrl()}${path}`, params) : "bm90LWEtc2lnbmF0dXJl",
  };
  return { method: "POST", path, headers, body: new URLSearchParams(params).toString() };
}

describe("the lane answers vendors as the route handlers do", () => {
  it("stores and answers a signed Twilio webhook, refuses a forged one, each the same both ways", async () => {
    for (const signed of [true, false]) {
      const { answers, stored } = await bothWays((marker) => twilioInbound(marker, signed));
      expect(answers[0]).toEqual(answers[1]);
      expect(answers[0]!.status).toBe(signed ? 200 : 403);
      // The same row but for the marker (and the signature that covers it).
      const [viaLane, viaHandler] = stored.map((rows) =>
        rows.map(({ body: _b, headers: { "x-twilio-signature": _s, ...headers }, ...row }) => ({ ...row, headers })),
      );
      expect(viaLane).toEqual(viaHandler);
      expect(viaLane).toHaveLength(signed ? 1 : 0);
      if (signed)
        expect(viaLane![0]).toMatchObject({
          method: "POST",
          url: `${publicUrl()}/api/webhooks/twilio/${tokens.twilio}/inbound?src=lane`,
        });
    }
  });

  it("reads a body as Request.text() does: a byte-order mark dropped, broken UTF-8 replaced", async () => {
    const { answers, stored } = await bothWays((marker) => ({
      method: "POST",
      path: `/c/ex/${tokens.external}/receive`,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      // A byte-order mark, then an é cut short (0xC3 without its second byte) before "+ok".
      body: Buffer.concat([
        Buffer.from(`\uFEFFfrom=%2B250788000001&text=${marker}+caf`),
        Buffer.from([0xc3]),
        Buffer.from("+ok"),
      ]),
    }));
    expect(answers[0]).toEqual(answers[1]);
    expect(answers[0]).toMatchObject({ status: 200, contentType: "application/json" });
    const bodies = stored.map((rows) => rows.map((row) => row.body.replace(/lane-[0-9a-f-]+/, "lane-…")));
    expect(bodies[0]).toEqual(bodies[1]);
    expect(bodies[0]).toEqual(["from=%2B250788000001&text=lane-…+caf\uFFFD+ok"]);
  });

  it("answers 413 to a body over 1 MB, declared or chunked, and closes the connection; 404 and SMSsync's refusal alike", async () => {
    const big = "x".repeat(1024 * 1024 + 1);
    const cases: [string, Sent, string[] | undefined][] = [
      ["declared", { ...twilioInbound("unused"), body: `Body=${big}` }, undefined],
      [
        "chunked",
        { ...twilioInbound("unused"), body: undefined },
        ["Body=", ...Array.from({ length: 17 }, () => "y".repeat(64 * 1024))],
      ],
      [
        "unknown action",
        { method: "POST", path: `/api/webhooks/twilio/${tokens.twilio}/nope`, headers: {}, body: "" },
        undefined,
      ],
      [
        "unknown token",
        { method: "POST", path: `/api/webhooks/twilio/not-an-account-token/inbound`, headers: {}, body: "" },
        undefined,
      ],
      [
        "SMSsync, wrong secret",
        {
          method: "POST",
          path: `/api/webhooks/smssync/${tokens.smssync}/sync`,
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: "secret=wrong&from=%2B250788000002&message=hi",
        },
        undefined,
      ],
    ];
    const viaLane = new Map<string, Answer>();
    for (const [label, sent, chunks] of cases) {
      viaLane.set(label, await overHttp(sent, chunks));
      expect([label, viaLane.get(label)]).toEqual([label, await toHandler(sent, chunks)]);
    }
    for (const label of ["declared", "chunked"])
      expect(viaLane.get(label)).toMatchObject({ status: 413, closes: true, body: "Request body too large." });
    expect(viaLane.get("SMSsync, wrong secret")!.body).toMatch(/"success":\s*false/);
    expect(await db.select().from(webhookEvents).where(eq(webhookEvents.action, "nope"))).toHaveLength(0);
  });

  const webhook = () => twilioInbound("unused");
  const restApi = (): Sent => ({
    method: "POST",
    path: "/api/v1/messages",
    headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
  });
  // Nine pieces: over the webhook's 1 MB; over the API's 64 KB, and past what the lane reads whole before the route sees it (256 KB).
  it.each([
    ["a vendor's webhook", "declared", webhook, 128 * 1024],
    ["a vendor's webhook", "chunked", webhook, 128 * 1024],
    ["the REST API", "declared", restApi, 40 * 1024],
    ["the REST API", "chunked", restApi, 40 * 1024],
  ] as const)(
    "lets a client still sending a body over %s's limit (%s) finish before its 413, so it hears the answer, not a broken pipe",
    async (_, framing, sent, pieceBytes) => {
      // Headers first, then the body in slow pieces: answered at once, the connection would close under the later pieces.
      const pieces = ["Body=", ...Array.from({ length: 9 }, () => "x".repeat(pieceBytes))];
      const length = framing === "chunked" ? "chunked" : pieces.join("").length;
      const started = Date.now();
      const exchange = await rawExchange(sent(), length, pieces, 25);
      expect(exchange.writeError).toBeUndefined();
      expect(exchange.answer).toMatch(/^HTTP\/1\.1 413 /);
      expect(exchange.answer).toMatch(/\r\nconnection: close\r\n/i);
      // Answered once the body was in, not after draining gave up (10 s).
      expect(Date.now() - started).toBeLessThan(5_000);
    },
  );

  it("lets a client still sending a body the REST API never reads (a wrong key) finish, and answers it 401 at once", async () => {
    // The client closes after this one request: a body read to the end leaves the connection open otherwise.
    const sent = restApi();
    sent.headers = { ...sent.headers, authorization: "Bearer sb_live_not-a-key", connection: "close" };
    const pieces = Array.from({ length: 9 }, () => "x".repeat(40 * 1024));
    const started = Date.now();
    const exchange = await rawExchange(sent, "chunked", pieces, 25);
    expect(exchange.writeError).toBeUndefined();
    expect(exchange.answer).toMatch(/^HTTP\/1\.1 401 /);
    // Answered once the body was in, not after draining gave up (10 s).
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("answers a body declared larger than it will drop at once, without waiting for it", async () => {
    const exchange = await rawExchange(twilioInbound("unused"), DRAIN_UP_TO_BYTES + 1, [], 0);
    expect(exchange.answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(exchange.answer).toContain("\r\n\r\n");
    expect(exchange.answer).toContain("Request body too large.");
  });
});

/**
 * Over a bare socket: the request line and headers with this Content-Length (or chunked), then each
 * piece `gapMs` apart (a chunk each), each write waited for. Returns everything the server sent until it closed, and the first
 * write that failed.
 */
function rawExchange(
  sent: Sent,
  length: number | "chunked",
  pieces: string[],
  gapMs: number,
): Promise<{ answer: string; writeError?: string }> {
  const { hostname, port } = new URL(app.url);
  const socket = net.connect(Number(port), hostname);
  let answer = "";
  let writeError: string | undefined;
  socket.setEncoding("utf8").on("data", (chunk: string) => (answer += chunk));
  socket.on("error", (error) => (writeError ??= error.message));
  const write = (data: string) =>
    new Promise<void>((resolve) => socket.write(data, (error) => resolve(void (error && (writeError ??= error.message)))));
  const closed = new Promise<void>((resolve) => socket.on("close", () => resolve()));
  return (async () => {
    await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
    const framing = length === "chunked" ? { "transfer-encoding": "chunked" } : { "content-length": String(length) };
    const headers = Object.entries({ ...sent.headers, host: hostname, ...framing });
    await write(`${sent.method} ${sent.path} HTTP/1.1\r\n${headers.map(([k, v]) => `${k}: ${v}\r\n`).join("")}\r\n`);
    for (const piece of pieces) {
      if (writeError) break;
      await sleep(gapMs);
      await write(length === "chunked" ? `${Buffer.byteLength(piece).toString(16)}\r\n${piece}\r\n` : piece);
    }
    if (length === "chunked" && !writeError) await write("0\r\n\r\n");
    await closed;
    return { answer, writeError };
  })();
}
