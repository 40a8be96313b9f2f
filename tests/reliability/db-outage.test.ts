import { setTimeout as sleep } from "node:timers/promises";
import { randomBytes } from "node:crypto";
import { and, count, eq, isNull, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db";
import { messages } from "@/db/schema/messages";
import { webhookEvents } from "@/db/schema/webhook-events";
import { addNumber } from "@/lib/numbers";
import { saveVendorAccount } from "@/lib/vendors/accounts";
import { twilioSignature } from "@/sim/signatures";
import { freePort, startApp, startWorker, type RunningApp, type RunningWorker } from "../helpers/app";
import { CrashablePostgres } from "../helpers/crashable-postgres";
import { ownerWithOrg } from "../helpers/fixtures";

/**
 * Issue 9: PostgreSQL dies (immediate shutdown, as a crash) while Twilio is posting inbound
 * texts from several connections at once. Vendors must read every answer correctly: 2xx only
 * for what is stored, 503 with Retry-After for what is not (so they retry), never a 4xx, a hang
 * or a dropped connection. What was acknowledged survives the crash exactly once, the retries
 * fill in the rest, and the app and a worker carry on once the database is back, unrestarted.
 *
 * The suite's server cannot be stopped, so this file runs its own embedded PostgreSQL on a
 * fixed port and points the app, the worker and this process's pool (DATABASE_URL) at it.
 */
const TWILIO = { accountSid: `AC${"0d".repeat(16)}`, authToken: "9a8b7c6d5e4f30211203f4e5d6c7b8a9" };
const OUR_NUMBER = "+14155550100";
const SENDERS = 6;
const BEFORE_MS = 3_000;
const OUTAGE_MS = 4_000;
const AFTER_MS = 4_000;
/** Longer than any answer may take: a vendor gives up on a request after about this long. */
const ANSWER_BOUND_MS = 10_000;

type Answer = {
  sid: string;
  startedAt: number;
  endedAt: number;
  status: number | null;
  retryAfter: string | null;
  error?: string;
};

let pg: CrashablePostgres | undefined;
let app: RunningApp | undefined;
let worker: RunningWorker | undefined;
let webhookUrl: string;
let accountId: string;
/** Every MessageSid the first test sent, for the second. */
const sent: string[] = [];

beforeAll(async () => {
  pg = await CrashablePostgres.open("outage", "tcp");
  const { user, org } = await ownerWithOrg("Outage");
  const actor = { userId: user.id, label: "test" };
  // Nothing may leave the machine: a send the worker might attempt goes to a closed loopback port.
  const closed = "http://127.0.0.1:9";
  const account = await saveVendorAccount(org.id, actor, {
    kind: "twilio",
    name: "Twilio",
    values: { ...TWILIO, apiBaseUrl: closed, messagingBaseUrl: closed, lookupBaseUrl: closed },
  });
  await addNumber(org.id, actor, { vendorAccountId: account.id, e164: OUR_NUMBER });
  accountId = account.id;

  const appPort = await freePort();
  const publicUrl = `http://127.0.0.1:${appPort}`;
  webhookUrl = `${publicUrl}/api/webhooks/twilio/${account.webhookToken}/inbound`;
  app = await startApp({ DATABASE_URL: pg.databaseUrl, PUBLIC_URL: publicUrl }, { port: appPort });
  worker = await startWorker({ DATABASE_URL: pg.databaseUrl, PUBLIC_URL: publicUrl });
}, 120_000);

afterAll(async () => {
  // In order, each step whatever the last did: processes off the database, then the database.
  await Promise.allSettled([worker?.stop(), app?.stop()]);
  await pg?.close();
});

describe("PostgreSQL stops during webhook load", () => {
  it("answers 503 while it is down, loses nothing it acknowledged, and recovers when it returns", async () => {
    const answers: Answer[] = [];
    const load = { running: true };
    const senders = Array.from({ length: SENDERS }, () => sendUntilStopped(load, answers));
    let times: { stopping: number; down: number; restarting: number; up: number } | undefined;
    let outageHealth: number | undefined;
    try {
      await sleep(BEFORE_MS);
      const stopping = Date.now();
      await pg!.crash();
      const down = Date.now();
      await sleep(OUTAGE_MS / 2);
      outageHealth = (await fetch(`${app!.url}/api/health`, { signal: AbortSignal.timeout(ANSWER_BOUND_MS) })).status;
      await sleep(OUTAGE_MS / 2);
      const restarting = Date.now();
      await pg!.start();
      times = { stopping, down, restarting, up: Date.now() };
      await sleep(AFTER_MS);
    } finally {
      load.running = false;
      await Promise.all(senders);
    }
    const { stopping, down, restarting, up } = times!;
    const failure = (a: Answer) => `${a.sid} at ${a.startedAt - stopping} ms after the stop: ${a.status ?? a.error}`;

    // What a vendor reads: an HTTP answer within the bound, 2xx or 5xx, never a 4xx or a dropped connection.
    expect(answers.filter((a) => a.error).map(failure)).toEqual([]);
    expect(answers.filter((a) => a.endedAt - a.startedAt > ANSWER_BOUND_MS).map(failure)).toEqual([]);
    expect(answers.filter((a) => !isOk(a) && a.status !== 503).map(failure)).toEqual([]);
    // Retry-After tells a well-behaved client when to come back.
    expect(answers.filter((a) => a.status === 503 && !a.retryAfter).map(failure)).toEqual([]);
    expect(outageHealth).toBe(503);

    const before = answers.filter((a) => a.endedAt < stopping);
    const during = answers.filter((a) => a.startedAt > down && a.endedAt < restarting);
    const after = answers.filter((a) => a.startedAt > up);
    expect(before.length, "requests before the stop").toBeGreaterThan(SENDERS * 5);
    expect(before.filter((a) => !isOk(a)).map(failure)).toEqual([]);
    expect(during.length, "requests while PostgreSQL was down").toBeGreaterThanOrEqual(SENDERS);
    expect(during.filter(isOk).map(failure)).toEqual([]);
    expect(after.length, "requests after it returned").toBeGreaterThan(SENDERS * 5);

    // Back without a restart of the app: health, and every webhook sent once the database was up.
    const health = await fetch(`${app!.url}/api/health`);
    expect(health.status).toBe(200);
    expect(after.filter((a) => !isOk(a)).map(failure)).toEqual([]);

    // Everything acknowledged survived the crash, once.
    const acknowledged = answers.filter(isOk).map((a) => a.sid);
    expect(await storedCounts(acknowledged)).toEqual(Object.fromEntries(acknowledged.map((sid) => [sid, 1])));

    // As Twilio would: each request answered 503 again until it gets a 2xx.
    const refused = answers.filter((a) => !isOk(a));
    expect(refused.length).toBeGreaterThan(0);
    const retried = await Promise.all(refused.map((a) => retryUntilAccepted(a.sid)));
    expect(retried.filter((a) => !isOk(a)).map(failure)).toEqual([]);

    // Every text sent is stored exactly once, and nothing else.
    const sids = answers.map((a) => a.sid);
    expect(await storedCounts(sids)).toEqual(Object.fromEntries(sids.map((sid) => [sid, 1])));
    const [stored] = await db.select({ n: count() }).from(webhookEvents).where(eq(webhookEvents.vendorAccountId, accountId));
    expect(stored!.n).toBe(sids.length);
    sent.push(...sids);
  }, 60_000);

  /**
   * The worker ran through the outage too. Jobs it held when the database died could not be
   * marked done or failed; they come back when their heartbeat (30 s) lapses and pg-boss's
   * supervisor (every 60 s) sees it, so this waits up to two minutes after such a batch.
   */
  it("and the worker, still running, turns every stored text into exactly one message", async () => {
    expect(sent.length, "texts from the first test").toBeGreaterThan(0);
    await waitForProcessed(150_000);
    const inbound = await db
      .select({ sid: messages.vendorMessageId, n: count() })
      .from(messages)
      .where(and(eq(messages.vendorAccountId, accountId), eq(messages.direction, "INBOUND")))
      .groupBy(messages.vendorMessageId);
    expect(Object.fromEntries(inbound.map((r) => [r.sid, r.n]))).toEqual(Object.fromEntries(sent.map((sid) => [sid, 1])));
  }, 180_000);
});

/** One vendor connection: a new inbound text after each answer, until told to stop. */
async function sendUntilStopped(load: { running: boolean }, answers: Answer[]): Promise<void> {
  while (load.running) {
    answers.push(await postInbound(`SM${randomBytes(16).toString("hex")}`));
    // A steady stream, not a spin: while the database is down the 503s come back within a second.
    await sleep(25);
  }
}

/**
 * Twilio's inbound webhook for one text, signed against PUBLIC_URL as Twilio signs it. The same
 * MessageSid gives the same request, as a retry by Twilio does.
 */
async function postInbound(sid: string): Promise<Answer> {
  const params = {
    MessageSid: sid,
    SmsSid: sid,
    AccountSid: TWILIO.accountSid,
    From: `+1415555${1000 + (parseInt(sid.slice(-4), 16) % 9000)}`,
    To: OUR_NUMBER,
    Body: `Running late, ${sid.slice(-6)}`,
    NumMedia: "0",
  };
  const startedAt = Date.now();
  try {
    const response = await fetch(webhookUrl, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-twilio-signature": twilioSignature(TWILIO.authToken, webhookUrl, params),
      },
      body: new URLSearchParams(params).toString(),
      signal: AbortSignal.timeout(ANSWER_BOUND_MS),
    });
    await response.text();
    return { sid, startedAt, endedAt: Date.now(), status: response.status, retryAfter: response.headers.get("retry-after") };
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : "";
    return { sid, startedAt, endedAt: Date.now(), status: null, retryAfter: null, error: `${String(error)}${cause}` };
  }
}

async function retryUntilAccepted(sid: string): Promise<Answer> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const answer = await postInbound(sid);
    if (isOk(answer) || Date.now() > deadline) return answer;
    await sleep(500);
  }
}

/** How many webhook_events rows each MessageSid has (by the inbound dedupe key). */
async function storedCounts(sids: string[]): Promise<Record<string, number>> {
  const rows = await db
    .select({ key: webhookEvents.dedupeKey, n: count() })
    .from(webhookEvents)
    .where(eq(webhookEvents.vendorAccountId, accountId))
    .groupBy(webhookEvents.dedupeKey);
  const byKey = new Map(rows.map((r) => [r.key, r.n]));
  return Object.fromEntries(sids.map((sid) => [sid, byKey.get(`inbound:${sid}`) ?? 0]));
}

async function waitForProcessed(timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [left] = await db
      .select({ n: count() })
      .from(webhookEvents)
      .where(and(eq(webhookEvents.vendorAccountId, accountId), isNull(webhookEvents.processedAt)));
    if (left!.n === 0) return;
    if (Date.now() > deadline) {
      // Where their jobs are, for the failure report.
      const jobs = await db.execute(
        sql`select j.state, j.retry_count, j.start_after > now() as waiting, count(*)::int as n from pgboss.job j join webhook_events e on e.id::text = j.data->>'webhookEventId' where e.processed_at is null group by 1, 2, 3`,
      );
      throw new Error(
        `${left!.n} webhook event(s) still unprocessed; their jobs: ${JSON.stringify([...jobs])}\n${worker?.output().slice(-3000)}`,
      );
    }
    await sleep(200);
  }
}

function isOk(answer: Answer): boolean {
  return answer.status !== null && answer.status >= 200 && answer.status < 300;
}
