"use client";

import { Bar } from "recharts";
import type { TrafficBucket } from "@/lib/stats/org";
import { CHART_COLORS } from "./chart-theme";
import { TimeChart } from "./time-chart";

export function TrafficChart({ data, unit }: { data: TrafficBucket[]; unit: "hour" | "day" }) {
  return (
    <TimeChart data={data} unit={unit} label="Messages out and in over time">
      <Bar dataKey="outbound" name="Out" fill={CHART_COLORS.outbound} radius={[3, 3, 0, 0]} maxBarSize={28} />
      <Bar dataKey="inbound" name="In" fill={CHART_COLORS.inbound} radius={[3, 3, 0, 0]} maxBarSize={28} />
    </TimeChart>
  );
}
