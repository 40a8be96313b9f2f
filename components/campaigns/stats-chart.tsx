"use client";

import { Bar, Line } from "recharts";
import { CHART_COLORS } from "@/components/dashboard/chart-theme";
import { TimeChart } from "@/components/dashboard/time-chart";
import type { CampaignSeriesBucket } from "@/lib/stats/campaign";

/** Sends stacked by how they ended, with replies as a line over them: the shape of a campaign at a glance. */
export function CampaignStatsChart({ data, unit }: { data: CampaignSeriesBucket[]; unit: "hour" | "day" }) {
  return (
    <TimeChart data={data} unit={unit} label="Campaign sends and replies over time">
      <Bar dataKey="delivered" name="Delivered" stackId="sends" fill={CHART_COLORS.delivered} maxBarSize={28} />
      <Bar dataKey="failed" name="Failed" stackId="sends" fill={CHART_COLORS.failed} maxBarSize={28} />
      <Bar dataKey="pending" name="Pending" stackId="sends" fill={CHART_COLORS.pending} maxBarSize={28} radius={[3, 3, 0, 0]} />
      <Line dataKey="replies" name="Replies" type="monotone" stroke={CHART_COLORS.replies} strokeWidth={2} dot={false} />
    </TimeChart>
  );
}

