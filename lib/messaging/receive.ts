import { and, eq, inArray, ne, sql, type SQL } from "drizzle-orm";
import { db, type Tx } from "@/db";
import { contacts } from "@/db/schema/contacts";
import { messageEvents } from "@/db/schema/message-events";
import { messageParts, type MessagePart } from "@/db/schema/message-parts";
import { messages, type Message } from "@/db/schema/messages";
import { orgs, type OrgFeatures } from "@/db/schema/orgs";
import { phoneNumbers } from "@/db/schema/phone-numbers";
import type { VendorAccount } from "@/db/schema/vendor-accounts";
import type { AnyVendorAdapter, VendorEvent } from "@/lib/vendors/types";
import { findOrCreateContact } from "./contacts";
import { findOrCreateConversation, touchConversation } from "./conversations";
import { optOutContact } from "./deliver";
import { countSegments } from "@/lib/segments";
import { keywordOf } from "./keywords";
import { receivePart } from "./concat";
import { queueMessage } from "./send";
import { statusesBefore } from "./status";

/** A delivery report for a message we have not recorded as sent yet: try again shortly. */
export class UnknownMessageError extends Error {}

type InboundEvent = Extract<VendorEvent, { type: "inbound" }>;
type StatusEvent = Extract<VendorEvent, { type: "status" }>;

export async function applyEvent(account: VendorAccount, adapter: AnyVendorAdapter, event: VendorEvent): Promise<void> {
  if (event.type === "inbound") await receiveInbound(account, event);
  else await applyStatus(account, adapter, event);
}

/**
 * Stores an inbound message in its conversation (creating contact and conversation when
 * new), once per vendor message id. A message to a number the org does not have is kept
 * and flagged, never dropped. Keywords opt out, opt in and answer HELP. Parts of a long
 * message wait in inbound_parts until the set is whole (./concat.ts).
 */
export async function receiveInbound(account: VendorAccount, event: InboundEvent): Promise<void> {
  if (event.parts && event.parts.total > 1) return receivePart(account, event, event.parts);
  const stored = await db.transaction((tx) => storeInbound(tx, account, event));
  if (stored) await afterInbound(account.orgId, stored, event);
}

export type StoredInbound = { message: Message; contactId: string };

/** The inbound message and its conversation, in the caller's transaction; null when the vendor sent it before. */
export async function storeInbound(
  tx: Tx,
  account: VendorAccount,
  event: InboundEvent,
  flag?: string,
): Promise<StoredInbound | null> {
  const orgId = account.orgId;
  event = { ...event, to: await replyTarget(tx, account, event) };
  const [number] = await tx
    .select()
    .from(phoneNumbers)
    .where(and(eq(phoneNumbers.orgId, orgId), eq(phoneNumbers.e164, event.to)))
    .limit(1);
  const contact = await findOrCreateContact(tx, orgId, event.from);
  const conversation = await findOrCreateConversation(tx, {
    orgId,
    contactId: contact.id,
    ourE164: event.to,
    phoneNumberId: number?.id ?? null,
  });
  const receivedAt = event.receivedAt ?? new Date();
  const segments = countSegments(event.body);
  const [row] = await tx
    .insert(messages)
    .values({
      orgId,
      conversationId: conversation.id,
      direction: "INBOUND",
      body: event.body,
      media: event.media,
      fromE164: event.from,
      toE164: event.to,
      vendorAccountId: account.id,
      status: "RECEIVED",
      vendorMessageId: event.vendorMessageId ?? null,
      flag: number ? (flag ?? null) : "unknown_number",
      segments: Math.max(1, segments.segments),
      encoding: segments.encoding,
      createdAt: receivedAt,
    })
    .onConflictDoNothing()
    .returning();
  if (!row) return null; // the vendor sent this one before
  await touchConversation(tx, conversation.id, "INBOUND", receivedAt);
  return { message: row, contactId: contact.id };
}

/** What follows a stored inbound message, outside its transaction: keywords and their replies. */
export async function afterInbound(orgId: string, stored: StoredInbound, event: InboundEvent): Promise<void> {
  const [org] = await db.select({ features: orgs.features }).from(orgs).where(eq(orgs.id, orgId)).limit(1);
  const { body, toE164: to } = stored.message;
  await answerKeyword(orgId, org?.features ?? {}, stored.message.id, { ...event, body, to }, stored.contactId);
}

/**
 * Which of our numbers a reply was sent to. Where the vendor links a reply to the message it
 * answers (MessageMedia), it is the number that message went from, so the reply joins that
 * conversation even when the vendor names another of our numbers, or none.
 */
async function replyTarget(tx: Tx, account: VendorAccount, event: InboundEvent): Promise<string> {
  if (!event.inReplyTo) return event.to;
  const [original] = await tx
    .select({ fromE164: messages.fromE164 })
    .from(messages)
    .where(
      and(
        eq(messages.vendorAccountId, account.id),
        eq(messages.vendorMessageId, event.inReplyTo),
        eq(messages.direction, "OUTBOUND"),
        eq(messages.toE164, event.from),
      ),
    )
    .limit(1);
  return original?.fromE164 ?? event.to;
}

async function answerKeyword(
  orgId: string,
  features: OrgFeatures,
  messageId: string,
  event: InboundEvent,
  contactId: string,
): Promise<void> {
  const keyword = keywordOf(event.body, features);
  if (!keyword) return;
  if (keyword === "opt-out") {
    await db
      .update(contacts)
      .set({ optedOutAt: sql`coalesce(${contacts.optedOutAt}, now())`, updatedAt: new Date() })
      .where(and(eq(contacts.orgId, orgId), eq(contacts.id, contactId)));
  } else if (keyword === "opt-in") {
    await db
      .update(contacts)
      .set({ optedOutAt: null, updatedAt: new Date() })
      .where(and(eq(contacts.orgId, orgId), eq(contacts.id, contactId)));
  }
  const reply = keyword === "opt-out" ? features.optOutConfirmation : keyword === "help" ? features.helpReply : null;
  if (!reply) return;
  // Keyed by the inbound message, so a redelivered STOP never gets two confirmations.
  await queueMessage(
    orgId,
    { to: event.from, from: event.to, body: reply, idempotencyKey: `auto:${messageId}:${keyword}` },
    { system: true },
  ).catch((error: unknown) => {
    console.error(`[receive] could not queue the ${keyword} reply:`, error instanceof Error ? error.message : error);
  });
}

/**
 * Moves a message forward by a delivery report, never back: a duplicate or out-of-order
 * report only adds to the message's history. Every report is kept in message_events. A
 * message the vendor sent in parts is DELIVERED when every part is, FAILED when one fails.
 */
export async function applyStatus(account: VendorAccount, adapter: AnyVendorAdapter, event: StatusEvent): Promise<void> {
  const info = event.errorCode ? adapter.errorDescription(event.errorCode) : undefined;
  const errorDescription = event.errorDescription ?? info?.description;
  const message = await db.transaction(async (tx) => {
    const found = await reportedMessage(tx, account, event);
    if (!found) throw new UnknownMessageError(`no message with vendor id ${event.vendorMessageId} (yet)`);
    const { message, part } = found;
    let status = event.status;
    if (part) {
      await tx
        .update(messageParts)
        .set({ status })
        .where(
          and(
            eq(messageParts.messageId, message.id),
            eq(messageParts.vendorMessageId, event.vendorMessageId),
            inArray(messageParts.status, statusesBefore(status)),
          ),
        );
      if (status === "DELIVERED") {
        const [pending] = await tx
          .select({ id: messageParts.vendorMessageId })
          .from(messageParts)
          .where(and(eq(messageParts.messageId, message.id), ne(messageParts.status, "DELIVERED")))
          .limit(1);
        if (pending) status = "SENT"; // this part arrived; the message has not, yet
      }
    }
    const at = event.occurredAt ?? new Date();
    await tx
      .update(messages)
      .set({
        status,
        ...(status === "DELIVERED" ? { deliveredAt: at } : {}),
        ...(status === "SENT" ? { sentAt: sql`coalesce(${messages.sentAt}, ${at.toISOString()}::timestamptz)` } : {}),
        ...(status === "FAILED"
          ? {
              errorCode: event.errorCode ?? "failed",
              errorDescription: errorDescription ?? "The vendor reported the message as failed.",
            }
          : {}),
        // A report for a send a crash left unknown settles it, and tells us the vendor's id.
        ...(message.needsReview ? { needsReview: false, vendorMessageId: message.vendorMessageId ?? event.vendorMessageId } : {}),
      })
      .where(and(eq(messages.id, message.id), inArray(messages.status, statusesBefore(status))));
    await tx.insert(messageEvents).values({
      orgId: message.orgId,
      messageId: message.id,
      status: event.status,
      vendorStatus: part ? `${event.vendorStatus} (part ${part.partIndex})` : event.vendorStatus,
      errorCode: event.errorCode,
      errorDescription,
      occurredAt: event.occurredAt,
    });
    return message;
  });
  if (event.status === "FAILED" && info?.optOut) await optOutContact(message);
}

/**
 * The message a report is about, locked so reports for its parts apply one at a time:
 * by our own id where the vendor echoes it (no lookup by the vendor's id), else by the
 * vendor's id for the message or one of its parts. A report that beats our record of the
 * send finds nothing, or a message still SENDING: the caller retries shortly, by when the
 * worker has stored the vendor's ids. Only a send a crash left for review is settled early.
 */
async function reportedMessage(
  tx: Tx,
  account: VendorAccount,
  event: StatusEvent,
): Promise<{ message: Message; part?: MessagePart } | null> {
  // The part with the reported id, if the vendor split the message: joined to each lookup, not a query of its own.
  const reportedPart = and(eq(messageParts.vendorAccountId, account.id), eq(messageParts.vendorMessageId, event.vendorMessageId));
  const withPart = async (where: SQL | undefined) => {
    const [row] = await tx
      .select({ message: messages, part: messageParts })
      .from(messages)
      .leftJoin(messageParts, reportedPart)
      .where(where)
      .for("update", { of: messages });
    return row;
  };
  let found = event.messageId
    ? await withPart(
        and(eq(messages.id, event.messageId), eq(messages.vendorAccountId, account.id), eq(messages.direction, "OUTBOUND")),
      )
    : undefined;
  found ??= await withPart(and(eq(messages.vendorAccountId, account.id), eq(messages.vendorMessageId, event.vendorMessageId)));
  // A later part: only message_parts has its id.
  found ??= (
    await tx
      .select({ message: messages, part: messageParts })
      .from(messageParts)
      .innerJoin(messages, eq(messages.id, messageParts.messageId))
      .where(reportedPart)
      .for("update", { of: messages })
  )[0];
  if (!found) return null;
  const { message, part } = found;
  if (part && part.messageId !== message.id) return null;
  if ((message.status === "QUEUED" || message.status === "SENDING") && !message.needsReview) return null;
  return { message, part: part ?? undefined };
}
