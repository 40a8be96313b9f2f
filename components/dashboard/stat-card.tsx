import type { ReactNode } from "react";
import { cn } from "@/components/ui/cn";

export type StatCardProps = { label: string; value: string; hint?: ReactNode; tone?: "default" | "good" | "bad" };

const VALUE_TONES = { default: "text-zinc-900", good: "text-emerald-700", bad: "text-red-700" };

export function StatCard({ label, value, hint, tone = "default" }: StatCardProps) {
  return (
    <div className="rounded-xl border border-zinc-200 bg-white px-5 py-4 shadow-xs shadow-zinc-900/5" data-stat={label}>
      <p className="text-xs font-medium tracking-wide text-zinc-500 uppercase">{label}</p>
      <p className={cn("mt-1.5 text-2xl font-semibold tracking-tight tabular-nums", VALUE_TONES[tone])}>{value}</p>
      {hint ? <p className="mt-1 text-xs text-zinc-500">{hint}</p> : null}
    </div>
  );
}

export function StatGrid({ children }: { children: ReactNode }) {
  return <div className="grid grid-cols-2 gap-3 lg:grid-cols-4">{children}</div>;
}
