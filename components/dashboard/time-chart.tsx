"use client";

import type { ReactNode } from "react";
import { CartesianGrid, ComposedChart, Legend, Tooltip, XAxis, YAxis } from "recharts";
import { AXIS_TICK, CHART_COLORS } from "./chart-theme";
import { formatBucket, formatCount } from "./format";

/**
 * A chart over time buckets (hours or days in the org's time zone): the grid, axes, tooltip
 * and legend every time chart shares. The series (recharts Bar and Line elements) are its children.
 */
export function TimeChart<T extends { bucket: string }>({
  data,
  unit,
  label,
  children,
}: {
  data: T[];
  unit: "hour" | "day";
  label: string;
  children: ReactNode;
}) {
  return (
    <div className="h-72 w-full" role="img" aria-label={label}>
      <ComposedChart responsive style={{ width: "100%", height: "100%" }} data={data} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
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
        {children}
      </ComposedChart>
    </div>
  );
}
