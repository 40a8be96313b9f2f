/** The dashboard's shape while its queries run, so the page does not jump when numbers arrive. */
export function DashboardSkeleton() {
  return (
    <div className="animate-pulse space-y-6" aria-busy="true" aria-label="Loading statistics">
      <div className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        {[0, 1, 2, 3].map((i) => (
          <div key={i} className="h-[88px] rounded-xl border border-zinc-200 bg-white" />
        ))}
      </div>
      <div className="h-80 rounded-xl border border-zinc-200 bg-white" />
      <div className="grid gap-6 lg:grid-cols-2">
        <div className="h-64 rounded-xl border border-zinc-200 bg-white" />
        <div className="h-64 rounded-xl border border-zinc-200 bg-white" />
      </div>
    </div>
  );
}
