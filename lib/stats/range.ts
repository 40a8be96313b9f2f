import { sql, type SQL } from "drizzle-orm";
import { DEFAULT_TIME_ZONE, isValidTimeZone } from "@/lib/time";

/** The ranges the dashboards offer; each picks its bucket size so a chart has 24-30 bars at most. */
export const STATS_RANGES = {
  "24h": { label: "Last 24 hours", unit: "hour", buckets: 24 },
  "7d": { label: "Last 7 days", unit: "day", buckets: 7 },
  "30d": { label: "Last 30 days", unit: "day", buckets: 30 },
} as const;

export type StatsRange = keyof typeof STATS_RANGES;
export type BucketUnit = "hour" | "day";

export const DEFAULT_STATS_RANGE: StatsRange = "7d";

/** A search param (anything a URL may carry) to a known range; unknown values fall back to the default. */
export function parseStatsRange(value: unknown): StatsRange {
  return typeof value === "string" && value in STATS_RANGES ? (value as StatsRange) : DEFAULT_STATS_RANGE;
}

/** The org's time zone; a bad value stored before validation existed must not break every chart. */
export function orgTimeZone(features: { timeZone?: string }): string {
  const tz = features.timeZone;
  return tz && isValidTimeZone(tz) ? tz : DEFAULT_TIME_ZONE;
}

/**
 * The first bucket's start as a local (org time zone) timestamp, in SQL. Buckets are whole
 * local hours or days, so the oldest bar is never a partial one.
 */
export function rangeStartLocal(range: StatsRange, timeZone: string, now: Date): SQL {
  const { unit, buckets } = STATS_RANGES[range];
  return sql`(date_trunc(${unit}, ${now.toISOString()}::timestamptz at time zone ${timeZone}) - ${`${buckets - 1} ${unit}s`}::interval)`;
}

/**
 * Bucket labels are local wall-clock times ("2025-03-09T14:00"), not instants: a day bucket
 * is the org's calendar day, and DST never splits or shifts one.
 */
export const BUCKET_FORMAT = `YYYY-MM-DD"T"HH24:MI`;
