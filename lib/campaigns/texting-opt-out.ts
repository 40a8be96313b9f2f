import { and, desc, eq } from "drizzle-orm";
import { db } from "@/db";
import { campaignContacts } from "@/db/schema/campaign-contacts";
import { conversations } from "@/db/schema/conversations";
import { ActionError } from "@/lib/action-result";
import { optOutContactIn } from "@/lib/contacts";
import { untextableReason } from "@/lib/messaging/contacts";
import { queueMessage } from "@/lib/messaging/send";
import type { OrgContext } from "@/lib/tenancy";
import { requireCampaignContact } from "./texting";

/**
 * The opt-out button: the goodbye (when asked for) is queued first, while the contact can
 * still be texted, then the contact is opted out for the whole org and the campaign contact
 * closed. A goodbye that cannot be queued stops here, so nothing half happens unseen.
 */
export async function optOutCampaignContact(
  ctx: OrgContext,
  campaignContactId: string,
  goodbye: string | null,
): Promise<{ goodbyeMessageId: string | null }> {
  const { cc, campaign, contact } = await requireCampaignContact(ctx, campaignContactId);
  let goodbyeMessageId: string | null = null;
  if (goodbye && !untextableReason(contact)) {
    const [thread] = await db
      .select({ id: conversations.id })
      .from(conversations)
      .where(
        and(
          eq(conversations.orgId, ctx.org.id),
          eq(conversations.contactId, contact.id),
          eq(conversations.campaignId, campaign.id),
        ),
      )
      .orderBy(desc(conversations.lastMessageAt))
      .limit(1);
    try {
      const { message } = await queueMessage(
        ctx.org.id,
        { to: contact.e164, body: goodbye, idempotencyKey: `campaign-goodbye:${campaign.id}:${contact.id}` },
        { sentByUserId: ctx.user.id, campaignId: campaign.id, conversationId: thread?.id },
      );
      goodbyeMessageId = message.id;
    } catch (error) {
      if (!(error instanceof ActionError)) throw error;
      const reason = `Not opted out: the goodbye could not be sent (${error.message.replace(/^\w+: /, "")})`;
      throw new ActionError(error.status === 404 ? 409 : error.status, reason, { goodbye: reason });
    }
  }
  await db.transaction(async (tx) => {
    await optOutContactIn(tx, ctx.org.id, { userId: ctx.user.id, label: "user" }, contact.id, {
      campaignId: campaign.id,
      goodbye: goodbyeMessageId !== null,
    });
    await tx
      .update(campaignContacts)
      .set({ status: "OPTED_OUT", updatedAt: new Date() })
      .where(and(eq(campaignContacts.orgId, ctx.org.id), eq(campaignContacts.id, cc.id)));
  });
  return { goodbyeMessageId };
}
