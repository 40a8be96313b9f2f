import Link from "next/link";
import { cn } from "@/components/ui/cn";
import { STATS_RANGES, type StatsRange } from "@/lib/stats/range";

/** Plain links: the range lives in the URL, so a view can be shared and reloaded as it is. */
export function RangePicker({ basePath, current }: { basePath: string; current: StatsRange }) {
  return (
    <nav
      aria-label="Time range"
      className="inline-flex rounded-lg border border-zinc-200 bg-white p-0.5 shadow-xs shadow-zinc-900/5"
    >
      {(Object.keys(STATS_RANGES) as StatsRange[]).map((range) => (
        <Link
          key={range}
          href={`${basePath}?range=${range}`}
          title={STATS_RANGES[range].label}
          aria-current={range === current ? "page" : undefined}
          className={cn(
            "rounded-md px-3 py-1 text-sm font-medium transition-colors outline-none focus-visible:ring-2 focus-visible:ring-indigo-400",
            range === current ? "bg-zinc-900 text-white" : "text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900",
          )}
        >
          {range}
        </Link>
      ))}
    </nav>
  );
}
