import { sql } from "drizzle-orm";
import { db } from "@/db";
import { BUCKET_FORMAT, rangeStartLocal, STATS_RANGES, type StatsRange } from "./range";

/**
 * The org dashboard's numbers. Every query filters on org_id and a created_at lower bound, so
 * each is one range scan of messages_org_created_idx over the chosen window; they run in
 * parallel. Messages are counted by when they were created (queued or received).
 */
export type OrgStatsOptions = { range: StatsRange; timeZone: string; now?: Date };

export type TrafficBucket = { bucket: string; outbound: number; inbound: number; delivered: number; failed: number };
export type VendorDelivery = {
  vendorAccountId: string | null;
  name: string;
  kind: string | null;
  sent: number;
  delivered: number;
  failed: number;
  pending: number;
  /** delivered / (delivered + failed); null until a message has a final status. */
  deliveryRate: number | null;
};
export type FailureReason = { errorCode: string | null; errorDescription: string | null; count: number };
export type BusyNumber = { e164: string; outbound: number; inbound: number; total: number };

export type OrgStats = {
  range: StatsRange;
  unit: "hour" | "day";
  timeZone: string;
  hasAnyMessages: boolean;
  totals: { outbound: number; inbound: number; delivered: number; failed: number; deliveryRate: number | null };
  traffic: TrafficBucket[];
  vendors: VendorDelivery[];
  failures: FailureReason[];
  busiestNumbers: BusyNumber[];
};

const TOP = 10;

export async function findOrgStats(orgId: string, options: OrgStatsOptions): Promise<OrgStats> {
  const [hasAnyMessages, traffic, vendors, failures, busiestNumbers] = await Promise.all([
    orgHasMessages(orgId),
    findTraffic(orgId, options),
    findVendorDelivery(orgId, options),
    findFailureReasons(orgId, options),
    findBusiestNumbers(orgId, options),
  ]);
  const sum = (key: keyof Omit<TrafficBucket, "bucket">) => traffic.reduce((n, b) => n + b[key], 0);
  const totals = { outbound: sum("outbound"), inbound: sum("inbound"), delivered: sum("delivered"), failed: sum("failed") };
  return {
    range: options.range,
    unit: STATS_RANGES[options.range].unit,
    timeZone: options.timeZone,
    hasAnyMessages,
    totals: { ...totals, deliveryRate: deliveryRate(totals.delivered, totals.failed) },
    traffic,
    vendors,
    failures,
    busiestNumbers,
  };
}

export function deliveryRate(delivered: number, failed: number): number | null {
  return delivered + failed === 0 ? null : delivered / (delivered + failed);
}

async function orgHasMessages(orgId: string): Promise<boolean> {
  const [row] = await db.execute<{ any: boolean }>(sql`select exists (select 1 from messages where org_id = ${orgId}) as any`);
  return row?.any ?? false;
}

/** Messages in and out per local hour or day, with empty buckets filled so the chart's axis is even. */
async function findTraffic(orgId: string, { range, timeZone, now = new Date() }: OrgStatsOptions): Promise<TrafficBucket[]> {
  const { unit } = STATS_RANGES[range];
  const start = rangeStartLocal(range, timeZone, now);
  const rows = await db.execute<TrafficBucket>(sql`
    with counts as (
      select date_trunc(${unit}, created_at at time zone ${timeZone}) as bucket,
        count(*) filter (where direction = 'OUTBOUND')::int as outbound,
        count(*) filter (where direction = 'INBOUND')::int as inbound,
        count(*) filter (where status = 'DELIVERED')::int as delivered,
        count(*) filter (where status = 'FAILED')::int as failed
      from messages
      where org_id = ${orgId} and created_at >= (${start} at time zone ${timeZone})
      group by 1
    )
    select to_char(b.bucket, ${BUCKET_FORMAT}) as bucket,
      coalesce(c.outbound, 0)::int as outbound, coalesce(c.inbound, 0)::int as inbound,
      coalesce(c.delivered, 0)::int as delivered, coalesce(c.failed, 0)::int as failed
    from generate_series(${start}, date_trunc(${unit}, ${now.toISOString()}::timestamptz at time zone ${timeZone}), ${`1 ${unit}`}::interval) as b(bucket)
    left join counts c on c.bucket = b.bucket
    order by b.bucket`);
  return [...rows];
}

/** Outbound messages per vendor account; the name comes from the org's own accounts only. */
async function findVendorDelivery(
  orgId: string,
  { range, timeZone, now = new Date() }: OrgStatsOptions,
): Promise<VendorDelivery[]> {
  const start = rangeStartLocal(range, timeZone, now);
  const rows = await db.execute<Omit<VendorDelivery, "deliveryRate">>(sql`
    select m.vendor_account_id as "vendorAccountId", coalesce(va.name, 'No account') as name, va.kind,
      count(*)::int as sent,
      count(*) filter (where m.status = 'DELIVERED')::int as delivered,
      count(*) filter (where m.status = 'FAILED')::int as failed,
      count(*) filter (where m.status in ('QUEUED', 'SENDING', 'SENT'))::int as pending
    from messages m
    left join vendor_accounts va on va.id = m.vendor_account_id and va.org_id = ${orgId}
    where m.org_id = ${orgId} and m.created_at >= (${start} at time zone ${timeZone}) and m.direction = 'OUTBOUND'
    group by m.vendor_account_id, va.name, va.kind
    order by sent desc, name`);
  return rows.map((r) => ({ ...r, deliveryRate: deliveryRate(r.delivered, r.failed) }));
}

async function findFailureReasons(
  orgId: string,
  { range, timeZone, now = new Date() }: OrgStatsOptions,
): Promise<FailureReason[]> {
  const start = rangeStartLocal(range, timeZone, now);
  const rows = await db.execute<FailureReason>(sql`
    select error_code as "errorCode", error_description as "errorDescription", count(*)::int as count
    from messages
    where org_id = ${orgId} and created_at >= (${start} at time zone ${timeZone}) and status = 'FAILED'
    group by error_code, error_description
    order by count desc, error_code nulls last, error_description nulls last
    limit ${TOP}`);
  return [...rows];
}

/** Our side of each message: the sender of outbound, the recipient of inbound. */
async function findBusiestNumbers(orgId: string, { range, timeZone, now = new Date() }: OrgStatsOptions): Promise<BusyNumber[]> {
  const start = rangeStartLocal(range, timeZone, now);
  const rows = await db.execute<BusyNumber>(sql`
    select case when direction = 'OUTBOUND' then from_e164 else to_e164 end as e164,
      count(*) filter (where direction = 'OUTBOUND')::int as outbound,
      count(*) filter (where direction = 'INBOUND')::int as inbound,
      count(*)::int as total
    from messages
    where org_id = ${orgId} and created_at >= (${start} at time zone ${timeZone})
    group by 1
    order by total desc, e164
    limit ${TOP}`);
  return [...rows];
}
