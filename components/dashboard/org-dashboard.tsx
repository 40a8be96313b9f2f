import Link from "next/link";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { findOrgStats } from "@/lib/stats/org";
import { STATS_RANGES, type StatsRange } from "@/lib/stats/range";
import { BusiestNumbers } from "./busiest-numbers";
import { FailureReasons } from "./failure-reasons";
import { formatCount, formatRate } from "./format";
import { StatCard, StatGrid } from "./stat-card";
import { TrafficChart } from "./traffic-chart";
import { VendorDeliveryChart } from "./vendor-delivery-chart";
import { VendorTable } from "./vendor-table";

export type OrgDashboardProps = { orgId: string; orgSlug: string; range: StatsRange; timeZone: string };

/** Loads the org's numbers and lays them out; the page wraps it in Suspense with the skeleton. */
export async function OrgDashboard({ orgId, orgSlug, range, timeZone }: OrgDashboardProps) {
  const stats = await findOrgStats(orgId, { range, timeZone });
  if (!stats.hasAnyMessages) {
    return (
      <EmptyState
        icon="chart"
        title="No messages yet"
        description="Once this organization sends or receives its first text, traffic, delivery rates and failures show up here."
        action={
          <Link href={`/${orgSlug}/campaigns`} className="text-sm font-medium text-indigo-600 hover:text-indigo-500">
            Go to campaigns →
          </Link>
        }
      />
    );
  }
  const { totals } = stats;
  const rangeLabel = STATS_RANGES[range].label.toLowerCase();
  return (
    <div className="space-y-6">
      <StatGrid>
        <StatCard label="Sent" value={formatCount(totals.outbound)} hint={rangeLabel} />
        <StatCard label="Received" value={formatCount(totals.inbound)} hint={rangeLabel} />
        <StatCard
          label="Delivery rate"
          value={formatRate(totals.deliveryRate)}
          hint={`${formatCount(totals.delivered)} delivered of ${formatCount(totals.delivered + totals.failed)} with a final status`}
          tone={
            totals.deliveryRate === null
              ? "default"
              : totals.deliveryRate >= 0.95
                ? "good"
                : totals.deliveryRate < 0.8
                  ? "bad"
                  : "default"
          }
        />
        <StatCard
          label="Failed"
          value={formatCount(totals.failed)}
          tone={totals.failed > 0 ? "bad" : "default"}
          hint={rangeLabel}
        />
      </StatGrid>

      <Card>
        <CardHeader title="Messages out and in" description={`Per ${stats.unit}, in ${timeZone.replace(/_/g, " ")} time.`} />
        <CardBody>
          {totals.outbound + totals.inbound === 0 ? (
            <p className="py-16 text-center text-sm text-zinc-500">No messages in the {rangeLabel}. Try a longer range.</p>
          ) : (
            <TrafficChart data={stats.traffic} unit={stats.unit} />
          )}
        </CardBody>
      </Card>

      <Card>
        <CardHeader
          title="Delivery by vendor account"
          description="Delivered out of messages with a final status; pending ones wait for a report."
        />
        <CardBody className="space-y-4">
          {stats.vendors.length === 0 ? (
            <p className="py-6 text-center text-sm text-zinc-500">Nothing sent in this range.</p>
          ) : (
            <>
              <VendorDeliveryChart vendors={stats.vendors} />
              <VendorTable vendors={stats.vendors} />
            </>
          )}
        </CardBody>
      </Card>

      <div className="grid gap-6 lg:grid-cols-2">
        <Card>
          <CardHeader title="Failures by reason" description="As the vendor reported them." />
          <CardBody>
            <FailureReasons failures={stats.failures} />
          </CardBody>
        </Card>
        <Card>
          <CardHeader title="Busiest numbers" description="Our numbers by messages sent from and received on them." />
          <CardBody>
            <BusiestNumbers numbers={stats.busiestNumbers} />
          </CardBody>
        </Card>
      </div>
    </div>
  );
}
