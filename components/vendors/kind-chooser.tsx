import Link from "next/link";
import { Icon } from "@/components/ui/icon";
import type { AnyVendorAdapter } from "@/lib/vendors/types";
import { CapabilityChips } from "./capabilities";
import { VendorMark } from "./vendor-mark";

/** Step one of connecting an account: one card per vendor in the registry. */
export function KindChooser({ orgSlug, adapters }: { orgSlug: string; adapters: AnyVendorAdapter[] }) {
  return (
    <ul className="grid gap-3 sm:grid-cols-2">
      {adapters.map((adapter) => (
        <li key={adapter.kind}>
          <Link
            href={`/${orgSlug}/vendors/new?kind=${encodeURIComponent(adapter.kind)}`}
            className="group flex h-full flex-col gap-3 rounded-xl border border-zinc-200 bg-white p-4 shadow-xs transition outline-none hover:border-indigo-300 hover:shadow-sm focus-visible:ring-2 focus-visible:ring-indigo-500"
          >
            <span className="flex items-start gap-3">
              <VendorMark kind={adapter.kind} name={adapter.displayName} />
              <span className="min-w-0 flex-1">
                <span className="flex items-center justify-between gap-2">
                  <span className="text-sm font-semibold text-zinc-900">{adapter.displayName}</span>
                  <Icon
                    name="arrow-right"
                    className="size-4 text-zinc-300 transition group-hover:translate-x-0.5 group-hover:text-indigo-500"
                  />
                </span>
                <span className="mt-0.5 block text-[13px] leading-relaxed text-zinc-500">{adapter.description}</span>
              </span>
            </span>
            <CapabilityChips capabilities={adapter.capabilities} />
          </Link>
        </li>
      ))}
    </ul>
  );
}
