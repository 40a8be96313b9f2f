import { BarList } from "@/components/dashboard/bar-list";
import { StatsSkeleton } from "@/components/dashboard/dashboard-skeleton";
import { formatCount, formatRate } from "@/components/dashboard/format";
import { StatCard, StatGrid } from "@/components/dashboard/stat-card";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { findCampaignStats } from "@/lib/stats/campaign";
import { CampaignStatsChart } from "./stats-chart";

/**
 * The campaign page's statistics. It loads its own data, so the page can put it inside a
 * <Suspense fallback={<CampaignStatsSkeleton />}> and show the rest of the campaign at once.
 */
export async function CampaignStats({ orgId, campaignId }: { orgId: string; campaignId: string }) {
  const stats = await findCampaignStats(orgId, campaignId);
  if (!stats) return null;
  const { totals } = stats;
  return (
    <section aria-label="Campaign statistics" className="space-y-6">
      <StatGrid>
        <StatCard label="Sent" value={formatCount(totals.sent)} hint={`of ${formatCount(totals.contacts)} contacts`} />
        <StatCard
          label="Delivery rate"
          value={formatRate(totals.deliveryRate)}
          hint={`${formatCount(totals.delivered)} delivered · ${formatCount(totals.failed)} failed · ${formatCount(totals.pending)} pending`}
          tone={totals.deliveryRate !== null && totals.deliveryRate < 0.8 ? "bad" : "default"}
        />
        <StatCard
          label="Replies"
          value={formatCount(totals.replies)}
          hint={`from ${formatCount(totals.repliedContacts)} ${totals.repliedContacts === 1 ? "contact" : "contacts"}`}
        />
        <StatCard label="Opt-outs" value={formatCount(totals.optOuts)} hint={optOutHint(totals.optOuts, totals.sent)} />
      </StatGrid>

      <div className="grid gap-6 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          <CardHeader
            title="Sends over time"
            description={`Per ${stats.unit}, by when each message left, in ${stats.timeZone.replace(/_/g, " ")} time.`}
          />
          <CardBody>
            {stats.series.length === 0 ? (
              <p className="py-16 text-center text-sm text-zinc-500">
                Nothing sent yet. The chart fills in as the campaign sends.
              </p>
            ) : (
              <CampaignStatsChart data={stats.series} unit={stats.unit} />
            )}
          </CardBody>
        </Card>
        <Card>
          <CardHeader title="Top errors" description="Why sends failed, as the vendor put it." />
          <CardBody>
            {stats.topErrors.length === 0 ? (
              <p className="py-6 text-center text-sm text-zinc-500">No failed sends.</p>
            ) : (
              <BarList
                color="bg-red-50"
                items={stats.topErrors.map((e) => ({
                  key: e.errorDescription ?? "",
                  label: e.errorDescription ?? "No description from the vendor",
                  value: e.count,
                }))}
              />
            )}
          </CardBody>
        </Card>
      </div>
    </section>
  );
}

export function CampaignStatsSkeleton() {
  return <StatsSkeleton label="Loading campaign statistics" />;
}

function optOutHint(optOuts: number, sent: number): string {
  if (sent === 0) return "none yet";
  return `${formatRate(optOuts / sent)} of sends`;
}
