"use client";

import { Bar, CartesianGrid, ComposedChart, Legend, Line, Tooltip, XAxis, YAxis } from "recharts";
import { AXIS_TICK, CHART_COLORS } from "@/components/dashboard/chart-theme";
import { formatBucket, formatCount } from "@/components/dashboard/format";
import type { CampaignSeriesBucket } from "@/lib/stats/campaign";

/** Sends stacked by how they ended, with replies as a line over them: the shape of a campaign at a glance. */
export function CampaignStatsChart({ data, unit }: { data: CampaignSeriesBucket[]; unit: "hour" | "day" }) {
  return (
    <div className="h-72 w-full" role="img" aria-label="Campaign sends and replies over time">
      <ComposedChart
        responsive
        style={{ width: "100%", height: "100%" }}
        data={data}
        margin={{ top: 8, right: 8, bottom: 0, left: -16 }}
      >
        <CartesianGrid vertical={false} stroke={CHART_COLORS.grid} />
        <XAxis
          dataKey="bucket"
          tickFormatter={(b: string) => formatBucket(b, unit)}
          tick={AXIS_TICK}
          tickLine={false}
          axisLine={false}
          minTickGap={16}
        />
        <YAxis allowDecimals={false} tick={AXIS_TICK} tickLine={false} axisLine={false} tickFormatter={formatCount} />
        <Tooltip
          cursor={{ fill: "#eef2ff" }}
          labelFormatter={(b) => formatBucket(String(b), unit, true)}
          formatter={(value, name) => [formatCount(Number(value)), name]}
        />
        <Legend iconType="circle" iconSize={8} wrapperStyle={{ fontSize: 12 }} />
        <Bar dataKey="delivered" name="Delivered" stackId="sends" fill={CHART_COLORS.delivered} maxBarSize={28} />
        <Bar dataKey="failed" name="Failed" stackId="sends" fill={CHART_COLORS.failed} maxBarSize={28} />
        <Bar dataKey="pending" name="Pending" stackId="sends" fill={CHART_COLORS.pending} maxBarSize={28} radius={[3, 3, 0, 0]} />
        <Line dataKey="replies" name="Replies" type="monotone" stroke={CHART_COLORS.replies} strokeWidth={2} dot={false} />
      </ComposedChart>
    </div>
  );
}
