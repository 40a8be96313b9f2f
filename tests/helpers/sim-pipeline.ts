import { and, asc, count, eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import { db } from "@/db";
import { contacts } from "@/db/schema/contacts";
import { conversations } from "@/db/schema/conversations";
import { messageEvents, type MessageEvent } from "@/db/schema/message-events";
import { messages, type Message, type MessageStatus } from "@/db/schema/messages";
import type { VendorAccount } from "@/db/schema/vendor-accounts";
import { webhookEvents, type WebhookEvent } from "@/db/schema/webhook-events";
import { queueMessage } from "@/lib/messaging/send";
import { addNumber } from "@/lib/numbers";
import { saveVendorAccount, setDefaultVendorAccount, type Actor } from "@/lib/vendors/accounts";
import { getAdapter, isVendorKind } from "@/lib/vendors/registry";
import type { InboundRequest } from "@/sim/control";
import { startSimulator, type Simulator } from "@/sim/index";
import type { CallbackRecord, RecordedRequest } from "@/sim/state";
import { freePort, startApp, startWorker, type RunningApp, type RunningWorker } from "./app";
import { ownerWithOrg } from "./fixtures";

/**
 * The whole pipeline against the vendor simulator: the production build (`next start`),
 * a real worker process and this test file's database, with the real Twilio, Bandwidth and
 * Vonage adapters pointed at the simulator by their base-URL settings. Nothing of ours is
 * replaced; the simulator stands in for the vendor, over HTTP, in both directions.
 */
export type Pipeline = { sim: Simulator; app: RunningApp; worker: RunningWorker; stop: () => Promise<void> };

/**
 * Worker settings for these tests: three attempts a second apart, so an outage ends FAILED
 * within seconds; no per-sender pacing, so sends leave at once (pacing has its own tests).
 */
export const PIPELINE_WORKER_ENV = { SEND_MAX_ATTEMPTS: "3", SEND_RETRY_BASE_SECONDS: "1", SEND_RATE_LIMITS: "off" };

/**
 * Starts the simulator, the app and a worker. The app's port is chosen first so that
 * PUBLIC_URL is known to both processes: the app checks signatures against it and the
 * worker puts it in the callback URLs it gives the vendor.
 */
export async function startPipeline(options: { delayMs?: number; workerEnv?: Record<string, string> } = {}): Promise<Pipeline> {
  const sim = await startSimulator({ delayMs: options.delayMs ?? 30 });
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const started = await Promise.allSettled([
    startApp({ PUBLIC_URL: publicUrl }, { port }),
    startWorker({ PUBLIC_URL: publicUrl, ...PIPELINE_WORKER_ENV, ...options.workerEnv }),
  ]);
  const [app, worker] = started;
  if (app.status === "rejected" || worker.status === "rejected") {
    // Leave nothing running behind a failed start.
    await Promise.all(started.map((s) => (s.status === "fulfilled" ? s.value.stop() : undefined)));
    await sim.stop();
    throw app.status === "rejected" ? app.reason : (worker as PromiseRejectedResult).reason;
  }
  return {
    sim,
    app: app.value,
    worker: worker.value,
    stop: async () => {
      await Promise.all([worker.value.stop(), app.value.stop()]);
      await sim.stop();
    },
  };
}

/**
 * Gives this test file one pipeline for all its tests. Before them, starts it and hands it to `setUp`
 * (which makes the org and tells the simulator about the account); after each test, clears injected
 * faults, applies `reset` (for the file's own simulator settings) and lets every pending report arrive;
 * after them all, stops it.
 */
export function pipelineForFile(
  setUp: (p: Pipeline) => Promise<void>,
  options: { start?: Parameters<typeof startPipeline>[0]; reset?: (p: Pipeline) => void } = {},
): void {
  let pipeline: Pipeline | undefined;
  beforeAll(async () => {
    pipeline = await startPipeline(options.start);
    await setUp(pipeline);
  });
  afterAll(async () => {
    await pipeline?.stop();
  });
  afterEach(async () => {
    if (!pipeline) return;
    pipeline.sim.control.clearFaults();
    options.reset?.(pipeline);
    await pipeline.sim.control.flush();
  });
}

/** The simulator's stand-ins for each vendor host, as the adapters' base-URL settings take them. */
export function simBaseUrls(sim: Simulator) {
  return {
    twilio: {
      apiBaseUrl: `${sim.url}/twilio`,
      messagingBaseUrl: `${sim.url}/twilio-messaging`,
      lookupBaseUrl: `${sim.url}/twilio-lookup`,
    },
    // The Messaging API setting includes the version path, as Bandwidth's own URL does.
    bandwidth: { apiBaseUrl: `${sim.url}/bandwidth/api/v2` },
    vonage: { apiBaseUrl: `${sim.url}/vonage` },
  };
}

export type VendorOrg = {
  orgId: string;
  actor: Actor;
  account: VendorAccount;
  /** The org's numbers on the account, in the order given. */
  numbers: { id: string; e164: string }[];
};

/**
 * A fresh org and owner whose default vendor account is `kind` with these settings
 * (saved through the same code as the Vendors page, secrets encrypted), owning `numbers`.
 */
export async function orgWithVendorAccount(
  label: string,
  kind: string,
  values: Record<string, unknown>,
  numbers: string[],
): Promise<VendorOrg> {
  const { user, org } = await ownerWithOrg(label);
  const actor = { userId: user.id, label: "test" };
  const account = await saveVendorAccount(org.id, actor, { kind, name: `${label} ${kind}`, values });
  await setDefaultVendorAccount(org.id, account.id, actor);
  const added = [];
  for (const e164 of numbers) added.push(await addNumber(org.id, actor, { vendorAccountId: account.id, e164 }));
  return { orgId: org.id, actor, account, numbers: added.map((n) => ({ id: n.id, e164: n.e164 })) };
}

/** Where the vendor reaches this account's `action` webhook (the adapter must have that action). */
export function webhookUrl(app: RunningApp, account: Pick<VendorAccount, "kind" | "webhookToken">, action: string): string {
  if (!isVendorKind(account.kind) || !getAdapter(account.kind).webhooks[action]) {
    throw new Error(`the ${account.kind} adapter has no "${action}" webhook`);
  }
  return `${app.url}/api/webhooks/${account.kind}/${account.webhookToken}/${action}`;
}

/** Polls until `read` gives something truthy; fails with `what` (and the last value) at the deadline. */
export async function until<T>(read: () => Promise<T | undefined | null | false>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function findMessage(id: string): Promise<Message | undefined> {
  const [row] = await db.select().from(messages).where(eq(messages.id, id)).limit(1);
  return row;
}

/**
 * Waits for a message to reach `wanted`. A message that settles in another final status
 * fails at once, with the vendor's words, instead of waiting out the deadline.
 */
export async function waitForStatus(id: string, wanted: MessageStatus, timeoutMs = 20_000): Promise<Message> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const row = await findMessage(id);
    if (row?.status === wanted) return row;
    if (row && (row.status === "DELIVERED" || row.status === "FAILED")) {
      throw new Error(`message ${id} ended ${row.status} (${row.errorCode}: ${row.errorDescription}), wanted ${wanted}`);
    }
    if (Date.now() > deadline) {
      throw new Error(
        `message ${id} stayed ${row?.status} (${row?.errorCode}: ${row?.errorDescription}) for ${timeoutMs} ms, wanted ${wanted}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Queues a message and waits until it is DELIVERED and the simulator has sent every report about it,
 * so that nothing genuine reaches the app after this. Returns the delivered message.
 */
export async function sendUntilDelivered(p: Pipeline, org: VendorOrg, text: { to: string; body: string }): Promise<Message> {
  const { message } = await queueMessage(org.orgId, text);
  const delivered = await waitForStatus(message.id, "DELIVERED");
  await p.sim.control.flush();
  return delivered;
}

/**
 * For a send the vendor answers only with errors it calls temporary: waits for the message to end FAILED
 * and checks the retries. The three attempts of PIPELINE_WORKER_ENV (`sends` lists the requests the
 * simulator received), about 1 s and then 2 s apart (SEND_RETRY_BASE_SECONDS=1), each but the last
 * recorded as "retrying" with the vendor's error, which the message ends with. Returns the attempts.
 */
export async function expectRetriedThenFailed(
  messageId: string,
  sends: () => RecordedRequest[],
  error: { code: string; description: string },
): Promise<RecordedRequest[]> {
  const failed = await waitForStatus(messageId, "FAILED", 30_000);
  const attempts = sends();
  expect(attempts).toHaveLength(3);
  expect(failed.attempts).toBe(3);
  expect(failed.errorCode).toBe(error.code);
  expect(failed.errorDescription).toBe(error.description);
  expect(failed.vendorMessageId).toBeNull();
  const at = attempts.map((r) => Date.parse(r.at));
  expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(900);
  expect(at[2]! - at[1]!).toBeGreaterThanOrEqual(1800);

  const history = await eventsOf(messageId);
  expect(history.filter((e) => e.vendorStatus === "retrying").map((e) => e.errorCode)).toEqual([error.code, error.code]);
  expect(history.at(-1)).toMatchObject({ status: "FAILED", errorCode: error.code });
  return attempts;
}

/**
 * For a send the vendor refuses for good: waits for the message to end FAILED after one attempt (one request
 * in `sends`) with the vendor's `code` and `description` (a pattern: matching it). Returns the message.
 */
export async function expectFailedAtFirstAttempt(
  messageId: string,
  sends: () => RecordedRequest[],
  error: { code: string; description: string | RegExp },
): Promise<Message> {
  const failed = await waitForStatus(messageId, "FAILED");
  expect(sends()).toHaveLength(1);
  expect(failed.attempts).toBe(1);
  expect(failed.errorCode).toBe(error.code);
  if (typeof error.description === "string") expect(failed.errorDescription).toBe(error.description);
  else expect(failed.errorDescription).toMatch(error.description);
  return failed;
}

/**
 * After the vendor said the recipient opted out: waits for the org's contact to be opted out (that follows
 * the message's status change, in the same job, so it is not raced) and checks a new text to it is refused.
 */
export async function expectOptedOut(org: VendorOrg, e164: string): Promise<void> {
  const contact = await until(async () => {
    const [row] = await db
      .select()
      .from(contacts)
      .where(and(eq(contacts.orgId, org.orgId), eq(contacts.e164, e164)));
    return row?.optedOutAt ? row : null;
  }, `the contact ${e164} to be opted out`);
  expect(contact.optedOutAt).toBeInstanceOf(Date);
  await expect(queueMessage(org.orgId, { to: e164, body: "Hello again" })).rejects.toMatchObject({ status: 409 });
}

/** Waits for the message an account received with the vendor's id `vendorMessageId`. */
export function waitForInbound(accountId: string, vendorMessageId: string): Promise<Message> {
  return until(async () => {
    const [row] = await db
      .select()
      .from(messages)
      .where(and(eq(messages.vendorAccountId, accountId), eq(messages.vendorMessageId, vendorMessageId)));
    return row;
  }, `the inbound message ${vendorMessageId}`);
}

/**
 * Checks an inbound text as stored: RECEIVED by the org from `from` on `to` (the org's first number),
 * unflagged, with `body`, and filed in the org's conversation with that contact, which it leaves unread.
 */
export async function expectInboundInConversation(
  org: VendorOrg,
  message: Message,
  text: { from: string; to: string; body: string },
): Promise<void> {
  expect(message).toMatchObject({
    orgId: org.orgId,
    direction: "INBOUND",
    status: "RECEIVED",
    body: text.body,
    fromE164: text.from,
    toE164: text.to,
    flag: null,
  });
  const [contact] = await db
    .select()
    .from(contacts)
    .where(and(eq(contacts.orgId, org.orgId), eq(contacts.e164, text.from)));
  const [conversation] = await db.select().from(conversations).where(eq(conversations.id, message.conversationId!));
  expect(conversation).toMatchObject({
    orgId: org.orgId,
    contactId: contact!.id,
    ourE164: text.to,
    phoneNumberId: org.numbers[0]!.id,
    lastDirection: "INBOUND",
    unread: true,
  });
}

/** Has the simulator's vendor send our webhook a text in one part; returns the simulator's record of that callback. */
export async function simulateInbound(p: Pipeline, text: InboundRequest): Promise<CallbackRecord> {
  const [callback] = await p.sim.control.inbound(text);
  if (!callback) throw new Error(`the simulator made no callback for the inbound text from ${text.from}`);
  return callback;
}

/**
 * Makes a webhook call that the app must refuse, and checks that it did: answered 403, stored nothing
 * for the account (no webhook request, no message) and logged the refusal of `action` with `reason`.
 * `call` gives the simulator's record of a callback it made, or the response to one of ours; it is
 * returned for the vendor's own checks.
 */
export async function expectRefusedAndLogged<T extends CallbackRecord | Response>(
  p: Pipeline,
  account: Pick<VendorAccount, "id" | "kind">,
  action: string,
  reason: string,
  call: () => Promise<T>,
): Promise<T> {
  const before = await rowCounts(account.id);
  const answer = await call();
  expect(answer instanceof Response ? answer.status : answer.response?.status).toBe(403);
  expect(await rowCounts(account.id)).toEqual(before);
  await waitForOutput(p.app.output, `[webhook] webhook refused for account ${account.id} (${account.kind}/${action}): ${reason}`);
  return answer;
}

/**
 * Has the simulator's vendor text the org's first number through our `action` webhook as `impostor`, an
 * account other than the org's (its own secret, so not signed or authorized as ours), and checks that the
 * app refused and logged it with `reason` (see expectRefusedAndLogged). Returns the simulator's record.
 */
export function expectImpostorTextRefused(
  p: Pipeline,
  org: VendorOrg,
  action: string,
  reason: string,
  impostor: Pick<InboundRequest, "vendor" | "account" | "from">,
): Promise<CallbackRecord> {
  return expectRefusedAndLogged(p, org.account, action, reason, () =>
    simulateInbound(p, { ...impostor, to: org.numbers[0]!.e164, body: "Send me everyone's numbers" }),
  );
}

/** A message's status history, oldest first. */
export function eventsOf(messageId: string): Promise<MessageEvent[]> {
  return db.select().from(messageEvents).where(eq(messageEvents.messageId, messageId)).orderBy(asc(messageEvents.createdAt));
}

/** How many raw webhook requests and messages an account has: a refused webhook must add to neither. */
export async function rowCounts(accountId: string): Promise<{ webhookEvents: number; messages: number }> {
  const [[hooks], [stored]] = await Promise.all([
    db.select({ n: count() }).from(webhookEvents).where(eq(webhookEvents.vendorAccountId, accountId)),
    db.select({ n: count() }).from(messages).where(eq(messages.vendorAccountId, accountId)),
  ]);
  return { webhookEvents: hooks!.n, messages: stored!.n };
}

/**
 * Waits until the worker has processed `expected` stored webhook requests of an account's
 * `action` whose body or URL contains `marker`, and returns them. At the deadline the error
 * the worker recorded (if any) is in the failure: a report that beat our record of the
 * send fails once and is retried, so an error alone is not yet a failure.
 */
export async function waitForWebhooksProcessed(
  accountId: string,
  action: string,
  marker: string,
  expected: number,
  timeoutMs = 20_000,
): Promise<WebhookEvent[]> {
  const read = async () =>
    (
      await db
        .select()
        .from(webhookEvents)
        .where(and(eq(webhookEvents.vendorAccountId, accountId), eq(webhookEvents.action, action)))
    ).filter((row) => row.body.includes(marker) || row.url.includes(marker));
  try {
    return await until(
      async () => {
        const rows = await read();
        return rows.length >= expected && rows.every((row) => row.processedAt) ? rows : null;
      },
      `${expected} processed ${action} webhook(s) mentioning ${marker}`,
      timeoutMs,
    );
  } catch (error) {
    const rows = await read();
    const state = rows.map(
      (row) => `${row.processedAt ? "processed" : "unprocessed"}${row.error ? ` (error: ${row.error})` : ""}`,
    );
    throw new Error(`${(error as Error).message}; found ${rows.length}: ${state.join(", ") || "none"}`);
  }
}

/** Waits until a process has printed `text` (its output arrives a moment after the response). */
export async function waitForOutput(output: () => string, text: string, timeoutMs = 5_000): Promise<string> {
  try {
    return await until(
      async () =>
        output()
          .split("\n")
          .find((line) => line.includes(text)),
      `a log line with “${text}”`,
      timeoutMs,
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}; the output was:\n${output().slice(-4000)}`);
  }
}

export function basicAuthHeader(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;
}
