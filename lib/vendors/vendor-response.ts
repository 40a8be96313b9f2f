import type { VendorHttpResponse } from "./http";

/** Longer than this, and a backoff of our own serves better than parking the message. */
const MAX_RETRY_AFTER_SECONDS = 3600;

/**
 * A response's Retry-After as seconds to wait: delay-seconds, or an HTTP date measured from
 * `now`. Undefined when absent, unreadable or already past; at most an hour.
 */
export function retryAfterSeconds(response: Pick<VendorHttpResponse, "headers">, now: Date): number | undefined {
  const header = response.headers.get("retry-after")?.trim();
  if (!header) return undefined;
  const seconds = /^\d+$/.test(header) ? Number(header) : Math.ceil((Date.parse(header) - now.getTime()) / 1000);
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, MAX_RETRY_AFTER_SECONDS) : undefined;
}

/** A body as JSON, or undefined when it is not: vendors answer errors in HTML or plain text too. */
export function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
