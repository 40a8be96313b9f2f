import Link from "next/link";
import { cn } from "@/components/ui/cn";
import { Icon } from "@/components/ui/icon";
import { Input } from "@/components/ui/input";
import type { ContactFilter } from "@/lib/contacts";

const LABELS: Record<ContactFilter, string> = {
  all: "All",
  textable: "Textable",
  landline: "Landline",
  invalid: "Invalid",
  "lookup-error": "Lookup failed",
  "opted-out": "Opted out",
};

/** Filter tabs with counts and a search box; plain links and a GET form, so they work before hydration. */
export function ContactFilters({
  basePath,
  filter,
  q,
  counts,
}: {
  basePath: string;
  filter: ContactFilter;
  q: string;
  counts: Record<ContactFilter, number>;
}) {
  const href = (next: ContactFilter) => {
    const params = new URLSearchParams();
    if (next !== "all") params.set("filter", next);
    if (q) params.set("q", q);
    const query = params.toString();
    return query ? `${basePath}?${query}` : basePath;
  };
  return (
    <div className="flex flex-col-reverse gap-3 xl:flex-row xl:items-center xl:justify-between">
      <nav aria-label="Filter contacts" className="-mx-1 flex gap-1 overflow-x-auto px-1 py-1">
        {(Object.keys(LABELS) as ContactFilter[]).map((key) => {
          const active = key === filter;
          return (
            <Link
              key={key}
              href={href(key)}
              aria-current={active ? "page" : undefined}
              className={cn(
                "inline-flex h-8 shrink-0 items-center gap-1.5 rounded-lg px-2.5 text-[13px] font-medium whitespace-nowrap transition-colors",
                active
                  ? "bg-white text-zinc-900 shadow-xs ring-1 ring-zinc-200"
                  : "text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900",
              )}
            >
              {LABELS[key]}
              <span
                className={cn(
                  "rounded-md px-1.5 text-xs tabular-nums",
                  active ? "bg-indigo-50 text-indigo-700" : "bg-zinc-200/60 text-zinc-500",
                )}
              >
                {counts[key].toLocaleString("en-US")}
              </span>
            </Link>
          );
        })}
      </nav>
      <form role="search" action={basePath} className="flex items-center">
        {filter !== "all" ? <input type="hidden" name="filter" value={filter} /> : null}
        <div className="relative w-full xl:w-64">
          <Icon name="search" className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-zinc-400" />
          <Input
            name="q"
            type="search"
            defaultValue={q}
            aria-label="Search contacts"
            placeholder="Search name or number"
            className="pl-9"
          />
        </div>
        {/* Enter searches; the button is for assistive tech and forms without implicit submission. */}
        <button type="submit" className="sr-only">
          Search
        </button>
      </form>
    </div>
  );
}
