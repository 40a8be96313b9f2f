"use client";

import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from "recharts";
import type { TrafficBucket } from "@/lib/stats/org";
import { AXIS_TICK, CHART_COLORS } from "./chart-theme";
import { formatBucket, formatCount } from "./format";

export function TrafficChart({ data, unit }: { data: TrafficBucket[]; unit: "hour" | "day" }) {
  return (
    <div className="h-72 w-full" role="img" aria-label="Messages out and in over time">
      <BarChart
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
        <Bar dataKey="outbound" name="Out" fill={CHART_COLORS.outbound} radius={[3, 3, 0, 0]} maxBarSize={28} />
        <Bar dataKey="inbound" name="In" fill={CHART_COLORS.inbound} radius={[3, 3, 0, 0]} maxBarSize={28} />
      </BarChart>
    </div>
  );
}
