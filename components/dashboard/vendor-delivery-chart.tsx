"use client";

import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from "recharts";
import type { VendorDelivery } from "@/lib/stats/org";
import { AXIS_TICK, CHART_COLORS } from "./chart-theme";
import { formatCount } from "./format";

/** Stacked per account, so a large account's failures and a small account's stand side by side. */
export function VendorDeliveryChart({ vendors }: { vendors: VendorDelivery[] }) {
  const height = Math.max(120, vendors.length * 44 + 48);
  return (
    <div className="w-full" style={{ height }} role="img" aria-label="Delivered, failed and pending messages per vendor account">
      <BarChart
        responsive
        layout="vertical"
        style={{ width: "100%", height: "100%" }}
        data={vendors}
        margin={{ top: 0, right: 8, bottom: 0, left: 0 }}
      >
        <CartesianGrid horizontal={false} stroke={CHART_COLORS.grid} />
        <XAxis
          type="number"
          allowDecimals={false}
          tick={AXIS_TICK}
          tickLine={false}
          axisLine={false}
          tickFormatter={formatCount}
        />
        <YAxis type="category" dataKey="name" width={120} tick={AXIS_TICK} tickLine={false} axisLine={false} />
        <Tooltip cursor={{ fill: "#f4f4f5" }} formatter={(value, name) => [formatCount(Number(value)), name]} />
        <Legend iconType="circle" iconSize={8} wrapperStyle={{ fontSize: 12 }} />
        <Bar dataKey="delivered" name="Delivered" stackId="s" fill={CHART_COLORS.delivered} maxBarSize={22} />
        <Bar dataKey="failed" name="Failed" stackId="s" fill={CHART_COLORS.failed} maxBarSize={22} />
        <Bar dataKey="pending" name="Pending" stackId="s" fill={CHART_COLORS.pending} maxBarSize={22} radius={[0, 3, 3, 0]} />
      </BarChart>
    </div>
  );
}
