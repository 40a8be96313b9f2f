import { httpFailure } from "./errors";
import { sendHttp, type TransportResponse } from "./transport";

/**
 * The one way adapters make HTTP requests. Every request and response is handed to
 * `record` (the account's Logs tab) with secrets redacted: known secret values wherever
 * they appear (raw, URL-encoded or base64), and Authorization-like headers whole.
 */
export type VendorHttpRequest = {
  method: "GET" | "POST" | "PUT" | "DELETE" | "PATCH";
  url: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs?: number;
  /** Bodies are logged as [redacted]: OAuth2 token exchanges carry fresh tokens no redactor knows yet. */
  sensitive?: boolean;
};

export type VendorHttpResponse = { status: number; headers: Headers; body: string };

export type VendorRequestRecord = {
  method: string;
  url: string;
  requestHeaders: Record<string, string>;
  requestBody: string | null;
  status: number | null;
  responseBody: string | null;
  durationMs: number;
  error: string | null;
};

export type VendorHttp = { request: (init: VendorHttpRequest) => Promise<VendorHttpResponse> };

const SENSITIVE_HEADERS = /^(authorization|proxy-authorization|x-api-key|api-key|x-auth-token|cookie)$/i;
const MAX_LOGGED_BODY = 8_192;
const DEFAULT_TIMEOUT_MS = 15_000;

export function createVendorHttp(options: {
  secrets: string[];
  record?: (entry: VendorRequestRecord) => Promise<void> | void;
}): VendorHttp {
  const redact = redactor(options.secrets);
  return {
    async request(init) {
      const started = Date.now();
      const headers = init.headers ?? {};
      let response: TransportResponse | undefined;
      let error: string | null = null;
      try {
        response = await sendHttp({ method: init.method, url: init.url, headers, body: init.body, timeoutMs: init.timeoutMs ?? DEFAULT_TIMEOUT_MS });
      } catch (cause) {
        error = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
      }
      await safely(options.record, {
        method: init.method,
        url: redact(init.url),
        requestHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, SENSITIVE_HEADERS.test(k) ? "[redacted]" : redact(v)])),
        requestBody: init.body === undefined ? null : init.sensitive ? "[redacted]" : truncate(redact(init.body)),
        status: response?.status ?? null,
        responseBody: !response ? null : init.sensitive ? "[redacted]" : truncate(redact(response.body)),
        durationMs: Date.now() - started,
        error: error && redact(error),
      });
      if (!response) throw httpFailure(null, `Could not reach the vendor: ${redact(error ?? "unknown error")}`);
      return response;
    },
  };
}

/** An HTTP Basic Authorization header: `Basic base64(username:password)`. */
export function basicAuthHeader(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;
}

/** Replaces every known secret, in the forms it travels in, with [redacted]. */
export function redactor(secrets: string[]): (text: string) => string {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (!secret || secret.length < 4) continue;
    forms.add(secret);
    forms.add(encodeURIComponent(secret));
    forms.add(Buffer.from(secret).toString("base64"));
    forms.add(Buffer.from(secret).toString("base64").replace(/=+$/, ""));
  }
  const ordered = [...forms].sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text;
    for (const form of ordered) out = out.split(form).join("[redacted]");
    return out;
  };
}

function truncate(text: string): string {
  return text.length > MAX_LOGGED_BODY ? `${text.slice(0, MAX_LOGGED_BODY)}… (${text.length} characters)` : text;
}

async function safely(record: ((entry: VendorRequestRecord) => Promise<void> | void) | undefined, entry: VendorRequestRecord) {
  if (!record) return;
  try {
    await record(entry);
  } catch (error) {
    // A log that cannot be written must not fail a send; say so without the entry's content.
    console.error("[vendor-http] could not record a request log:", error instanceof Error ? error.message : error);
  }
}
