import { and, asc, count, eq } from "drizzle-orm";
import { db } from "@/db";
import { messageEvents, type MessageEvent } from "@/db/schema/message-events";
import { messages, type Message, type MessageStatus } from "@/db/schema/messages";
import type { VendorAccount } from "@/db/schema/vendor-accounts";
import { webhookEvents, type WebhookEvent } from "@/db/schema/webhook-events";
import { addNumber } from "@/lib/numbers";
import { saveVendorAccount, setDefaultVendorAccount, type Actor } from "@/lib/vendors/accounts";
import { getAdapter, isVendorKind } from "@/lib/vendors/registry";
import { startSimulator, type Simulator } from "@/sim/index";
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
