import type { BusyNumber } from "@/lib/stats/org";
import { BarList } from "./bar-list";
import { formatCount } from "./format";

export function BusiestNumbers({ numbers }: { numbers: BusyNumber[] }) {
  if (numbers.length === 0) return <p className="py-6 text-center text-sm text-zinc-500">No messages in this range.</p>;
  return (
    <BarList
      items={numbers.map((n) => ({
        key: n.e164,
        label: <span className="font-mono">{n.e164}</span>,
        detail: `${formatCount(n.outbound)} out · ${formatCount(n.inbound)} in`,
        value: n.total,
      }))}
    />
  );
}
