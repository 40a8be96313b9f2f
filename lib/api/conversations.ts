import { and, asc, desc, eq, inArray, or, sql, type SQL } from "drizzle-orm";
import type { z } from "zod";
import { db } from "@/db";
import { contacts } from "@/db/schema/contacts";
import { conversations } from "@/db/schema/conversations";
import { messages, MESSAGE_DIRECTIONS } from "@/db/schema/messages";
import { isUuid } from "@/lib/vendors/accounts";
import { CURSOR_AT_FORMAT, decodeCursor, encodeCursor } from "./cursor";
import { notFound } from "./errors";
import { maskOtpBody } from "./otp-format";
import type { conversationListQuery, ConversationResource } from "./schemas";

const PREVIEW_LENGTH = 160;

/**
 * The org's conversations, most recent first, by keyset on (last_message_at desc, id) —
 * the order of conversations_org_last_message_idx — so a page never repeats or skips a
 * row, however many there are. A conversation that gets a new message moves to the front,
 * so a walk in progress sees it again only from the first page.
 */
export async function listApiConversations(
  orgId: string,
  query: z.output<typeof conversationListQuery>,
): Promise<{ data: ConversationResource[]; nextCursor: string | null; hasMore: boolean }> {
  const cursor = decodeCursor(query.cursor);
  const conditions: SQL[] = [eq(conversations.orgId, orgId)];
  if (cursor) {
    conditions.push(
      or(
        sql`${conversations.lastMessageAt} < ${cursor.at}::timestamptz`,
        and(sql`${conversations.lastMessageAt} = ${cursor.at}::timestamptz`, sql`${conversations.id} > ${cursor.id}::uuid`),
      )!,
    );
  }
  const rows = await db
    .select({
      conversation: conversations,
      contact: {
        id: contacts.id,
        e164: contacts.e164,
        firstName: contacts.firstName,
        lastName: contacts.lastName,
        optedOutAt: contacts.optedOutAt,
      },
      cursorAt: sql<string>`to_char(${conversations.lastMessageAt} at time zone 'UTC', ${CURSOR_AT_FORMAT})`,
    })
    .from(conversations)
    .innerJoin(contacts, and(eq(contacts.id, conversations.contactId), eq(contacts.orgId, orgId)))
    .where(and(...conditions))
    // "desc nulls last", as the index is built: plain desc (nulls first) would not use it.
    .orderBy(sql`${conversations.lastMessageAt} desc nulls last`, asc(conversations.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const hasMore = rows.length > query.limit;
  const previews = await latestMessages(
    orgId,
    page.map((row) => row.conversation.id),
  );
  const last = page.at(-1);
  return {
    data: page.map(({ conversation, contact }) => {
      const preview = previews.get(conversation.id);
      return {
        id: conversation.id,
        contact: {
          id: contact.id,
          e164: contact.e164,
          firstName: contact.firstName,
          lastName: contact.lastName,
          optedOut: contact.optedOutAt !== null,
        },
        ourNumber: conversation.ourE164,
        lastMessageAt: conversation.lastMessageAt.toISOString(),
        lastDirection: directionOf(conversation.lastDirection),
        unread: conversation.unread,
        preview: preview
          ? {
              body: (preview.direction === "OUTBOUND" ? maskOtpBody(preview.body) : preview.body).slice(0, PREVIEW_LENGTH),
              direction: preview.direction,
              createdAt: preview.createdAt.toISOString(),
            }
          : null,
      };
    }),
    nextCursor: hasMore && last ? encodeCursor({ at: last.cursorAt, id: last.conversation.id }) : null,
    hasMore,
  };
}

/** The conversation's id when it is the org's; 404 for another org's id or a malformed one. */
export async function requireApiConversation(orgId: string, id: string): Promise<string> {
  if (!isUuid(id)) throw notFound("No such conversation in this organization.");
  const [row] = await db
    .select({ id: conversations.id })
    .from(conversations)
    .where(and(eq(conversations.orgId, orgId), eq(conversations.id, id)))
    .limit(1);
  if (!row) throw notFound("No such conversation in this organization.");
  return row.id;
}

async function latestMessages(orgId: string, conversationIds: string[]) {
  if (conversationIds.length === 0)
    return new Map<string, { body: string; direction: (typeof MESSAGE_DIRECTIONS)[number]; createdAt: Date }>();
  const rows = await db
    .selectDistinctOn([messages.conversationId], {
      conversationId: messages.conversationId,
      body: messages.body,
      direction: messages.direction,
      createdAt: messages.createdAt,
    })
    .from(messages)
    .where(and(eq(messages.orgId, orgId), inArray(messages.conversationId, conversationIds)))
    .orderBy(messages.conversationId, desc(messages.createdAt), desc(messages.id));
  return new Map(rows.map((row) => [row.conversationId!, row]));
}

function directionOf(value: string | null): (typeof MESSAGE_DIRECTIONS)[number] | null {
  return MESSAGE_DIRECTIONS.find((d) => d === value) ?? null;
}
