import { and, eq, inArray, sql } from "drizzle-orm";
import { db } from "@/db";
import { commitWithoutFlush } from "@/db/commit";
import { anyOf } from "@/db/any-of";
import { insertRows } from "@/db/bulk-insert";
import { contacts } from "@/db/schema/contacts";
import { messageEvents } from "@/db/schema/message-events";
import { messageParts } from "@/db/schema/message-parts";
import { messages, type Message } from "@/db/schema/messages";
import { orgs } from "@/db/schema/orgs";
import { phoneNumbers } from "@/db/schema/phone-numbers";
import { vendorAccounts, type VendorAccount } from "@/db/schema/vendor-accounts";
import { enqueueIn } from "@/lib/jobs";
import { DEFAULT_RATES } from "@/lib/numbers";
import { coalesce } from "@/lib/coalesce";
import { buildVendorContext, writeRequestLogs } from "@/lib/vendors/context";
import { VendorError } from "@/lib/vendors/errors";
import type { VendorRequestRecord } from "@/lib/vendors/http";
import type { AnyVendorAdapter, SendResult, VendorContext } from "@/lib/vendors/types";
import { sendMessageJob } from "@/workers/jobs/send-message";
import { leaseFrom, retryDelaySeconds, sendConfig } from "./config";
import { sendBatched } from "./batch";
import { awaitDevice, isDevicePull } from "./device";
import { awaitSendSlot } from "./rate-limit";

/** Sends that finish within this long of each other are stored in one transaction. */
const STORE_WINDOW_MS = 10;
const STORE_MAX = 100;

type Loaded = { message: Message; account: VendorAccount | null; optedOutAt: Date | null; defaultCountry: string | undefined };
type Attempt = { message: Message; claimedAt: Date; sent?: SendResult; error?: unknown };

/**
 * The send worker's work for one message: see deliverMessages.
 */
export async function deliverMessage(messageId: string): Promise<void> {
  const [error] = await deliverMessages([messageId]);
  if (error) throw error;
}

/**
 * The send worker's work for the messages of a batch of jobs. Each is claimed (QUEUED ->
 * SENDING) so that no two workers send it; one found already SENDING was left by a crash and
 * is reconciled with the vendor instead of sent blind. Retryable vendor errors go back to
 * QUEUED with exponential backoff; final ones, and retries used up, mark it FAILED with the
 * vendor's words. The batch is read, claimed and stored with a few statements, not a few per
 * message: sends that finish together are stored together. Returns, per id, the error that
 * should fail its job (null when it is done), so one message's trouble does not fail the others.
 */
export async function deliverMessages(messageIds: string[]): Promise<(unknown | null)[]> {
  const errors = new Map<string, unknown>();
  const settle = async (id: string, work: () => Promise<void>) => {
    try {
      await work();
    } catch (error) {
      errors.set(id, error);
    }
  };
  const loaded = await loadForDelivery(messageIds);
  const sendable: Loaded[] = [];
  await Promise.all(
    loaded.map((row) =>
      settle(row.message.id, async () => {
        const { message, account, optedOutAt } = row;
        if (message.direction !== "OUTBOUND") return;
        if (message.status === "SENDING") return reconcile(message);
        if (message.status !== "QUEUED") return; // already sent, delivered or failed: a duplicate job
        if (!account || !account.enabled) return fail(message, "account_unavailable", "The vendor account was disabled or deleted before the message could be sent.");
        if (optedOutAt && !isSystemReply(message)) return fail(message, "opted_out", "The contact opted out before the message was sent.");
        // A device-pull account (SMSsync) has no vendor to call: the message waits, SENDING without a lease, for the phone to fetch it.
        if (isDevicePull(account)) return awaitDevice(message);
        sendable.push(row);
      }),
    ),
  );
  if (sendable.length > 0) await sendClaimed(sendable, settle);
  return messageIds.map((id) => errors.get(id) ?? null);
}

/** Each message with its account, whether its contact opted out, and its org's country: one query for the batch. */
async function loadForDelivery(ids: string[]): Promise<Loaded[]> {
  const rows = await db
    .select({ message: messages, account: vendorAccounts, optedOutAt: contacts.optedOutAt, features: orgs.features })
    .from(messages)
    .innerJoin(orgs, eq(orgs.id, messages.orgId))
    .leftJoin(vendorAccounts, eq(vendorAccounts.id, messages.vendorAccountId))
    .leftJoin(contacts, and(eq(contacts.orgId, messages.orgId), eq(contacts.e164, messages.toE164)))
    .where(anyOf(messages.id, ids));
  return rows.map((row) => ({ message: row.message, account: row.account, optedOutAt: row.optedOutAt, defaultCountry: row.features.defaultCountry }));
}

/**
 * Claims the sendable messages in one statement, sends each (waiting for its sender's rate
 * slot), and stores what the vendor said. Everything slow (contexts, the claim) happens before
 * the slot; after the wait, only the send.
 */
async function sendClaimed(batch: Loaded[], settle: (id: string, work: () => Promise<void>) => Promise<void>): Promise<void> {
  const byId = new Map(batch.map((row) => [row.message.id, row]));
  const claimedAt = new Date();
  const claimed = await db
    .update(messages)
    .set({ status: "SENDING", attempts: sql`${messages.attempts} + 1`, leaseUntil: leaseFrom() })
    .where(and(anyOf(messages.id, [...byId.keys()]), eq(messages.status, "QUEUED")))
    .returning();
  if (claimed.length === 0) return; // other workers have them

  // One context per account, whose exchanges with the vendor are written together at the end.
  const contexts = new Map<string, { adapter: AnyVendorAdapter; ctx: VendorContext; account: VendorAccount; logs: VendorRequestRecord[] }>();
  const contextFor = (row: Loaded) => {
    const account = row.account!;
    let entry = contexts.get(account.id);
    if (!entry) {
      const logs: VendorRequestRecord[] = [];
      const { adapter, ctx } = buildVendorContext(account, { defaultCountry: row.defaultCountry, recordRequest: (log) => void logs.push(log) });
      entry = { adapter, ctx, account, logs };
      contexts.set(account.id, entry);
    }
    return entry;
  };
  const store = coalesce(storeAttempts, { windowMs: STORE_WINDOW_MS, max: STORE_MAX });

  await Promise.all(
    claimed.map((message) =>
      settle(message.id, async () => {
        const { adapter, ctx } = contextFor(byId.get(message.id)!);
        if (sendConfig.rateLimitsEnabled()) {
          const tooFar = await awaitSendSlot(`${message.vendorAccountId}:${message.fromE164}`, await senderRate(message));
          if (tooFar) return unclaim(message, tooFar.retryInMs / 1000);
        }
        let attempt: Attempt;
        try {
          const sent = await sendBatched(adapter, ctx, {
            id: message.id,
            to: message.toE164,
            from: message.messagingServiceId ? undefined : message.fromE164,
            messagingServiceId: message.messagingServiceId ?? undefined,
            body: message.body,
            mediaUrls: message.media,
            numericId: numericIdOf(message),
          });
          attempt = { message, claimedAt, sent };
        } catch (error) {
          attempt = { message, claimedAt, error };
        }
        await store(attempt);
        if (attempt.error !== undefined) await handleSendError(adapter, message, attempt.error);
      }),
    ),
  );
  await Promise.all([...contexts.values()].map(({ account, logs }) => writeRequestLogs(account, logs).catch(logFailure)));
}

/**
 * What a group of sends came to, in one transaction: the SENDING event of each attempt, and for
 * each accepted message SENT with the vendor's id (where the vendor split it, each part's id,
 * so each part's report finds it). Forward only: a delivery report may already have moved it
 * past SENT, and then only a missing vendor id is filled in.
 *
 * Committed without waiting for the disk (db/commit.ts): the jobs complete after this, in an
 * ordinary commit that makes it durable. Were PostgreSQL to crash between the two, the jobs would
 * come back with their messages SENDING, and be reconciled with the vendor, as after a worker
 * killed mid-send: never sent again blind.
 */
async function storeAttempts(attempts: Attempt[]): Promise<void> {
  const sent = attempts.filter((a) => a.sent);
  await db.transaction(async (tx) => {
    await commitWithoutFlush(tx);
    await insertRows(
      tx,
      messageEvents,
      attempts.map(({ message, claimedAt }) => ({ orgId: message.orgId, messageId: message.id, status: "SENDING" as const, createdAt: claimedAt })),
    );
    if (sent.length === 0) return;
    const rows = JSON.stringify(sent.map(({ message, sent }) => ({ id: message.id, vendor_message_id: sent!.vendorMessageIds[0] ?? null, segments: sent!.segments ?? null })));
    const moved = await tx.execute<{ id: string }>(sql`
      update messages m
      set status = 'SENT', vendor_message_id = v.vendor_message_id, sent_at = now(), error_code = null, error_description = null,
        needs_review = false, segments = coalesce(v.segments, m.segments)
      from jsonb_to_recordset(${rows}::jsonb) as v(id uuid, vendor_message_id text, segments int)
      where m.id = v.id and m.status in ('QUEUED', 'SENDING')
      returning m.id`);
    if (moved.length < sent.length) {
      await tx.execute(sql`
        update messages m set vendor_message_id = coalesce(m.vendor_message_id, v.vendor_message_id)
        from jsonb_to_recordset(${rows}::jsonb) as v(id uuid, vendor_message_id text)
        where m.id = v.id and m.status not in ('QUEUED', 'SENDING')`);
    }
    const parts = sent.flatMap(({ message, sent }) =>
      sent!.vendorMessageIds.length > 1 && message.vendorAccountId
        ? sent!.vendorMessageIds.map((id, i) => ({ orgId: message.orgId, messageId: message.id, vendorAccountId: message.vendorAccountId!, vendorMessageId: id, partIndex: i + 1 }))
        : [],
    );
    if (parts.length > 0) await tx.insert(messageParts).values(parts).onConflictDoNothing();
    await insertRows(tx, messageEvents, sent.map(({ message }) => ({ orgId: message.orgId, messageId: message.id, status: "SENT" as const, vendorStatus: "accepted" })));
  });
}

/** A send that did not go through: retry later, fail with the vendor's words, or, when it was not the vendor's answer, flag it for a person. */
async function handleSendError(adapter: AnyVendorAdapter, message: Message, error: unknown): Promise<void> {
  const vendorError = error instanceof VendorError ? error : null;
  if (!vendorError) {
    // Not the vendor's answer: our own failure after the claim. Whether the vendor got it is unknown.
    await db.update(messages).set({ needsReview: true, errorDescription: describe(error) }).where(eq(messages.id, message.id));
    throw error;
  }
  const info = adapter.errorDescription(vendorError.vendorCode ?? vendorError.code);
  const description = info?.description ?? vendorError.description;
  if (vendorError.optOut || info?.optOut) await optOutContact(message);
  const retry = vendorError.retryable && !vendorError.optOut && message.attempts < sendConfig.maxAttempts();
  if (retry) {
    const delay = Math.max(vendorError.retryAfterSeconds ?? 0, retryDelaySeconds(message.attempts));
    return requeue(message, delay, vendorError.vendorCode ?? vendorError.code, description);
  }
  return fail(message, vendorError.vendorCode ?? vendorError.code, description);
}

/** A SENDING message after a crash: ask the vendor when it can say; otherwise leave it for a person. */
async function reconcile(message: Message): Promise<void> {
  const [account] = await db.select().from(vendorAccounts).where(eq(vendorAccounts.id, message.vendorAccountId!)).limit(1);
  if (!account) return fail(message, "account_unavailable", "The vendor account was deleted while the message was being sent.");
  // For a device-pull account, SENDING is where a message waits for the phone, not a send a crash cut short.
  if (isDevicePull(account)) return;
  const { adapter, ctx } = buildVendorContext(account);
  if (!adapter.findMessage) {
    await db.update(messages).set({ needsReview: true, errorDescription: "The worker stopped while sending; the vendor cannot be asked whether it arrived. Check before resending." }).where(and(eq(messages.id, message.id), eq(messages.status, "SENDING")));
    return;
  }
  let found;
  try {
    found = await adapter.findMessage(ctx, message.id);
  } catch (error) {
    const why = error instanceof VendorError ? error.description : describe(error);
    await db.update(messages).set({ needsReview: true, errorDescription: `The worker stopped while sending, and the vendor could not say whether it arrived (${why}). Check before resending.` }).where(and(eq(messages.id, message.id), eq(messages.status, "SENDING")));
    return;
  }
  if (found.found) {
    await markSent(message, [found.vendorMessageId], undefined);
    return;
  }
  // The vendor never got it: sending now is not a second send.
  const [reset] = await db.update(messages).set({ status: "QUEUED" }).where(and(eq(messages.id, message.id), eq(messages.status, "SENDING"))).returning();
  if (reset) await deliverMessage(message.id);
}

/** SENT with the vendor's id; where the vendor split it, each part's id, so each part's report finds it. */
async function markSent(message: Message, vendorMessageIds: string[], segments: number | undefined): Promise<void> {
  const vendorMessageId = vendorMessageIds[0] ?? null;
  await db.transaction(async (tx) => {
    // Forward only: a delivery report may already have moved it past SENT.
    const [row] = await tx
      .update(messages)
      .set({ status: "SENT", vendorMessageId, sentAt: new Date(), errorCode: null, errorDescription: null, needsReview: false, ...(segments ? { segments } : {}) })
      .where(and(eq(messages.id, message.id), inArray(messages.status, ["QUEUED", "SENDING"])))
      .returning();
    if (!row) await tx.update(messages).set({ vendorMessageId: sql`coalesce(${messages.vendorMessageId}, ${vendorMessageId})` }).where(eq(messages.id, message.id));
    if (vendorMessageIds.length > 1 && message.vendorAccountId) {
      const vendorAccountId = message.vendorAccountId;
      await tx
        .insert(messageParts)
        .values(vendorMessageIds.map((id, i) => ({ orgId: message.orgId, messageId: message.id, vendorAccountId, vendorMessageId: id, partIndex: i + 1 })))
        .onConflictDoNothing();
    }
    await tx.insert(messageEvents).values({ orgId: message.orgId, messageId: message.id, status: "SENT", vendorStatus: "accepted" });
  });
}

/** A retryable failure: back to QUEUED, with the next attempt after the backoff. */
async function requeue(message: Message, delaySeconds: number, code: string, description: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.update(messages).set({ status: "QUEUED", errorCode: code, errorDescription: description, leaseUntil: leaseFrom(delaySeconds) }).where(eq(messages.id, message.id));
    await tx.insert(messageEvents).values({ orgId: message.orgId, messageId: message.id, status: "QUEUED", errorCode: code, errorDescription: description, vendorStatus: "retrying" });
    await enqueueIn(tx, sendMessageJob, { messageId: message.id }, { startAfter: Math.max(1, Math.ceil(delaySeconds)) });
  });
}

/** The sender's next slot is too far off: give the claim back, uncounted, and come back for it. */
async function unclaim(message: Message, delaySeconds: number): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .update(messages)
      .set({ status: "QUEUED", attempts: sql`${messages.attempts} - 1`, leaseUntil: leaseFrom(delaySeconds) })
      .where(and(eq(messages.id, message.id), eq(messages.status, "SENDING")));
    await enqueueIn(tx, sendMessageJob, { messageId: message.id }, { startAfter: Math.max(1, Math.ceil(delaySeconds)) });
  });
}

async function fail(message: Message, code: string, description: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(messages)
      .set({ status: "FAILED", errorCode: code, errorDescription: description })
      .where(and(eq(messages.id, message.id), inArray(messages.status, ["QUEUED", "SENDING"])))
      .returning();
    if (row) await tx.insert(messageEvents).values({ orgId: message.orgId, messageId: message.id, status: "FAILED", errorCode: code, errorDescription: description });
  });
}

async function senderRate(message: Message): Promise<number> {
  const [number] = await db
    .select({ rate: phoneNumbers.rate, senderType: phoneNumbers.senderType })
    .from(phoneNumbers)
    .where(and(eq(phoneNumbers.orgId, message.orgId), eq(phoneNumbers.e164, message.fromE164)))
    .limit(1);
  if (!number) return DEFAULT_RATES.SHORT_CODE; // a messaging service: the vendor paces across its pool
  return number.rate ?? DEFAULT_RATES[number.senderType];
}

/** The vendor says the recipient opted out (Twilio 21610 and the like): record it on the contact. */
export async function optOutContact(message: Pick<Message, "orgId" | "toE164">): Promise<void> {
  await db
    .update(contacts)
    .set({ optedOutAt: sql`coalesce(${contacts.optedOutAt}, now())`, updatedAt: new Date() })
    .where(and(eq(contacts.orgId, message.orgId), eq(contacts.e164, message.toE164)));
}

function isSystemReply(message: Message): boolean {
  return message.sentByUserId === null && message.idempotencyKey?.startsWith("auto:") === true;
}

function logFailure(error: unknown): void {
  // The vendor's answers are stored; only the Logs tab misses these exchanges.
  console.error("[send] could not write vendor request logs:", describe(error));
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message.slice(0, 500) : String(error).slice(0, 500);
}

/** OutboundMessage.numericId: the message's sequence number, kept within a positive 31-bit integer. */
function numericIdOf(message: Pick<Message, "seq">): number {
  return ((message.seq - 1) % 2_147_483_647) + 1;
}
