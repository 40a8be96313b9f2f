import Link from "next/link";
import { cn } from "@/components/ui/cn";

export const ACCOUNT_TABS = [
  { id: "settings", label: "Settings" },
  { id: "webhooks", label: "Webhooks" },
  { id: "logs", label: "Logs" },
] as const;

export type AccountTab = (typeof ACCOUNT_TABS)[number]["id"];

export function parseAccountTab(value: string | string[] | undefined): AccountTab {
  return ACCOUNT_TABS.find((tab) => tab.id === value)?.id ?? "settings";
}

/** Tabs as links (?tab=): each is its own URL, so a tab can be bookmarked or shared. */
export function AccountTabs({
  basePath,
  current,
  counts,
}: {
  basePath: string;
  current: AccountTab;
  counts?: Partial<Record<AccountTab, number>>;
}) {
  return (
    <nav aria-label="Account sections" className="mb-6 border-b border-zinc-200">
      <ul className="-mb-px flex gap-6">
        {ACCOUNT_TABS.map((tab) => {
          const active = tab.id === current;
          const count = counts?.[tab.id];
          return (
            <li key={tab.id}>
              <Link
                href={`${basePath}?tab=${tab.id}`}
                aria-current={active ? "page" : undefined}
                className={cn(
                  "inline-flex items-center gap-2 border-b-2 px-0.5 pb-3 text-sm font-medium transition-colors outline-none focus-visible:text-indigo-700",
                  active
                    ? "border-indigo-600 text-indigo-700"
                    : "border-transparent text-zinc-500 hover:border-zinc-300 hover:text-zinc-800",
                )}
              >
                {tab.label}
                {count !== undefined ? (
                  <span
                    className={cn(
                      "rounded-full px-1.5 py-px text-[11px] font-medium tabular-nums",
                      active ? "bg-indigo-50 text-indigo-700" : "bg-zinc-100 text-zinc-600",
                    )}
                  >
                    {count}
                  </span>
                ) : null}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
