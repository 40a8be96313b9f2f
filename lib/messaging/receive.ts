import { and, eq, inArray, sql } from "drizzle-orm";
import { db } from "@/db";
import { contacts } from "@/db/schema/contacts";
import { messageEvents } from "@/db/schema/message-events";
import { messages } from "@/db/schema/messages";
import { orgs, type OrgFeatures } from "@/db/schema/orgs";
import { phoneNumbers } from "@/db/schema/phone-numbers";
import type { VendorAccount } from "@/db/schema/vendor-accounts";
import type { AnyVendorAdapter, VendorEvent } from "@/lib/vendors/types";
import { findOrCreateContact } from "./contacts";
import { findOrCreateConversation, touchConversation } from "./conversations";
import { optOutContact } from "./deliver";
import { countSegments } from "@/lib/segments";
import { keywordOf } from "./keywords";
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
 * and flagged, never dropped. Keywords opt out, opt in and answer HELP.
 */
export async function receiveInbound(account: VendorAccount, event: InboundEvent): Promise<void> {
  const orgId = account.orgId;
  const stored = await db.transaction(async (tx) => {
    const [number] = await tx.select().from(phoneNumbers).where(and(eq(phoneNumbers.orgId, orgId), eq(phoneNumbers.e164, event.to))).limit(1);
    const contact = await findOrCreateContact(tx, orgId, event.from);
    const conversation = await findOrCreateConversation(tx, { orgId, contactId: contact.id, ourE164: event.to, phoneNumberId: number?.id ?? null });
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
        flag: number ? null : "unknown_number",
        segments: Math.max(1, segments.segments),
        encoding: segments.encoding,
        createdAt: receivedAt,
      })
      .onConflictDoNothing()
      .returning();
    if (!row) return null; // the vendor sent this one before
    await touchConversation(tx, conversation.id, "INBOUND", receivedAt);
    return { message: row, contactId: contact.id };
  });
  if (!stored) return;
  const [org] = await db.select({ features: orgs.features }).from(orgs).where(eq(orgs.id, orgId)).limit(1);
  await answerKeyword(orgId, org?.features ?? {}, stored.message.id, event, stored.contactId);
}

async function answerKeyword(orgId: string, features: OrgFeatures, messageId: string, event: InboundEvent, contactId: string): Promise<void> {
  const keyword = keywordOf(event.body, features);
  if (!keyword) return;
  if (keyword === "opt-out") {
    await db.update(contacts).set({ optedOutAt: sql`coalesce(${contacts.optedOutAt}, now())`, updatedAt: new Date() }).where(and(eq(contacts.orgId, orgId), eq(contacts.id, contactId)));
  } else if (keyword === "opt-in") {
    await db.update(contacts).set({ optedOutAt: null, updatedAt: new Date() }).where(and(eq(contacts.orgId, orgId), eq(contacts.id, contactId)));
  }
  const reply = keyword === "opt-out" ? features.optOutConfirmation : keyword === "help" ? features.helpReply : null;
  if (!reply) return;
  // Keyed by the inbound message, so a redelivered STOP never gets two confirmations.
  await queueMessage(orgId, { to: event.from, from: event.to, body: reply, idempotencyKey: `auto:${messageId}:${keyword}` }, { system: true }).catch((error: unknown) => {
    console.error(`[receive] could not queue the ${keyword} reply:`, error instanceof Error ? error.message : error);
  });
}

/**
 * Moves a message forward by a delivery report, never back: a duplicate or out-of-order
 * report only adds to the message's history. Every report is kept in message_events.
 */
export async function applyStatus(account: VendorAccount, adapter: AnyVendorAdapter, event: StatusEvent): Promise<void> {
  const [message] = await db
    .select()
    .from(messages)
    .where(and(eq(messages.vendorAccountId, account.id), eq(messages.vendorMessageId, event.vendorMessageId)))
    .limit(1);
  if (!message) throw new UnknownMessageError(`no message with vendor id ${event.vendorMessageId} (yet)`);
  const info = event.errorCode ? adapter.errorDescription(event.errorCode) : undefined;
  const errorDescription = event.errorDescription ?? info?.description;
  await db.transaction(async (tx) => {
    const at = event.occurredAt ?? new Date();
    await tx
      .update(messages)
      .set({
        status: event.status,
        ...(event.status === "DELIVERED" ? { deliveredAt: at } : {}),
        ...(event.status === "SENT" ? { sentAt: sql`coalesce(${messages.sentAt}, ${at.toISOString()}::timestamptz)` } : {}),
        ...(event.status === "FAILED" ? { errorCode: event.errorCode ?? "failed", errorDescription: errorDescription ?? "The vendor reported the message as failed." } : {}),
      })
      .where(and(eq(messages.id, message.id), inArray(messages.status, statusesBefore(event.status))));
    await tx.insert(messageEvents).values({
      orgId: message.orgId,
      messageId: message.id,
      status: event.status,
      vendorStatus: event.vendorStatus,
      errorCode: event.errorCode,
      errorDescription,
      occurredAt: event.occurredAt,
    });
  });
  if (event.status === "FAILED" && info?.optOut) await optOutContact(message);
}
