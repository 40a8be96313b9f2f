import { Badge } from "@/components/ui/badge";
import type { VendorDelivery } from "@/lib/stats/org";
import { formatCount, formatRate } from "./format";

export function VendorTable({ vendors }: { vendors: VendorDelivery[] }) {
  return (
    <div className="overflow-x-auto">
      <table className="min-w-full text-left text-sm">
        <thead className="text-xs tracking-wide text-zinc-500 uppercase">
          <tr>
            <th className="py-2 pr-4 font-medium">Account</th>
            <th className="px-4 py-2 text-right font-medium">Sent</th>
            <th className="px-4 py-2 text-right font-medium">Delivered</th>
            <th className="px-4 py-2 text-right font-medium">Failed</th>
            <th className="px-4 py-2 text-right font-medium">Pending</th>
            <th className="py-2 pl-4 text-right font-medium">Rate</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 tabular-nums">
          {vendors.map((v) => (
            <tr key={v.vendorAccountId ?? "none"} data-vendor={v.name}>
              <td className="py-2 pr-4 font-medium text-zinc-900">
                {v.name} {v.kind ? <span className="text-xs font-normal text-zinc-400">{v.kind}</span> : null}
              </td>
              <td className="px-4 py-2 text-right">{formatCount(v.sent)}</td>
              <td className="px-4 py-2 text-right">{formatCount(v.delivered)}</td>
              <td className="px-4 py-2 text-right">{formatCount(v.failed)}</td>
              <td className="px-4 py-2 text-right">{formatCount(v.pending)}</td>
              <td className="py-2 pl-4 text-right">
                <Badge tone={rateTone(v.deliveryRate)}>{formatRate(v.deliveryRate)}</Badge>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function rateTone(rate: number | null) {
  if (rate === null) return "gray";
  if (rate >= 0.95) return "green";
  return rate >= 0.8 ? "yellow" : "red";
}
