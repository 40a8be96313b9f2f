import { and, asc, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import { db } from "@/db";
import { campaignContacts, type CampaignContact } from "@/db/schema/campaign-contacts";
import { campaigns, type Campaign } from "@/db/schema/campaigns";
import { contacts, type Contact } from "@/db/schema/contacts";
import { conversations } from "@/db/schema/conversations";
import { messages } from "@/db/schema/messages";
import { users } from "@/db/schema/users";
import { ActionError } from "@/lib/action-result";
import { untextableReason } from "@/lib/messaging/contacts";
import { queueMessage } from "@/lib/messaging/send";
import { formatPhone } from "@/lib/phone";
import { hasRole, type OrgContext } from "@/lib/tenancy";
import { DEFAULT_TIME_ZONE } from "@/lib/time";
import { isUuid } from "@/lib/vendors/accounts";
import { SKIP_REASON_LABELS, skipReasonSql } from "./contacts";
import { idempotencyKey } from "./fanout";
import { renderScript } from "./script";
import { loadSenderPool, pickSender } from "./sender";
import { describeWindow, isInsideWindow, nextWindowOpening } from "./window";

/**
 * A texter's side of a campaign, Spoke's compliant model: a person clicks once per first
 * message, then answers the replies. A texter reaches only the contacts assigned to them;
 * admins and supervolunteers reach any contact of the campaign. Another org's ids are 404.
 */
export const REPLIES_LIMIT = 50;

export type NextInitial = { campaignContactId: string; name: string; phone: string; body: string; untextable: string | null };
export type ReplyRow = {
  conversationId: string;
  campaignContactId: string | null;
  name: string;
  phone: string;
  lastBody: string;
  lastMessageAt: string;
};
export type TexterQueue = {
  campaign: { id: string; title: string; status: Campaign["status"] };
  /** Why first messages cannot go now (not running, outside the window), or null. */
  blockedReason: string | null;
  progress: { total: number; sent: number; skipped: number; optedOut: number; remaining: number };
  next: NextInitial | null;
  replies: ReplyRow[];
  /** The org's opt-out confirmation, offered as the goodbye. */
  orgGoodbye: string | null;
};
export type SendResult = { status: CampaignContact["status"]; messageId: string | null; skipReason: string | null };

/** Everything the texting page shows for the signed-in person in this campaign. */
export async function loadTexterQueue(ctx: OrgContext, campaign: Campaign): Promise<TexterQueue> {
  const mine = and(
    eq(campaignContacts.orgId, ctx.org.id),
    eq(campaignContacts.campaignId, campaign.id),
    eq(campaignContacts.assignedUserId, ctx.user.id),
  );
  const [[counts], [next], replies] = await Promise.all([
    db
      .select({
        total: sql<number>`count(*)::int`,
        sent: sql<number>`(count(*) filter (where ${campaignContacts.status} in ('SENT', 'REPLIED')))::int`,
        skipped: sql<number>`(count(*) filter (where ${campaignContacts.status} = 'SKIPPED'))::int`,
        optedOut: sql<number>`(count(*) filter (where ${campaignContacts.status} = 'OPTED_OUT'))::int`,
        remaining: sql<number>`(count(*) filter (where ${campaignContacts.status} in ('PENDING', 'QUEUED')))::int`,
      })
      .from(campaignContacts)
      .where(mine),
    db
      .select({ cc: campaignContacts, contact: contacts })
      .from(campaignContacts)
      .innerJoin(contacts, and(eq(contacts.id, campaignContacts.contactId), eq(contacts.orgId, campaignContacts.orgId)))
      .where(and(mine, inArray(campaignContacts.status, ["PENDING", "QUEUED"])))
      .orderBy(asc(campaignContacts.createdAt), asc(campaignContacts.id))
      .limit(1),
    listRepliesNeedingResponse(ctx, campaign.id),
  ]);
  return {
    campaign: { id: campaign.id, title: campaign.title, status: campaign.status },
    blockedReason: blockedReason(ctx, campaign),
    progress: counts ?? { total: 0, sent: 0, skipped: 0, optedOut: 0, remaining: 0 },
    next: next
      ? {
          campaignContactId: next.cc.id,
          name: `${next.contact.firstName} ${next.contact.lastName}`.trim(),
          phone: formatPhone(next.contact.e164),
          body: renderFor(campaign, next.contact, next.cc.fields, ctx.user.name),
          untextable: untextableReason(next.contact),
        }
      : null,
    replies,
    orgGoodbye: ctx.org.features.optOutConfirmation?.trim() || null,
  };
}

/**
 * The campaign's conversations assigned to this person whose last word was the contact's,
 * longest waiting first. Opted-out contacts need no answer.
 */
export async function listRepliesNeedingResponse(ctx: OrgContext, campaignId: string): Promise<ReplyRow[]> {
  const last = db
    .select({ body: messages.body })
    .from(messages)
    .where(
      and(
        eq(messages.conversationId, conversations.id),
        eq(messages.orgId, conversations.orgId),
        eq(messages.direction, "INBOUND"),
      ),
    )
    .orderBy(desc(messages.createdAt))
    .limit(1)
    .as("last");
  const rows = await db
    .select({
      conversationId: conversations.id,
      campaignContactId: campaignContacts.id,
      firstName: contacts.firstName,
      lastName: contacts.lastName,
      e164: contacts.e164,
      lastBody: last.body,
      lastMessageAt: conversations.lastMessageAt,
    })
    .from(conversations)
    .innerJoin(contacts, and(eq(contacts.id, conversations.contactId), eq(contacts.orgId, conversations.orgId)))
    .leftJoin(
      campaignContacts,
      and(eq(campaignContacts.campaignId, conversations.campaignId), eq(campaignContacts.contactId, conversations.contactId)),
    )
    .leftJoinLateral(last, sql`true`)
    .where(
      and(
        eq(conversations.orgId, ctx.org.id),
        eq(conversations.campaignId, campaignId),
        eq(conversations.assignedUserId, ctx.user.id),
        eq(conversations.lastDirection, "INBOUND"),
        isNull(contacts.optedOutAt),
      ),
    )
    .orderBy(asc(conversations.lastMessageAt), asc(conversations.id))
    .limit(REPLIES_LIMIT);
  return rows.map((r) => ({
    conversationId: r.conversationId,
    campaignContactId: r.campaignContactId,
    name: `${r.firstName} ${r.lastName}`.trim(),
    phone: formatPhone(r.e164),
    lastBody: r.lastBody ?? "",
    lastMessageAt: r.lastMessageAt.toISOString(),
  }));
}

/**
 * One click, one first message. The idempotency key is the campaign and the contact, so a
 * double click, a retried request or two tabs send it once; a contact who cannot be texted
 * is skipped with the reason instead. The conversation joins the campaign and the texter.
 */
export async function sendInitial(ctx: OrgContext, campaignContactId: string): Promise<SendResult> {
  const { cc, campaign, contact, texterName } = await requireCampaignContact(ctx, campaignContactId);
  if (cc.status !== "PENDING" && cc.status !== "QUEUED") return resultOf(cc);
  const blocked = blockedReason(ctx, campaign);
  if (blocked) throw new ActionError(409, blocked);
  if (untextableReason(contact)) return skip(ctx, cc, contact);
  const body = renderFor(campaign, contact, cc.fields, texterName);
  if (!body.trim()) throw new ActionError(409, "This campaign has no message to send yet: ask an admin to write its script.");

  let message;
  try {
    ({ message } = await queueMessage(
      ctx.org.id,
      {
        to: contact.e164,
        body,
        from: await senderNumberFor(campaign, contact),
        vendorAccountId: campaign.vendorAccountId ?? undefined,
        idempotencyKey: idempotencyKey(campaign.id, contact.id),
      },
      { sentByUserId: ctx.user.id, campaignId: campaign.id },
    ));
  } catch (error) {
    // Opted out or found untextable between the page load and the click.
    if (error instanceof ActionError && error.status === 409) return skip(ctx, cc, await reloadContact(ctx, contact.id));
    throw error;
  }
  await db.transaction(async (tx) => {
    await tx
      .update(campaignContacts)
      .set({ status: "SENT", messageId: message.id, skipReason: null, updatedAt: new Date() })
      .where(and(eq(campaignContacts.id, cc.id), inArray(campaignContacts.status, ["PENDING", "QUEUED"])));
    if (message.conversationId) {
      await tx
        .update(conversations)
        .set({ campaignId: campaign.id, assignedUserId: cc.assignedUserId ?? ctx.user.id })
        .where(and(eq(conversations.orgId, ctx.org.id), eq(conversations.id, message.conversationId)));
    }
  });
  return { status: "SENT", messageId: message.id, skipReason: null };
}

/** The script for one contact: their names, the texter's name, their custom fields overridden by the CSV's columns. */
export function renderFor(
  campaign: Pick<Campaign, "script">,
  contact: Pick<Contact, "firstName" | "lastName" | "customFields">,
  fields: Record<string, string>,
  texterName: string,
): string {
  return renderScript(campaign.script, {
    firstName: contact.firstName,
    lastName: contact.lastName,
    texterName,
    fields: { ...contact.customFields, ...fields },
  }).trim();
}

/** Why first messages cannot go right now, or null. */
export function blockedReason(ctx: OrgContext, campaign: Pick<Campaign, "status" | "sendingWindow">): string | null {
  if (campaign.status !== "RUNNING") {
    return campaign.status === "PAUSED"
      ? "This campaign is paused. Messages can be sent again when an admin resumes it."
      : `This campaign is ${campaign.status.toLowerCase()}; only running campaigns can be texted.`;
  }
  const timeZone = ctx.org.features.timeZone ?? DEFAULT_TIME_ZONE;
  const now = new Date();
  if (isInsideWindow(campaign.sendingWindow, timeZone, now)) return null;
  const opens = nextWindowOpening(campaign.sendingWindow, timeZone, now);
  const when = opens
    ? ` It opens again at ${opens.toLocaleString("en-US", { timeZone, weekday: "short", hour: "numeric", minute: "2-digit" })}.`
    : "";
  return `Outside the sending window: first messages can be sent ${describeWindow(campaign.sendingWindow, timeZone)}.${when}`;
}

/** The campaign contact with its campaign and contact; texters reach only their own. */
export async function requireCampaignContact(ctx: OrgContext, campaignContactId: string) {
  if (!isUuid(campaignContactId)) throw new ActionError(404, "Not found.");
  const [row] = await db
    .select({ cc: campaignContacts, campaign: campaigns, contact: contacts, assigneeName: users.name })
    .from(campaignContacts)
    .innerJoin(campaigns, and(eq(campaigns.id, campaignContacts.campaignId), eq(campaigns.orgId, campaignContacts.orgId)))
    .innerJoin(contacts, and(eq(contacts.id, campaignContacts.contactId), eq(contacts.orgId, campaignContacts.orgId)))
    .leftJoin(users, eq(users.id, campaignContacts.assignedUserId))
    .where(
      and(
        eq(campaignContacts.orgId, ctx.org.id),
        eq(campaignContacts.id, campaignContactId),
        hasRole(ctx.role, "SUPERVOLUNTEER") ? undefined : eq(campaignContacts.assignedUserId, ctx.user.id),
      ),
    )
    .limit(1);
  if (!row) throw new ActionError(404, "Not found.");
  // The contact reads the name of the texter who will answer them, whoever clicked.
  return { ...row, texterName: row.assigneeName ?? ctx.user.name };
}

/** Skipped with the same reason codes as a campaign's start and fan-out, so the campaign page counts them alike. */
async function skip(ctx: OrgContext, cc: CampaignContact, contact: Contact): Promise<SendResult> {
  await db.execute(sql`update ${campaignContacts} cc set status = 'SKIPPED', skip_reason = ${skipReasonSql}, updated_at = now()
    from ${contacts} c
    where c.id = cc.contact_id and cc.org_id = ${ctx.org.id} and cc.id = ${cc.id} and cc.status in ('PENDING', 'QUEUED')`);
  return { status: "SKIPPED", messageId: null, skipReason: untextableReason(contact) ?? "This contact cannot be texted." };
}

async function reloadContact(ctx: OrgContext, contactId: string): Promise<Contact> {
  const [row] = await db
    .select()
    .from(contacts)
    .where(and(eq(contacts.orgId, ctx.org.id), eq(contacts.id, contactId)))
    .limit(1);
  return row!;
}

function resultOf(cc: CampaignContact): SendResult {
  return {
    status: cc.status,
    messageId: cc.messageId,
    skipReason: cc.skipReason ? (SKIP_REASON_LABELS[cc.skipReason] ?? cc.skipReason) : null,
  };
}

/**
 * The campaign's number for this contact (a local one when it has one), the same one each
 * time so a retry keeps the thread; undefined leaves the choice to the org's default sender.
 */
async function senderNumberFor(campaign: Campaign, contact: Pick<Contact, "id" | "e164">): Promise<string | undefined> {
  if (!campaign.vendorAccountId) return undefined;
  const pick = pickSender(
    await loadSenderPool(campaign),
    contact.e164,
    [...contact.id].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 0),
  );
  return pick.number?.e164;
}
