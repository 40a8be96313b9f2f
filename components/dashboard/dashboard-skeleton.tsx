import type { ReactNode } from "react";

/** Stat cards and a chart in outline while their queries run, so the page does not jump when numbers arrive. */
export function StatsSkeleton({ label, children }: { label: string; children?: ReactNode }) {
  return (
    <div className="animate-pulse space-y-6" aria-busy="true" aria-label={label}>
      <div className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        {[0, 1, 2, 3].map((i) => (
          <div key={i} className="h-[88px] rounded-xl border border-zinc-200 bg-white" />
        ))}
      </div>
      <div className="h-80 rounded-xl border border-zinc-200 bg-white" />
      {children}
    </div>
  );
}

/** The dashboard's shape: the stats, then two panels side by side. */
export function DashboardSkeleton() {
  return (
    <StatsSkeleton label="Loading statistics">
      <div className="grid gap-6 lg:grid-cols-2">
        <div className="h-64 rounded-xl border border-zinc-200 bg-white" />
        <div className="h-64 rounded-xl border border-zinc-200 bg-white" />
      </div>
    </StatsSkeleton>
  );
}
