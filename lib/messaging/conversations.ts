import { and, desc, eq, isNotNull, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db";
import { conversations, type Conversation } from "@/db/schema/conversations";

/** The thread between a contact and one of our senders, created when new. */
export async function findOrCreateConversation(
  q: DbOrTx,
  input: { orgId: string; contactId: string; ourE164: string; phoneNumberId: string | null; campaignId?: string | null },
): Promise<Conversation> {
  const [row] = await q
    .insert(conversations)
    .values({ orgId: input.orgId, contactId: input.contactId, ourE164: input.ourE164, phoneNumberId: input.phoneNumberId, campaignId: input.campaignId ?? null })
    .onConflictDoUpdate({
      target: [conversations.orgId, conversations.contactId, conversations.ourE164],
      targetWhere: sql`${conversations.ourE164} is not null`,
      set: { phoneNumberId: sql`coalesce(${conversations.phoneNumberId}, excluded.phone_number_id)` },
    })
    .returning();
  return row!;
}

/** The contact's most recent thread with a number of ours, for replying from the same number. */
export async function latestConversationForContact(q: DbOrTx, orgId: string, contactId: string): Promise<Conversation | undefined> {
  const [row] = await q
    .select()
    .from(conversations)
    .where(and(eq(conversations.orgId, orgId), eq(conversations.contactId, contactId), isNotNull(conversations.phoneNumberId)))
    .orderBy(desc(conversations.lastMessageAt))
    .limit(1);
  return row;
}

/**
 * Moves a thread to the top. An inbound message needs reading; a person's reply answers it;
 * an automatic reply (to HELP or STOP) leaves it as it was, so the keyword still shows.
 */
export async function touchConversation(
  q: DbOrTx,
  conversationId: string,
  direction: "INBOUND" | "OUTBOUND",
  at = new Date(),
  options: { automatic?: boolean } = {},
): Promise<void> {
  await q
    .update(conversations)
    .set({
      lastMessageAt: sql`greatest(${conversations.lastMessageAt}, ${at.toISOString()}::timestamptz)`,
      ...(options.automatic ? {} : { lastDirection: direction, unread: direction === "INBOUND" }),
    })
    .where(eq(conversations.id, conversationId));
}
