import { timingSafeEqual } from "node:crypto";
import type http from "node:http";
import type { Api, RecordedRequest } from "./state";

/** A request as a vendor module sees it: the prefix stripped, the body read, nothing parsed yet. */
export type SimRequest = {
  api: Api;
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: string;
};

export type SimResponse = { status: number; headers?: Record<string, string>; body?: string | Buffer };

const MAX_BODY = 5 * 1024 * 1024;

export async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    // A runaway client should not exhaust a test's memory; vendors cap bodies too.
    if (size > MAX_BODY) throw new Error("request body too large");
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export function flatHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers))
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(", ") : value;
  return out;
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): SimResponse {
  return { status, headers: { "content-type": "application/json; charset=utf-8", ...headers }, body: JSON.stringify(body) };
}

export function text(status: number, body: string, headers: Record<string, string> = {}): SimResponse {
  return { status, headers: { "content-type": "text/plain", ...headers }, body };
}

/** Media the simulator hosts, served as stored. */
export function mediaResponse(media: { contentType: string; data: Buffer }): SimResponse {
  return { status: 200, headers: { "content-type": media.contentType }, body: media.data };
}

export function isJson(request: SimRequest): boolean {
  return (request.headers["content-type"] ?? "").toLowerCase().startsWith("application/json");
}

/** Form parameters, repeated names kept in order (Twilio's MediaUrl repeats). */
export function formParams(body: string): Map<string, string[]> {
  const params = new Map<string, string[]>();
  for (const [name, value] of new URLSearchParams(body)) params.set(name, [...(params.get(name) ?? []), value]);
  return params;
}

/** A form-encoded body's parameters; any other body reads as none, as Twilio reads only forms. */
export function formBody(request: SimRequest): Map<string, string[]> {
  const type = (request.headers["content-type"] ?? "").toLowerCase();
  return formParams(type.startsWith("application/x-www-form-urlencoded") ? request.body : "");
}

export function first(params: Map<string, string[]>, name: string): string | undefined {
  return params.get(name)?.[0];
}

export function queryObject(query: URLSearchParams): Record<string, string> {
  return Object.fromEntries(query.entries());
}

/** HTTP Basic credentials, or null when the header is missing or not Basic. */
export function basicAuth(request: SimRequest): { username: string; password: string } | null {
  const match = /^Basic\s+(.+)$/i.exec(request.headers.authorization ?? "");
  if (!match) return null;
  const decoded = Buffer.from(match[1]!, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return null;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export function basicHeader(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;
}

/** Constant-time string comparison, as a vendor compares secrets. */
export function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Twilio's dates: RFC 2822 with a numeric zone, "Thu, 24 Aug 2023 05:01:45 +0000". */
export function rfc2822(date: Date): string {
  return date.toUTCString().replace("GMT", "+0000");
}

/** Vonage's "YYYY-MM-DD HH:MM:SS" in UTC. */
export function vonageTimestamp(date: Date): string {
  return date.toISOString().slice(0, 19).replace("T", " ");
}

/**
 * Waits `ms`, or until `signal` aborts. Sleeps share the simulator's one signal, and thousands
 * can wait at once (injected vendor latency under a benchmark's load): each signal gets one abort
 * listener that wakes its set of sleepers, as adding a listener per sleep costs time in
 * proportion to the listeners already there.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const sleepers = signal ? sleepersOf(signal) : undefined;
    const wake = () => {
      clearTimeout(timer);
      sleepers?.delete(wake);
      resolve();
    };
    const timer = setTimeout(wake, ms);
    sleepers?.add(wake);
  });
}

const sleepersBySignal = new WeakMap<AbortSignal, Set<() => void>>();

function sleepersOf(signal: AbortSignal): Set<() => void> {
  let sleepers = sleepersBySignal.get(signal);
  if (!sleepers) {
    const set = new Set<() => void>();
    signal.addEventListener("abort", () => [...set].forEach((wake) => wake()), { once: true });
    sleepersBySignal.set(signal, set);
    sleepers = set;
  }
  return sleepers;
}

export function toRecorded(seq: number, vendor: RecordedRequest["vendor"], request: SimRequest): RecordedRequest {
  return {
    seq,
    at: new Date().toISOString(),
    vendor,
    api: request.api,
    method: request.method,
    path: request.path,
    query: queryObject(request.query),
    headers: request.headers,
    body: request.body,
  };
}
