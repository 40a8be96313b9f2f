import { and, eq, sql } from "drizzle-orm";
import { db } from "@/db";
import { campaigns } from "@/db/schema/campaigns";
import { orgs } from "@/db/schema/orgs";
import { deliveryRate, type FailureReason } from "./org";
import { isUuid } from "@/lib/vendors/accounts";
import { BUCKET_FORMAT, orgTimeZone } from "./range";

/**
 * A campaign's numbers. Its sends are the initial messages recorded on campaign_contacts
 * (message_id), not every outbound message in its conversations: a conversation is per contact
 * and number, so later campaigns and texters' follow-ups share it. Replies are inbound
 * messages in a send's conversation at or after that send. Every query starts from
 * campaign_contacts by campaign (its unique index) and reaches messages by primary key and
 * messages_conversation_created_idx, so the cost follows the campaign's size, not the org's.
 */
export type CampaignSeriesBucket = { bucket: string; delivered: number; failed: number; pending: number; replies: number };

export type CampaignStats = {
  timeZone: string;
  unit: "hour" | "day";
  totals: {
    contacts: number;
    sent: number;
    delivered: number;
    failed: number;
    pending: number;
    /** delivered / (delivered + failed); null until a send has a final status. */
    deliveryRate: number | null;
    replies: number;
    repliedContacts: number;
    optOuts: number;
  };
  series: CampaignSeriesBucket[];
  topErrors: Omit<FailureReason, "errorCode">[];
};

const TOP_ERRORS = 8;
/** A campaign whose messages span more than this is shown by day rather than by hour. */
const HOURLY_SPAN = "72 hours";

/** Null when the campaign is not the org's: callers render nothing rather than another org's numbers. */
export async function findCampaignStats(orgId: string, campaignId: string): Promise<CampaignStats | null> {
  // A malformed id from a URL would make PostgreSQL raise on the uuid cast; it is simply not found.
  if (!isUuid(campaignId)) return null;
  const [campaign] = await db
    .select({ id: campaigns.id, features: orgs.features })
    .from(campaigns)
    .innerJoin(orgs, eq(orgs.id, campaigns.orgId))
    .where(and(eq(campaigns.orgId, orgId), eq(campaigns.id, campaignId)))
    .limit(1);
  if (!campaign) return null;
  const timeZone = orgTimeZone(campaign.features);
  const [totals, series, topErrors] = await Promise.all([
    findTotals(orgId, campaignId),
    findSeries(orgId, campaignId, timeZone),
    findTopErrors(orgId, campaignId),
  ]);
  return {
    timeZone,
    unit: series.unit,
    totals: { ...totals, deliveryRate: deliveryRate(totals.delivered, totals.failed) },
    series: series.buckets,
    topErrors,
  };
}

function sendsCte(orgId: string, campaignId: string) {
  return sql`sends as (
    select m.id, m.status, m.error_description, m.conversation_id, m.created_at, coalesce(m.sent_at, m.created_at) as at,
      cc.contact_id
    from campaign_contacts cc
    join messages m on m.id = cc.message_id and m.org_id = ${orgId} and m.direction = 'OUTBOUND'
    where cc.campaign_id = ${campaignId} and cc.org_id = ${orgId}
  ),
  replies as (
    select r.id, r.created_at as at, s.contact_id
    from sends s
    join messages r on r.conversation_id = s.conversation_id and r.created_at >= s.created_at
      and r.direction = 'INBOUND' and r.org_id = ${orgId}
  )`;
}

async function findTotals(orgId: string, campaignId: string): Promise<Omit<CampaignStats["totals"], "deliveryRate">> {
  const [row] = await db.execute<Omit<CampaignStats["totals"], "deliveryRate">>(sql`
    with ${sendsCte(orgId, campaignId)}
    select
      (select count(*) from campaign_contacts where campaign_id = ${campaignId} and org_id = ${orgId})::int as contacts,
      (select count(*) from sends)::int as sent,
      (select count(*) from sends where status = 'DELIVERED')::int as delivered,
      (select count(*) from sends where status = 'FAILED')::int as failed,
      (select count(*) from sends where status in ('QUEUED', 'SENDING', 'SENT'))::int as pending,
      (select count(distinct id) from replies)::int as replies,
      (select count(distinct contact_id) from replies)::int as "repliedContacts",
      (select count(*)
        from campaign_contacts cc
        join contacts c on c.id = cc.contact_id and c.org_id = ${orgId}
        left join messages m on m.id = cc.message_id and m.org_id = ${orgId}
        where cc.campaign_id = ${campaignId} and cc.org_id = ${orgId}
          and (cc.status = 'OPTED_OUT' or (m.id is not null and c.opted_out_at >= m.created_at)))::int as "optOuts"`);
  return row!;
}

/**
 * Sends (by when they left, or were queued if they have not) and replies per local hour or
 * day, across the span from the first send to the last reply.
 */
async function findSeries(orgId: string, campaignId: string, timeZone: string) {
  const rows = await db.execute<CampaignSeriesBucket & { unit: "hour" | "day" }>(sql`
    with ${sendsCte(orgId, campaignId)},
    events as (
      select at, status::text as kind from sends
      union all
      select distinct on (id) at, 'REPLY' from replies
    ),
    span as (
      select case when max(at) - min(at) <= ${HOURLY_SPAN}::interval then 'hour' else 'day' end as unit, min(at) as first, max(at) as last
      from events
    ),
    counts as (
      select date_trunc(span.unit, e.at at time zone ${timeZone}) as bucket,
        count(*) filter (where kind = 'DELIVERED')::int as delivered,
        count(*) filter (where kind = 'FAILED')::int as failed,
        count(*) filter (where kind in ('QUEUED', 'SENDING', 'SENT'))::int as pending,
        count(*) filter (where kind = 'REPLY')::int as replies
      from events e cross join span
      group by 1
    )
    select to_char(b.bucket, ${BUCKET_FORMAT}) as bucket, span.unit,
      coalesce(c.delivered, 0)::int as delivered, coalesce(c.failed, 0)::int as failed,
      coalesce(c.pending, 0)::int as pending, coalesce(c.replies, 0)::int as replies
    from span
    cross join generate_series(
      date_trunc(span.unit, span.first at time zone ${timeZone}),
      date_trunc(span.unit, span.last at time zone ${timeZone}),
      ('1 ' || span.unit)::interval
    ) as b(bucket)
    left join counts c on c.bucket = b.bucket
    where span.first is not null
    order by b.bucket`);
  const unit = rows[0]?.unit ?? "hour";
  return { unit, buckets: rows.map(({ unit: _unit, ...bucket }) => bucket) };
}

async function findTopErrors(orgId: string, campaignId: string): Promise<CampaignStats["topErrors"]> {
  const rows = await db.execute<CampaignStats["topErrors"][number]>(sql`
    with ${sendsCte(orgId, campaignId)}
    select error_description as "errorDescription", count(*)::int as count
    from sends
    where status = 'FAILED'
    group by error_description
    order by count desc, error_description nulls last
    limit ${TOP_ERRORS}`);
  return [...rows];
}
