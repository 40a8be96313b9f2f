/** One palette for every chart, matching the badges: indigo out, sky in, green delivered, red failed. */
export const CHART_COLORS = {
  outbound: "#6366f1",
  inbound: "#0ea5e9",
  delivered: "#10b981",
  failed: "#ef4444",
  pending: "#d4d4d8",
  replies: "#f59e0b",
  grid: "#f4f4f5",
  axis: "#71717a",
} as const;

export const AXIS_TICK = { fontSize: 12, fill: CHART_COLORS.axis };
