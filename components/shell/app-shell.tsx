import Link from "next/link";
import type { ReactNode } from "react";
import { Icon } from "@/components/ui/icon";
import { Logo } from "@/components/ui/logo";
import { signOutAction } from "@/lib/actions/auth";
import { NAV_ITEMS } from "@/lib/nav";
import { Avatar } from "./avatar";
import { NavLinks, type NavGroup } from "./nav-links";
import { OrgSwitcher } from "./org-switcher";
import { roleAtLeast, type ShellRole } from "./roles";
import { ShellFrame } from "./shell-frame";

export type AppShellProps = {
  org: { slug: string; name: string };
  orgs: { slug: string; name: string; role: ShellRole }[];
  user: { name: string; email: string };
  role: ShellRole;
  children: ReactNode;
};

// Day-to-day texting work first; org administration below it.
const MESSAGING_SEGMENTS: ReadonlySet<string> = new Set(["conversations", "campaigns", "contacts"]);

function navGroups(orgSlug: string, role: ShellRole): NavGroup[] {
  const visible = NAV_ITEMS.filter((item) => roleAtLeast(role, item.minRole)).map((item) => ({
    href: `/${orgSlug}/${item.segment}`,
    label: item.label,
    icon: item.icon,
    segment: item.segment as string,
  }));
  const groups: NavGroup[] = [
    { label: "Messaging", items: visible.filter((item) => MESSAGING_SEGMENTS.has(item.segment)) },
    { label: "Organization", items: visible.filter((item) => !MESSAGING_SEGMENTS.has(item.segment)) },
  ];
  return groups.filter((group) => group.items.length > 0);
}

export function AppShell({ org, orgs, user, role, children }: AppShellProps) {
  const sidebar = (
    <>
      <div className="flex h-14 shrink-0 items-center px-5">
        <Link
          href={`/${org.slug}/conversations`}
          className="rounded-md text-white outline-none focus-visible:ring-2 focus-visible:ring-indigo-400"
        >
          <Logo />
        </Link>
      </div>

      <div className="px-3 pt-1">
        <OrgSwitcher org={org} orgs={orgs} role={role} />
      </div>

      <nav aria-label="Main" className="flex-1 overflow-y-auto px-3 py-5">
        <NavLinks groups={navGroups(org.slug, role)} />
      </nav>

      <div className="shrink-0 border-t border-white/10 p-3">
        <div className="flex items-center gap-2.5 px-1.5 py-1.5">
          <Avatar name={user.name || user.email} seed={user.email} />
          <div className="min-w-0 flex-1">
            <p className="truncate text-sm font-medium text-white">{user.name || user.email}</p>
            <p className="truncate text-xs text-zinc-500" title={user.email}>
              {user.email}
            </p>
          </div>
        </div>
        <form action={signOutAction} className="mt-1">
          <button
            type="submit"
            className="flex h-8 w-full items-center gap-2.5 rounded-md px-2.5 text-sm text-zinc-400 transition-colors outline-none hover:bg-white/5 hover:text-white focus-visible:ring-2 focus-visible:ring-indigo-400"
          >
            <Icon name="logout" className="size-4 text-zinc-500" />
            Sign out
          </button>
        </form>
      </div>
    </>
  );

  return (
    <ShellFrame sidebar={sidebar} title={org.name}>
      {children}
    </ShellFrame>
  );
}
