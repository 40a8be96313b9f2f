"use client";

import { usePathname } from "next/navigation";
import { useEffect, useState, type ReactNode } from "react";
import { cn } from "@/components/ui/cn";
import { Icon } from "@/components/ui/icon";
import { Logo } from "@/components/ui/logo";

/**
 * Owns the only client state of the frame: whether the sidebar drawer is open on narrow
 * screens. The sidebar is rendered once (not duplicated for mobile) so landmarks, the org
 * switcher and "Sign out" stay unique on the page.
 */
export function ShellFrame({ sidebar, title, children }: { sidebar: ReactNode; title: string; children: ReactNode }) {
  const pathname = usePathname();
  const [openAt, setOpenAt] = useState<string | null>(null);
  const open = openAt !== null && openAt === pathname;

  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") setOpenAt(null);
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [open]);

  return (
    <div className="min-h-screen bg-zinc-50">
      <a
        href="#main"
        className="sr-only z-[60] rounded-md bg-white px-3 py-2 text-sm font-medium text-zinc-900 shadow-lg focus:not-sr-only focus:fixed focus:top-3 focus:left-3"
      >
        Skip to content
      </a>

      <div className="sticky top-0 z-30 flex h-14 items-center gap-3 border-b border-white/10 bg-zinc-950 px-4 text-white lg:hidden">
        <button
          type="button"
          aria-label={open ? "Close menu" : "Open menu"}
          aria-expanded={open}
          aria-controls="app-sidebar"
          onClick={() => setOpenAt(open ? null : pathname)}
          className="-ml-1.5 flex size-9 items-center justify-center rounded-md text-zinc-300 outline-none hover:bg-white/10 hover:text-white focus-visible:ring-2 focus-visible:ring-indigo-400"
        >
          <Icon name={open ? "x" : "menu"} className="size-5" />
        </button>
        <Logo markClassName="size-6" />
        <span className="ml-auto truncate text-sm text-zinc-400">{title}</span>
      </div>

      {open ? (
        <div
          aria-hidden="true"
          onClick={() => setOpenAt(null)}
          className="fixed inset-0 z-40 bg-zinc-950/60 backdrop-blur-[2px] lg:hidden"
        />
      ) : null}

      <aside
        id="app-sidebar"
        className={cn(
          "fixed inset-y-0 left-0 z-50 w-64 flex-col border-r border-white/5 bg-zinc-950 text-zinc-300 shadow-2xl lg:flex lg:shadow-none",
          open ? "flex" : "hidden",
        )}
      >
        {sidebar}
      </aside>

      <div className="lg:pl-64">
        <main id="main" tabIndex={-1} className="mx-auto w-full max-w-6xl px-4 py-8 outline-none sm:px-6 lg:px-10 lg:py-10">
          {children}
        </main>
      </div>
    </div>
  );
}
