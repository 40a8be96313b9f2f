const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const NUMBER = new Intl.NumberFormat("en-US");

/**
 * Bucket labels are already the org's wall-clock time ("2025-03-09T14:00"); they are read as
 * text, never through Date, so the viewer's own time zone cannot shift them.
 */
export function formatBucket(bucket: string, unit: "hour" | "day", long = false): string {
  const [, month, day, hour] = /^\d{4}-(\d{2})-(\d{2})T(\d{2})/.exec(bucket)?.map(Number) ?? [];
  if (month === undefined || day === undefined || hour === undefined) return bucket;
  const date = `${MONTHS[month - 1]} ${day}`;
  if (unit === "day") return date;
  const clock = `${hour % 12 === 0 ? 12 : hour % 12} ${hour < 12 ? "AM" : "PM"}`;
  return long ? `${date}, ${clock}` : clock;
}

export function formatCount(n: number): string {
  return NUMBER.format(n);
}

/** Rounded down, so 99.96% with a failure in it never reads as a perfect 100.0%. */
export function formatRate(rate: number | null): string {
  if (rate === null) return "—";
  return `${(Math.floor(rate * 1000) / 10).toFixed(1)}%`;
}
