/** Mirrors the page anatomy (header, toolbar, table) so content doesn't jump when it streams in. */
export function PageSkeleton() {
  return (
    <div role="status" aria-live="polite" aria-busy="true">
      <span className="sr-only">Loading…</span>
      <div aria-hidden="true">
        <div className="mb-8 flex items-end justify-between gap-4">
          <div className="space-y-2.5">
            <div className="skeleton h-7 w-48" />
            <div className="skeleton h-4 w-80 max-w-[60vw]" />
          </div>
          <div className="skeleton hidden h-9 w-32 rounded-lg sm:block" />
        </div>

        <div className="overflow-hidden rounded-xl border border-zinc-200 bg-white shadow-xs">
          <div className="flex items-center gap-3 border-b border-zinc-100 px-4 py-3">
            <div className="skeleton h-8 w-64 rounded-lg" />
            <div className="skeleton ml-auto h-8 w-24 rounded-lg" />
          </div>
          <ul className="divide-y divide-zinc-100">
            {Array.from({ length: 6 }, (_, index) => (
              <li key={index} className="flex items-center gap-4 px-4 py-3.5">
                <div className="skeleton size-8 shrink-0 rounded-full" />
                <div className="min-w-0 flex-1 space-y-2">
                  <div className="skeleton h-3.5" style={{ width: `${40 + ((index * 17) % 35)}%` }} />
                  <div className="skeleton h-3" style={{ width: `${25 + ((index * 23) % 30)}%` }} />
                </div>
                <div className="skeleton hidden h-5 w-16 rounded-md sm:block" />
              </li>
            ))}
          </ul>
        </div>
      </div>
    </div>
  );
}
