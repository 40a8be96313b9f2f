import type { SendingWindow } from "@/db/schema/campaigns";

/**
 * The sending window: the local hours (in the org's time zone) when a campaign may send.
 * startHour is inclusive and endHour exclusive, 0-24; a window with start > end spans
 * midnight (22 to 6). Pure and clock-free: callers pass "now", so tests need no sleeping.
 */
export function isInsideWindow(window: SendingWindow | null | undefined, timeZone: string, now: Date): boolean {
  if (!window || (window.startHour === 0 && window.endHour === 24)) return true;
  if (window.startHour === window.endHour) return false;
  const hour = localHour(timeZone, now);
  return window.startHour < window.endHour
    ? hour >= window.startHour && hour < window.endHour
    : hour >= window.startHour || hour < window.endHour;
}

/**
 * When the window next opens after `now`, or null when it is open now. Every time zone's
 * offset is a multiple of 15 minutes, so stepping quarter-hour boundaries finds the exact
 * opening, daylight-saving changes included; two days of steps bounds the search.
 */
export function nextWindowOpening(window: SendingWindow | null | undefined, timeZone: string, now: Date): Date | null {
  if (isInsideWindow(window, timeZone, now)) return null;
  const quarter = 15 * 60_000;
  let t = Math.floor(now.getTime() / quarter) * quarter + quarter;
  for (let i = 0; i < 4 * 24 * 2; i++, t += quarter) {
    if (isInsideWindow(window, timeZone, new Date(t))) return new Date(t);
  }
  return null; // an empty window (start = end) never opens
}

export function describeWindow(window: SendingWindow | null | undefined, timeZone: string): string {
  if (!window || (window.startHour === 0 && window.endHour === 24)) return `Any time (${timeZone})`;
  return `${hourLabel(window.startHour)} to ${hourLabel(window.endHour)} (${timeZone})`;
}

function hourLabel(hour: number): string {
  if (hour === 0 || hour === 24) return "midnight";
  if (hour === 12) return "noon";
  return hour < 12 ? `${hour} am` : `${hour - 12} pm`;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function localHour(timeZone: string, at: Date): number {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", { timeZone, hour: "numeric", hourCycle: "h23" });
    formatters.set(timeZone, format);
  }
  return Number(format.formatToParts(at).find((p) => p.type === "hour")!.value) % 24;
}
