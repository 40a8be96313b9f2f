"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useId, useRef, useState } from "react";
import { cn } from "@/components/ui/cn";
import { Icon } from "@/components/ui/icon";
import { Avatar } from "./avatar";
import { ROLE_LABELS, type ShellRole } from "./roles";

type Org = { slug: string; name: string };

export type OrgSwitcherProps = {
  org: Org;
  orgs: (Org & { role: ShellRole })[];
  role: ShellRole;
};

export function OrgSwitcher({ org, orgs, role }: OrgSwitcherProps) {
  const pathname = usePathname();
  // Tying "open" to the path it was opened on closes the menu on navigation without an effect.
  const [openAt, setOpenAt] = useState<string | null>(null);
  const open = openAt !== null && openAt === pathname;
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const panelId = useId();

  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      if (!rootRef.current?.contains(event.target as Node)) setOpenAt(null);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== "Escape") return;
      setOpenAt(null);
      buttonRef.current?.focus();
    };
    document.addEventListener("pointerdown", onPointer);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("pointerdown", onPointer);
      document.removeEventListener("keydown", onKey);
    };
  }, [open]);

  return (
    <div ref={rootRef} className="relative">
      <button
        ref={buttonRef}
        type="button"
        aria-label="Switch organization"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpenAt(open ? null : pathname)}
        className={cn(
          "flex w-full items-center gap-2.5 rounded-lg border border-white/10 bg-white/[0.03] p-2 text-left transition-colors outline-none",
          "hover:border-white/15 hover:bg-white/[0.06] focus-visible:ring-2 focus-visible:ring-indigo-400",
          open && "border-white/15 bg-white/[0.06]",
        )}
      >
        <Avatar name={org.name} seed={org.slug} square />
        <span className="min-w-0 flex-1">
          <span className="block truncate text-sm font-medium text-white">{org.name}</span>
          <span className="block truncate text-xs text-zinc-400">{ROLE_LABELS[role]}</span>
        </span>
        <Icon name="chevrons-up-down" className="size-4 shrink-0 text-zinc-500" />
      </button>

      <div
        id={panelId}
        hidden={!open}
        className="absolute inset-x-0 top-full z-50 mt-1.5 overflow-hidden rounded-lg border border-white/10 bg-zinc-900 p-1 shadow-2xl shadow-black/40"
      >
        <p className="px-2 pt-1.5 pb-1 text-[11px] font-medium tracking-wider text-zinc-500 uppercase">Organizations</p>
        <ul className="max-h-72 overflow-y-auto">
          {orgs.map((item) => {
            const current = item.slug === org.slug;
            return (
              <li key={item.slug}>
                <Link
                  href={`/${item.slug}/conversations`}
                  aria-current={current ? "true" : undefined}
                  className="flex items-center gap-2.5 rounded-md px-2 py-1.5 text-sm text-zinc-300 outline-none hover:bg-white/5 hover:text-white focus-visible:bg-white/10"
                >
                  <Avatar name={item.name} seed={item.slug} square className="size-6 text-[10px]" />
                  <span className="min-w-0 flex-1">
                    <span className="block truncate">{item.name}</span>
                    <span className="block truncate text-xs text-zinc-500">{ROLE_LABELS[item.role]}</span>
                  </span>
                  {current ? <Icon name="check" className="size-4 shrink-0 text-indigo-300" /> : null}
                </Link>
              </li>
            );
          })}
        </ul>
        <div className="my-1 h-px bg-white/10" />
        <Link
          href="/signup?newOrg=1"
          className="flex items-center gap-2.5 rounded-md px-2 py-1.5 text-sm text-zinc-300 outline-none hover:bg-white/5 hover:text-white focus-visible:bg-white/10"
        >
          <span className="flex size-6 items-center justify-center rounded-md border border-dashed border-white/20 text-zinc-400">
            <Icon name="plus" className="size-3.5" />
          </span>
          Create organization
        </Link>
      </div>
    </div>
  );
}
