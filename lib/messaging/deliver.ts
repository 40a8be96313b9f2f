import { and, eq, inArray, sql } from "drizzle-orm";
import { db } from "@/db";
import { contacts } from "@/db/schema/contacts";
import { messageEvents } from "@/db/schema/message-events";
import { messageParts } from "@/db/schema/message-parts";
import { messages, type Message, type MessageStatus } from "@/db/schema/messages";
import { orgs } from "@/db/schema/orgs";
import { phoneNumbers } from "@/db/schema/phone-numbers";
import { vendorAccounts } from "@/db/schema/vendor-accounts";
import { enqueueIn } from "@/lib/jobs";
import { DEFAULT_RATES } from "@/lib/numbers";
import { buildVendorContext } from "@/lib/vendors/context";
import { VendorError } from "@/lib/vendors/errors";
import { sendMessageJob } from "@/workers/jobs/send-message";
import { leaseFrom, retryDelaySeconds, sendConfig } from "./config";
import { sendBatched } from "./batch";
import { awaitDevice, isDevicePull } from "./device";
import { awaitSendSlot } from "./rate-limit";

/**
 * The send worker's work for one message. Claims it (QUEUED -> SENDING) so that no two
 * workers send it; a message found already SENDING was left by a crash and is reconciled
 * with the vendor instead of sent blind. Retryable vendor errors go back to QUEUED with
 * exponential backoff; final ones, and retries used up, mark it FAILED with the vendor's words.
 */
export async function deliverMessage(messageId: string): Promise<void> {
  const [message] = await db.select().from(messages).where(eq(messages.id, messageId)).limit(1);
  if (!message || message.direction !== "OUTBOUND") return;
  if (message.status === "SENDING") return reconcile(message);
  if (message.status !== "QUEUED") return; // already sent, delivered or failed: a duplicate job

  const [account] = await db.select().from(vendorAccounts).where(eq(vendorAccounts.id, message.vendorAccountId!)).limit(1);
  if (!account || !account.enabled) return fail(message, "account_unavailable", "The vendor account was disabled or deleted before the message could be sent.");
  const [contact] = await db.select().from(contacts).where(and(eq(contacts.orgId, message.orgId), eq(contacts.e164, message.toE164))).limit(1);
  if (contact?.optedOutAt && !isSystemReply(message)) return fail(message, "opted_out", "The contact opted out before the message was sent.");
  // A device-pull account (SMSsync) has no vendor to call: the message waits, SENDING without a lease, for the phone to fetch it.
  if (isDevicePull(account)) return awaitDevice(message);

  // Everything slow (context, claim, new pool connections) happens before the slot; after the wait, only the send.
  const [org] = await db.select({ features: orgs.features }).from(orgs).where(eq(orgs.id, message.orgId)).limit(1);
  const { adapter, ctx } = buildVendorContext(account, { defaultCountry: org?.features.defaultCountry });
  const [claimed] = await db
    .update(messages)
    .set({ status: "SENDING", attempts: sql`${messages.attempts} + 1`, leaseUntil: leaseFrom() })
    .where(and(eq(messages.id, message.id), eq(messages.status, "QUEUED")))
    .returning();
  if (!claimed) return; // another worker has it
  const claimedAt = new Date();
  if (sendConfig.rateLimitsEnabled()) {
    const tooFar = await awaitSendSlot(`${account.id}:${message.fromE164}`, await senderRate(message));
    if (tooFar) return unclaim(claimed, tooFar.retryInMs / 1000);
  }
  try {
    const result = await sendBatched(adapter, ctx, {
      id: claimed.id,
      to: claimed.toE164,
      from: claimed.messagingServiceId ? undefined : claimed.fromE164,
      messagingServiceId: claimed.messagingServiceId ?? undefined,
      body: claimed.body,
      mediaUrls: claimed.media,
      numericId: numericIdOf(claimed),
    });
    await recordEvent(claimed, "SENDING", null, claimedAt);
    await markSent(claimed, result.vendorMessageIds, result.segments);
  } catch (error) {
    await recordEvent(claimed, "SENDING", null, claimedAt);
    const vendorError = error instanceof VendorError ? error : null;
    if (!vendorError) {
      // Not the vendor's answer: our own failure after the claim. Whether the vendor got it is unknown.
      await db.update(messages).set({ needsReview: true, errorDescription: describe(error) }).where(eq(messages.id, claimed.id));
      throw error;
    }
    const info = adapter.errorDescription(vendorError.vendorCode ?? vendorError.code);
    const description = info?.description ?? vendorError.description;
    if (vendorError.optOut || info?.optOut) await optOutContact(claimed);
    const retry = vendorError.retryable && !vendorError.optOut && claimed.attempts < sendConfig.maxAttempts();
    if (retry) {
      const delay = Math.max(vendorError.retryAfterSeconds ?? 0, retryDelaySeconds(claimed.attempts));
      return requeue(claimed, delay, vendorError.vendorCode ?? vendorError.code, description);
    }
    return fail(claimed, vendorError.vendorCode ?? vendorError.code, description);
  }
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

async function recordEvent(message: Message, status: MessageStatus, vendorStatus: string | null, at: Date): Promise<void> {
  await db.insert(messageEvents).values({ orgId: message.orgId, messageId: message.id, status, vendorStatus, createdAt: at });
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

function describe(error: unknown): string {
  return error instanceof Error ? error.message.slice(0, 500) : String(error).slice(0, 500);
}

/** OutboundMessage.numericId: the message's sequence number, kept within a positive 31-bit integer. */
function numericIdOf(message: Pick<Message, "seq">): number {
  return ((message.seq - 1) % 2_147_483_647) + 1;
}
