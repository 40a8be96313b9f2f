import { sql } from "drizzle-orm";
import { db } from "@/db";
import { campaignContacts } from "@/db/schema/campaign-contacts";
import { campaigns, type Campaign } from "@/db/schema/campaigns";
import { isUuid } from "@/lib/vendors/accounts";

/**
 * The campaign page's progress bar: where each contact stands, in one query. "queued" counts
 * messages still waiting for (or in) the send worker; sent, delivered and failed come from the
 * message itself; replied is a contact who wrote back after the campaign's message; opted out
 * is one who opted out after it (those skipped before it are in `skipped`).
 */
export type CampaignProgress = {
  status: Campaign["status"];
  total: number;
  pending: number;
  queued: number;
  sent: number;
  delivered: number;
  failed: number;
  replied: number;
  optedOut: number;
  skipped: number;
  skippedBy: Record<string, number>;
};

export async function campaignProgress(orgId: string, campaignId: string): Promise<CampaignProgress | null> {
  if (!isUuid(campaignId)) return null;
  const [row] = await db.execute<Omit<CampaignProgress, "skippedBy"> & { skipped_by: Record<string, number> | null }>(sql`
    select c.status,
      count(cc.id)::int as total,
      (count(*) filter (where cc.status = 'PENDING'))::int as pending,
      (count(*) filter (where m.status in ('QUEUED', 'SENDING')))::int as queued,
      (count(*) filter (where m.status = 'SENT'))::int as sent,
      (count(*) filter (where m.status = 'DELIVERED'))::int as delivered,
      (count(*) filter (where m.status = 'FAILED'))::int as failed,
      (count(*) filter (where cc.status = 'REPLIED' or (m.id is not null and exists (
        select 1 from messages r where r.conversation_id = m.conversation_id and r.direction = 'INBOUND' and r.created_at > m.created_at))))::int as replied,
      (count(*) filter (where cc.status = 'OPTED_OUT' or (m.id is not null and ct.opted_out_at > m.created_at)))::int as "optedOut",
      (count(*) filter (where cc.status = 'SKIPPED'))::int as skipped,
      (select jsonb_object_agg(reason, n) from (
        select skip_reason as reason, count(*)::int as n from ${campaignContacts} s
        where s.campaign_id = c.id and s.status = 'SKIPPED' group by skip_reason) r) as skipped_by
    from ${campaigns} c
    left join ${campaignContacts} cc on cc.campaign_id = c.id and cc.org_id = c.org_id
    left join messages m on m.id = cc.message_id and m.org_id = c.org_id
    left join contacts ct on ct.id = cc.contact_id
    where c.org_id = ${orgId} and c.id = ${campaignId}
    group by c.id, c.status`);
  if (!row) return null;
  const { skipped_by, ...counts } = row;
  return { ...counts, skippedBy: skipped_by ?? {} };
}
