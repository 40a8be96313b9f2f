import { Suspense } from "react";
import { DashboardSkeleton } from "@/components/dashboard/dashboard-skeleton";
import { OrgDashboard } from "@/components/dashboard/org-dashboard";
import { RangePicker } from "@/components/dashboard/range-picker";
import { PageHeader } from "@/components/ui/page-header";
import { minRoleFor } from "@/lib/nav";
import { orgTimeZone, parseStatsRange } from "@/lib/stats/range";
import { requireOrgPage } from "@/lib/tenancy";

export const metadata = { title: "Dashboard" };

type Props = { params: Promise<{ org: string }>; searchParams: Promise<{ range?: string | string[] }> };

export default async function DashboardPage({ params, searchParams }: Props) {
  const ctx = await requireOrgPage((await params).org, minRoleFor("dashboard"));
  const range = parseStatsRange((await searchParams).range);
  const timeZone = orgTimeZone(ctx.org.features);
  return (
    <div>
      <PageHeader
        title="Dashboard"
        description="Traffic, delivery and failures across every number and vendor account in this organization."
        actions={<RangePicker basePath={`/${ctx.org.slug}/dashboard`} current={range} />}
      />
      {/* Keyed by range so switching ranges shows the skeleton again; the role check above has already answered 404s. */}
      <Suspense key={range} fallback={<DashboardSkeleton />}>
        <OrgDashboard orgId={ctx.org.id} orgSlug={ctx.org.slug} range={range} timeZone={timeZone} />
      </Suspense>
    </div>
  );
}
