import type { ThreadMessage } from "@/lib/conversations";

/**
 * Times on the conversations page are shown in the org's time zone, on the server and in the
 * browser alike, so the server's HTML and the hydrated page say the same thing.
 */
const cache = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${timeZone}|${JSON.stringify(options)}`;
  let format = cache.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", { timeZone, ...options });
    cache.set(key, format);
  }
  return format;
}

/** "2025-11-21" in the time zone, for comparing calendar days. */
function dayKey(date: Date, timeZone: string): string {
  return formatter(timeZone, { year: "numeric", month: "2-digit", day: "2-digit" }).format(date);
}

function daysBetween(a: Date, b: Date, timeZone: string): number {
  const toUtcNoon = (d: Date) => {
    const [month, day, year] = dayKey(d, timeZone).split("/").map(Number);
    return Date.UTC(year!, month! - 1, day!, 12);
  };
  return Math.round((toUtcNoon(b) - toUtcNoon(a)) / 86_400_000);
}

export function formatClock(iso: string, timeZone: string): string {
  return formatter(timeZone, { hour: "numeric", minute: "2-digit" }).format(new Date(iso));
}

export function formatFull(iso: string, timeZone: string): string {
  return formatter(timeZone, { dateStyle: "medium", timeStyle: "long" }).format(new Date(iso));
}

/** Inbox rows: the time today, the weekday this week, the date before that. */
export function formatInboxTime(iso: string, timeZone: string, now = new Date()): string {
  const date = new Date(iso);
  const days = daysBetween(date, now, timeZone);
  if (days <= 0) return formatClock(iso, timeZone);
  if (days < 7) return formatter(timeZone, { weekday: "short" }).format(date);
  const sameYear = formatter(timeZone, { year: "numeric" }).format(date) === formatter(timeZone, { year: "numeric" }).format(now);
  return formatter(
    timeZone,
    sameYear ? { month: "short", day: "numeric" } : { year: "2-digit", month: "numeric", day: "numeric" },
  ).format(date);
}

/** Separators between a thread's days: "Today", "Yesterday", "Monday, Nov 17". */
export function formatDayLabel(iso: string, timeZone: string, now = new Date()): string {
  const date = new Date(iso);
  const days = daysBetween(date, now, timeZone);
  if (days === 0) return "Today";
  if (days === 1) return "Yesterday";
  const sameYear = formatter(timeZone, { year: "numeric" }).format(date) === formatter(timeZone, { year: "numeric" }).format(now);
  return formatter(timeZone, sameYear ? { weekday: "long", month: "short", day: "numeric" } : { dateStyle: "medium" }).format(
    date,
  );
}

export function sameDay(a: string, b: string, timeZone: string): boolean {
  return dayKey(new Date(a), timeZone) === dayKey(new Date(b), timeZone);
}

export const STATUS_LABELS: Record<ThreadMessage["status"], string> = {
  QUEUED: "Queued",
  SENDING: "Sending",
  SENT: "Sent",
  DELIVERED: "Delivered",
  FAILED: "Failed",
  RECEIVED: "Received",
};

export const ENCODING_LABELS: Record<ThreadMessage["encoding"], string> = { GSM7: "GSM-7", UCS2: "UCS-2" };

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;
}

/** Only web links become clickable; anything else a vendor sends stays text. */
export function safeMediaUrl(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.toString() : null;
  } catch {
    return null;
  }
}
