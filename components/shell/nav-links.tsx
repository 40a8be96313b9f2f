"use client";

import Link, { useLinkStatus } from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/components/ui/cn";
import { Icon, type IconName } from "@/components/ui/icon";

export type NavLinkItem = { href: string; label: string; icon: IconName };
export type NavGroup = { label: string; items: NavLinkItem[] };

function isActive(pathname: string, href: string) {
  return pathname === href || pathname.startsWith(`${href}/`);
}

export function NavLinks({ groups }: { groups: NavGroup[] }) {
  const pathname = usePathname() ?? "";
  return (
    <div className="space-y-6">
      {groups.map((group) => (
        <div key={group.label}>
          <p className="mb-1.5 px-2.5 text-[11px] font-medium tracking-wider text-zinc-500 uppercase">{group.label}</p>
          <ul className="space-y-0.5">
            {group.items.map((item) => {
              const active = isActive(pathname, item.href);
              return (
                <li key={item.href}>
                  <Link
                    href={item.href}
                    aria-current={active ? "page" : undefined}
                    className={cn(
                      "group relative flex h-8 items-center gap-2.5 rounded-md px-2.5 text-sm font-medium transition-colors outline-none",
                      "focus-visible:ring-2 focus-visible:ring-indigo-400",
                      active ? "bg-white/10 text-white" : "text-zinc-400 hover:bg-white/5 hover:text-zinc-100",
                    )}
                  >
                    {active ? (
                      <span aria-hidden="true" className="absolute top-1.5 bottom-1.5 -left-3 w-0.5 rounded-r bg-indigo-400" />
                    ) : null}
                    <Icon
                      name={item.icon}
                      className={cn("size-4 shrink-0", active ? "text-indigo-300" : "text-zinc-500 group-hover:text-zinc-300")}
                    />
                    <span className="truncate">{item.label}</span>
                    <PendingIndicator />
                  </Link>
                </li>
              );
            })}
          </ul>
        </div>
      ))}
    </div>
  );
}

/**
 * Shown in the link being navigated to until its page arrives. Pages have no loading.tsx
 * boundaries on purpose: a refusal or a missing id must stay a real HTTP 404, which a
 * streamed page cannot give once its shell is sent.
 */
function PendingIndicator() {
  const { pending } = useLinkStatus();
  if (!pending) return null;
  return <span role="status" aria-label="Loading" className="ml-auto size-3 animate-spin rounded-full border-2 border-zinc-500 border-t-indigo-300" />;
}
