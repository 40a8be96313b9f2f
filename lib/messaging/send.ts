import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { db } from "@/db";
import { conversations, type Conversation } from "@/db/schema/conversations";
import { messages, type Message } from "@/db/schema/messages";
import { orgs } from "@/db/schema/orgs";
import { ActionError, isUniqueViolation } from "@/lib/action-result";
import { enqueueIn } from "@/lib/jobs";
import { toE164 } from "@/lib/phone";
import { countSegments } from "@/lib/segments";
import { DEFAULT_COUNTRY } from "@/lib/time";
import { sendMessageJob } from "@/workers/jobs/send-message";
import { leaseFrom } from "./config";
import { findOrCreateContact, untextableReason } from "./contacts";
import { findOrCreateConversation, latestConversationForContact, touchConversation } from "./conversations";
import { chooseSender } from "./sender";

export const MAX_BODY_LENGTH = 1600;

export const outboundSchema = z
  .object({
    to: z.string().trim().min(1, "Enter a phone number").max(40, "Too long to be a phone number"),
    body: z.string().max(MAX_BODY_LENGTH, `Keep messages to ${MAX_BODY_LENGTH} characters`).default(""),
    from: z.string().trim().max(40).optional(),
    vendorAccountId: z.string().trim().max(64).optional(),
    mediaUrls: z.array(z.url({ protocol: /^https?$/, message: "Use http(s) URLs" }).max(2000)).max(10, "At most 10 media files").default([]),
    idempotencyKey: z.string().trim().min(1).max(200).optional(),
  })
  .refine((m) => m.body.trim().length > 0 || m.mediaUrls.length > 0, { message: "Write a message or attach media", path: ["body"] });

export type OutboundInput = z.input<typeof outboundSchema>;

export type QueueOptions = {
  sentByUserId?: string | null;
  conversationId?: string;
  campaignId?: string | null;
  /** Automatic replies to STOP and HELP go even to a contact who just opted out. */
  system?: boolean;
};

/**
 * Validates, normalises, refuses opted-out or untextable contacts, chooses the sender,
 * then writes the message (QUEUED) and its send job in one transaction. The same
 * idempotency key returns the message it created the first time and never sends twice.
 */
export async function queueMessage(orgId: string, input: OutboundInput, options: QueueOptions = {}): Promise<{ message: Message; created: boolean }> {
  const parsed = outboundSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = String(issue.path[0] ?? "body");
    throw new ActionError(422, `${field}: ${issue.message}`, { [field]: issue.message });
  }
  const data = parsed.data;
  if (data.idempotencyKey) {
    const existing = await findByIdempotencyKey(orgId, data.idempotencyKey);
    if (existing) return { message: existing, created: false };
  }
  const [org] = await db.select({ features: orgs.features }).from(orgs).where(eq(orgs.id, orgId)).limit(1);
  if (!org) throw new ActionError(404, "Not found.");
  const country = org.features.defaultCountry ?? DEFAULT_COUNTRY;
  const to = toE164(data.to, country);
  if (!to.ok) throw new ActionError(422, `to: ${to.reason}`, { to: to.reason });

  try {
    const message = await db.transaction(async (tx) => {
      const contact = await findOrCreateContact(tx, orgId, to.e164);
      const refusal = options.system ? null : untextableReason(contact);
      if (refusal) throw new ActionError(409, `to: ${refusal}`, { to: refusal });
      let conversation: Conversation | undefined;
      if (options.conversationId) {
        [conversation] = await tx.select().from(conversations).where(and(eq(conversations.orgId, orgId), eq(conversations.id, options.conversationId))).limit(1);
        if (!conversation || conversation.contactId !== contact.id) throw new ActionError(404, "Not found.");
      } else {
        conversation = await latestConversationForContact(tx, orgId, contact.id);
      }
      const sender = await chooseSender(tx, { orgId, toE164: to.e164, defaultCountry: country, from: data.from, vendorAccountId: data.vendorAccountId, conversation });
      if (!conversation || conversation.ourE164 !== sender.ourE164) {
        conversation = await findOrCreateConversation(tx, { orgId, contactId: contact.id, ourE164: sender.ourE164, phoneNumberId: sender.number?.id ?? null, campaignId: options.campaignId });
      }
      const segments = countSegments(data.body);
      const [row] = await tx
        .insert(messages)
        .values({
          orgId,
          conversationId: conversation.id,
          direction: "OUTBOUND",
          body: data.body,
          media: data.mediaUrls,
          fromE164: sender.ourE164,
          toE164: to.e164,
          vendorAccountId: sender.account.id,
          messagingServiceId: sender.messagingServiceId,
          status: "QUEUED",
          segments: Math.max(1, segments.segments),
          encoding: segments.encoding,
          idempotencyKey: data.idempotencyKey ?? null,
          sentByUserId: options.sentByUserId ?? null,
          leaseUntil: leaseFrom(),
        })
        .returning();
      await touchConversation(tx, conversation.id, "OUTBOUND", row!.createdAt, { automatic: options.system });
      await enqueueIn(tx, sendMessageJob, { messageId: row!.id });
      return row!;
    });
    return { message, created: true };
  } catch (error) {
    // Two requests with one idempotency key at once: the loser returns the winner's message.
    if (data.idempotencyKey && isUniqueViolation(error)) {
      const existing = await findByIdempotencyKey(orgId, data.idempotencyKey);
      if (existing) return { message: existing, created: false };
    }
    throw error;
  }
}

async function findByIdempotencyKey(orgId: string, key: string): Promise<Message | undefined> {
  const [row] = await db.select().from(messages).where(and(eq(messages.orgId, orgId), eq(messages.idempotencyKey, key))).limit(1);
  return row;
}
