import { and, asc, desc, eq, ilike, inArray, isNotNull, isNull, or, sql, type SQL } from "drizzle-orm";
import { db } from "@/db";
import { campaigns } from "@/db/schema/campaigns";
import { contacts } from "@/db/schema/contacts";
import { conversations } from "@/db/schema/conversations";
import { memberships } from "@/db/schema/memberships";
import { messages, type Message } from "@/db/schema/messages";
import { users } from "@/db/schema/users";
import type { InboxQuery } from "@/components/conversations/inbox-query";
import { ActionError } from "@/lib/action-result";
import { untextableReason } from "@/lib/messaging/contacts";
import { formatPhone, toE164 } from "@/lib/phone";
import type { OrgContext } from "@/lib/tenancy";
import { DEFAULT_COUNTRY } from "@/lib/time";
import { isUuid } from "@/lib/vendors/accounts";
import { maskOtpBody } from "@/lib/api/otp-format";

/**
 * The inbox and its threads. Every query here starts from `scopeOf(ctx)`: the org, and for
 * a texter only the conversations assigned to them, so a page, a JSON route and an action
 * cannot show or touch more than the person may see. Dates leave as ISO strings, so a
 * server page and the polling routes hand the client the same shapes.
 */
export const INBOX_PAGE_SIZE = 30;
export const THREAD_MESSAGE_LIMIT = 200;
/** Inbox badges (needs review, unknown number, failed) look at this many latest messages of a thread. */
const FLAG_WINDOW = 50;
/** Up to this many contacts matching a search or filter are passed to the inbox query as a set. */
const CONTACT_SET_LIMIT = 1000;
/** Tab counts stop here ("999+"): counting a huge backlog exactly is not worth a slow inbox. */
export const COUNT_CAP = 999;

export type InboxRow = {
  id: string;
  /** `phone` is the number as people read it, formatted here so browsers need no phone metadata. */
  contact: { id: string; name: string; e164: string; phone: string; optedOut: boolean; untextable: boolean };
  ourE164: string | null;
  assignedUserId: string | null;
  assignedName: string | null;
  campaignTitle: string | null;
  lastMessageAt: string;
  unread: boolean;
  needsReply: boolean;
  preview: { body: string; direction: Message["direction"]; media: number } | null;
  flags: { unknownNumber: boolean; needsReview: boolean; failed: boolean };
};

export type InboxPage = { rows: InboxRow[]; next: string | null; counts: InboxCounts };
export type InboxCounts = { unread: number; needsReply: number };

export type ThreadHeader = {
  id: string;
  contact: { id: string; name: string; e164: string; phone: string; optedOutAt: string | null };
  /** Why the composer is locked, in words; null when the contact can be texted. */
  lockedReason: string | null;
  ourE164: string | null;
  ourPhone: string | null;
  hasOurNumber: boolean;
  assignedUserId: string | null;
  assignedName: string | null;
  campaignTitle: string | null;
  unread: boolean;
};

export type ThreadMessage = Pick<
  Message,
  | "id"
  | "direction"
  | "body"
  | "media"
  | "status"
  | "errorCode"
  | "errorDescription"
  | "flag"
  | "needsReview"
  | "segments"
  | "encoding"
  | "fromE164"
  | "toE164"
> & { sentByName: string | null; createdAt: string };

export type Thread = { conversation: ThreadHeader; messages: ThreadMessage[]; truncated: boolean };

/**
 * One page of the inbox, newest activity first. The order (last_message_at desc, id asc) is
 * exactly conversations_org_last_message_idx, or conversations_org_assigned_last_message_idx
 * when the list is one texter's, so PostgreSQL walks the index and stops after a page however
 * many conversations the org has. The cursor keeps last_message_at as PostgreSQL's own text
 * (microseconds intact); the id breaks ties.
 */
export async function listInbox(ctx: OrgContext, query: InboxQuery, limit = INBOX_PAGE_SIZE): Promise<Omit<InboxPage, "counts">> {
  return selectInboxPage((await inboxConditions(ctx, query)).list, query.before, limit);
}

/**
 * Unread and needs-reply counts for the tabs, under the same search, texter and campaign as
 * the list. Each is a capped count (a LIMIT inside), so a backlog of thousands stays cheap.
 */
export async function countInbox(ctx: OrgContext, query: InboxQuery): Promise<InboxCounts> {
  return countWhere((await inboxConditions(ctx, query)).counts);
}

/** The list and its tab counts, resolving a search once for both. */
export async function loadInboxPage(ctx: OrgContext, query: InboxQuery): Promise<InboxPage> {
  const conditions = await inboxConditions(ctx, query);
  const [page, counts] = await Promise.all([
    selectInboxPage(conditions.list, query.before, INBOX_PAGE_SIZE),
    countWhere(conditions.counts),
  ]);
  return { ...page, counts };
}

async function selectInboxPage(where: SQL, before: string | undefined, limit: number): Promise<Omit<InboxPage, "counts">> {
  const cursor = decodeCursor(before);
  // The page's conversations first, on their own: a subquery with a LIMIT is never merged into the
  // query around it, so the previews and badges below are looked up for this page's rows only. In one
  // query, a low estimate of the org's conversations (joined to contacts) made PostgreSQL compute them
  // for every conversation of the org and sort afterwards: 35 ms at a thousand conversations, ten
  // times that at ten thousand.
  const pageIds = db
    .select({ id: conversations.id })
    .from(conversations)
    .where(
      and(
        where,
        cursor
          ? sql`${conversations.lastMessageAt} <= ${cursor.at}::timestamptz and (${conversations.lastMessageAt} < ${cursor.at}::timestamptz or ${conversations.id} > ${cursor.id}::uuid)`
          : undefined,
      ),
    )
    .orderBy(sql`${conversations.lastMessageAt} desc nulls last`, asc(conversations.id))
    .limit(limit + 1)
    .as("page_ids");
  // The thread's latest message, for the preview: a backward step on messages_conversation_created_idx.
  const last = db
    .select({ body: messages.body, direction: messages.direction, media: messages.media })
    .from(messages)
    .where(and(eq(messages.conversationId, conversations.id), eq(messages.orgId, conversations.orgId)))
    .orderBy(desc(messages.createdAt))
    .limit(1)
    .as("last");
  const recent = db
    .select({
      flag: messages.flag,
      needsReview: messages.needsReview,
      status: messages.status,
      direction: messages.direction,
      createdAt: messages.createdAt,
    })
    .from(messages)
    .where(and(eq(messages.conversationId, conversations.id), eq(messages.orgId, conversations.orgId)))
    .orderBy(desc(messages.createdAt))
    .limit(FLAG_WINDOW)
    .as("recent");
  const flags = db
    .select({
      unknownNumber: sql<boolean>`coalesce(bool_or(${recent.flag} = 'unknown_number'), false)`.as("unknown_number"),
      needsReview: sql<boolean>`coalesce(bool_or(${recent.needsReview}), false)`.as("needs_review"),
      // Failed when the latest outbound message of the window failed, not an old one since retried.
      failed:
        sql<boolean>`coalesce((array_agg(${recent.status} order by ${recent.createdAt} desc) filter (where ${recent.direction} = 'OUTBOUND'))[1] = 'FAILED', false)`.as(
          "failed",
        ),
    })
    .from(recent)
    .as("flags");

  const rows = await db
    .select({
      id: conversations.id,
      cursorAt: sql<string>`${conversations.lastMessageAt}::text`,
      lastMessageAt: conversations.lastMessageAt,
      lastDirection: conversations.lastDirection,
      unread: conversations.unread,
      ourE164: conversations.ourE164,
      assignedUserId: conversations.assignedUserId,
      assignedName: users.name,
      campaignTitle: campaigns.title,
      contactId: contacts.id,
      firstName: contacts.firstName,
      lastName: contacts.lastName,
      e164: contacts.e164,
      optedOutAt: contacts.optedOutAt,
      statusCode: contacts.statusCode,
      lastBody: last.body,
      lastDirectionOfMessage: last.direction,
      lastMedia: last.media,
      unknownNumber: flags.unknownNumber,
      needsReview: flags.needsReview,
      failed: flags.failed,
    })
    .from(pageIds)
    .innerJoin(conversations, eq(conversations.id, pageIds.id))
    .innerJoin(contacts, and(eq(contacts.id, conversations.contactId), eq(contacts.orgId, conversations.orgId)))
    .leftJoin(users, eq(users.id, conversations.assignedUserId))
    .leftJoin(campaigns, and(eq(campaigns.id, conversations.campaignId), eq(campaigns.orgId, conversations.orgId)))
    .leftJoinLateral(last, sql`true`)
    .leftJoinLateral(flags, sql`true`)
    .orderBy(sql`${conversations.lastMessageAt} desc nulls last`, asc(conversations.id));

  const page = rows.slice(0, limit);
  const tail = page.at(-1);
  const next = rows.length > limit && tail ? Buffer.from(`${tail.cursorAt}|${tail.id}`).toString("base64url") : null;
  return {
    next,
    rows: page.map((r) => ({
      id: r.id,
      contact: {
        id: r.contactId,
        name: `${r.firstName} ${r.lastName}`.trim(),
        e164: r.e164,
        phone: formatPhone(r.e164),
        optedOut: r.optedOutAt !== null,
        untextable: untextableReason(r) !== null,
      },
      ourE164: r.ourE164,
      assignedUserId: r.assignedUserId,
      assignedName: r.assignedName,
      campaignTitle: r.campaignTitle,
      lastMessageAt: r.lastMessageAt.toISOString(),
      unread: r.unread,
      needsReply: r.lastDirection === "INBOUND" && r.optedOutAt === null,
      preview: r.lastDirectionOfMessage
        ? {
            body: r.lastDirectionOfMessage === "OUTBOUND" ? maskOtpBody(r.lastBody ?? "") : (r.lastBody ?? ""),
            direction: r.lastDirectionOfMessage,
            media: r.lastMedia?.length ?? 0,
          }
        : null,
      flags: { unknownNumber: r.unknownNumber ?? false, needsReview: r.needsReview ?? false, failed: r.failed ?? false },
    })),
  };
}

async function countWhere(where: SQL): Promise<InboxCounts> {
  const capped = (extra: SQL) =>
    sql<number>`(select count(*)::int from (${db
      .select({ one: sql`1` })
      .from(conversations)
      .where(and(where, extra))
      .limit(COUNT_CAP + 1)}) capped)`;
  const [row] = await db.execute<{ unread: number; needs_reply: number }>(
    sql`select ${capped(eq(conversations.unread, true))} as unread, ${capped(NEEDS_REPLY)} as needs_reply`,
  );
  return { unread: Number(row?.unread ?? 0), needsReply: Number(row?.needs_reply ?? 0) };
}

/** The thread's header and its latest messages (oldest first), or null when the viewer may not see it. */
export async function loadThread(ctx: OrgContext, conversationId: string): Promise<Thread | null> {
  const conversation = await findThreadHeader(ctx, conversationId);
  if (!conversation) return null;
  const rows = await db
    .select({
      id: messages.id,
      direction: messages.direction,
      body: messages.body,
      media: messages.media,
      status: messages.status,
      errorCode: messages.errorCode,
      errorDescription: messages.errorDescription,
      flag: messages.flag,
      needsReview: messages.needsReview,
      segments: messages.segments,
      encoding: messages.encoding,
      fromE164: messages.fromE164,
      toE164: messages.toE164,
      sentByName: users.name,
      createdAt: messages.createdAt,
    })
    .from(messages)
    .leftJoin(users, eq(users.id, messages.sentByUserId))
    .where(and(eq(messages.orgId, ctx.org.id), eq(messages.conversationId, conversation.id)))
    // messages_conversation_created_idx, read backwards: the latest THREAD_MESSAGE_LIMIT only.
    .orderBy(desc(messages.createdAt), desc(messages.id))
    .limit(THREAD_MESSAGE_LIMIT + 1);
  const truncated = rows.length > THREAD_MESSAGE_LIMIT;
  return {
    conversation,
    truncated,
    messages: rows
      .slice(0, THREAD_MESSAGE_LIMIT)
      .reverse()
      // Passcodes stay readable only by the phone they went to, not by everyone in the inbox.
      .map((m) => ({
        ...m,
        body: m.direction === "OUTBOUND" ? maskOtpBody(m.body) : m.body,
        createdAt: m.createdAt.toISOString(),
      })),
  };
}

export async function findThreadHeader(ctx: OrgContext, conversationId: string): Promise<ThreadHeader | null> {
  if (!isUuid(conversationId)) return null;
  const [row] = await db
    .select({
      id: conversations.id,
      ourE164: conversations.ourE164,
      phoneNumberId: conversations.phoneNumberId,
      assignedUserId: conversations.assignedUserId,
      assignedName: users.name,
      campaignTitle: campaigns.title,
      unread: conversations.unread,
      contact: contacts,
    })
    .from(conversations)
    .innerJoin(contacts, and(eq(contacts.id, conversations.contactId), eq(contacts.orgId, conversations.orgId)))
    .leftJoin(users, eq(users.id, conversations.assignedUserId))
    .leftJoin(campaigns, and(eq(campaigns.id, conversations.campaignId), eq(campaigns.orgId, conversations.orgId)))
    .where(and(scopeOf(ctx), eq(conversations.id, conversationId)))
    .limit(1);
  if (!row) return null;
  const { contact } = row;
  return {
    id: row.id,
    contact: {
      id: contact.id,
      name: `${contact.firstName} ${contact.lastName}`.trim(),
      e164: contact.e164,
      phone: formatPhone(contact.e164),
      optedOutAt: contact.optedOutAt?.toISOString() ?? null,
    },
    lockedReason: untextableReason(contact),
    ourE164: row.ourE164,
    ourPhone: row.ourE164 ? formatPhone(row.ourE164) : null,
    hasOurNumber: row.phoneNumberId !== null,
    assignedUserId: row.assignedUserId,
    assignedName: row.assignedName,
    campaignTitle: row.campaignTitle,
    unread: row.unread,
  };
}

/** The same header, or a 404 for actions: another org's id and someone else's thread look alike. */
export async function requireThreadHeader(ctx: OrgContext, conversationId: string): Promise<ThreadHeader> {
  const header = await findThreadHeader(ctx, conversationId);
  if (!header) throw new ActionError(404, "Not found.");
  return header;
}

/** Members for the texter filter and the reassign control. */
export async function listAssignableMembers(orgId: string) {
  return db
    .select({ userId: users.id, name: users.name, role: memberships.role })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.orgId, orgId))
    .orderBy(asc(users.name));
}

export async function listCampaignOptions(orgId: string) {
  return db
    .select({ id: campaigns.id, title: campaigns.title })
    .from(campaigns)
    .where(eq(campaigns.orgId, orgId))
    .orderBy(desc(campaigns.createdAt))
    .limit(200);
}

/**
 * The contact spoke last and can still be answered: an opted-out contact's STOP needs no reply.
 * On conversations alone, so the inbox walk needs no join to test it: the opted-out contacts are
 * found in the small partial index contacts_opted_out_idx.
 */
const NEEDS_REPLY = and(
  eq(conversations.lastDirection, "INBOUND"),
  sql`not exists (select 1 from ${contacts} where ${contacts.id} = ${conversations.contactId} and ${contacts.optedOutAt} is not null)`,
)!;

/** The org, and for a texter only their own conversations: in every query, not just the UI. */
function scopeOf(ctx: OrgContext): SQL {
  const org = eq(conversations.orgId, ctx.org.id);
  return ctx.role === "TEXTER" ? and(org, eq(conversations.assignedUserId, ctx.user.id))! : org;
}

/** The WHERE of the inbox (with the tab's filter) and of its counts (without it). */
async function inboxConditions(ctx: OrgContext, query: InboxQuery): Promise<{ list: SQL; counts: SQL }> {
  const country = ctx.org.features.defaultCountry ?? DEFAULT_COUNTRY;
  const [search, optedOut] = await Promise.all([
    query.q ? contactIn(ctx, searchCondition(query.q, country)) : undefined,
    query.filter === "opted-out" ? contactIn(ctx, isNotNull(contacts.optedOutAt)) : undefined,
  ]);
  const shared = and(
    scopeOf(ctx),
    ctx.role !== "TEXTER" && query.texter
      ? query.texter === "unassigned"
        ? isNull(conversations.assignedUserId)
        : eq(conversations.assignedUserId, query.texter)
      : undefined,
    query.campaign ? eq(conversations.campaignId, query.campaign) : undefined,
    search,
  )!;
  const tab =
    query.filter === "unread" ? eq(conversations.unread, true) : query.filter === "needs-reply" ? NEEDS_REPLY : optedOut;
  return { list: and(shared, tab)!, counts: shared };
}

/**
 * A condition on the conversation's contact. The matching contacts are found first: when
 * they are few, the inbox walk tests each conversation against that set as one array
 * (a hash lookup) instead of fetching every conversation's contact; when they are many,
 * a plain join finds a page of them quickly anyway. Planner estimates for "name contains"
 * are guesses, so this choice is made on the real count.
 */
async function contactIn(ctx: OrgContext, condition: SQL): Promise<SQL> {
  const matches = await db
    .select({ id: contacts.id })
    .from(contacts)
    .where(and(eq(contacts.orgId, ctx.org.id), condition))
    .limit(CONTACT_SET_LIMIT + 1);
  if (matches.length <= CONTACT_SET_LIMIT) {
    return sql`${conversations.contactId} = any(${`{${matches.map((m) => m.id).join(",")}}`}::uuid[])`;
  }
  return inArray(
    conversations.contactId,
    db
      .select({ id: contacts.id })
      .from(contacts)
      .where(and(eq(contacts.orgId, ctx.org.id), condition)),
  );
}

/** A name, or a number typed any way: "(415) 555-0123", "415.555.0123", "+1 415…", or its last digits. */
function searchCondition(q: string, country: string): SQL {
  const name = ilike(sql`${contacts.firstName} || ' ' || ${contacts.lastName}`, `%${escapeLike(q)}%`);
  const digits = q.replace(/\D/g, "");
  if (digits.length < 3 || /[a-z]/i.test(q)) return name;
  const parsed = toE164(q, country);
  return or(name, sql`${contacts.e164} like ${`%${digits}%`}`, parsed.ok ? eq(contacts.e164, parsed.e164) : undefined)!;
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function decodeCursor(value: string | undefined): { at: string; id: string } | null {
  if (!value) return null;
  const [at, id] = Buffer.from(value, "base64url").toString("utf8").split("|");
  if (!at || !id || !isUuid(id) || !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)?[+-]\d{2}(:\d{2})?$/.test(at)) return null;
  return { at, id };
}
