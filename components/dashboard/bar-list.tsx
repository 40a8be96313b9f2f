import type { ReactNode } from "react";
import { formatCount } from "./format";

export type BarListItem = { key: string; label: ReactNode; detail?: ReactNode; value: number };

/**
 * A ranked list with proportional bars, for labels too long for a chart axis (error texts,
 * phone numbers). Plain HTML, so it reads well without JavaScript and in a screen reader.
 */
export function BarList({ items, color = "bg-indigo-100" }: { items: BarListItem[]; color?: string }) {
  const max = Math.max(1, ...items.map((item) => item.value));
  return (
    <ol className="space-y-1.5">
      {items.map((item) => (
        <li
          key={item.key}
          className="relative flex items-center justify-between gap-4 overflow-hidden rounded-md px-3 py-2 text-sm"
        >
          <span
            aria-hidden="true"
            className={`absolute inset-y-0 left-0 rounded-md ${color}`}
            style={{ width: `${(item.value / max) * 100}%` }}
          />
          <span className="relative min-w-0">
            <span className="block truncate font-medium text-zinc-900">{item.label}</span>
            {item.detail ? <span className="block truncate text-xs text-zinc-500">{item.detail}</span> : null}
          </span>
          <span className="relative shrink-0 font-semibold text-zinc-900 tabular-nums">{formatCount(item.value)}</span>
        </li>
      ))}
    </ol>
  );
}
