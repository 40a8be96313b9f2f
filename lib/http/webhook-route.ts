import type { IncomingMessage } from "node:http";
import { publicUrl } from "@/lib/env";
import { readBodyCapped, readNodeBodyCapped, UNREAD_BODY_HEADERS } from "@/lib/http/read-body";
import { MAX_WEBHOOK_BODY_BYTES, receiveWebhook, type WebhookOutcome } from "@/lib/messaging/webhooks";
import type { WebhookRequest } from "@/lib/vendors/types";

type WebhookParams = { token: string; action: string };

/**
 * A vendor's request however it arrived: from Next.js as a web Request, or from the web process's
 * lane (scripts/machine-lane.ts) straight off Node's socket, where building a web Request and
 * Response for it was about a tenth of a webhook's CPU in the web process.
 */
export type VendorCall = {
  method: string;
  /** The path and query as the caller sent them (the origin is ours, PUBLIC_URL). */
  path: string;
  /** Header names in lower case, repeated headers joined by ", " as the Fetch API's Headers join them. */
  headers: Record<string, string>;
  /** The body as text, or null when it is longer than `maxBytes` (then the rest is left unread). */
  readBody: (maxBytes: number) => Promise<string | null>;
};

export type VendorAnswer = { status: number; headers: Record<string, string>; body: string };

type Handle<P> = (request: Request, context: { params: Promise<P> }) => Promise<Response>;
type Answer = (params: Record<string, string>, call: VendorCall) => Promise<VendorAnswer>;

/** The answering function behind each route handler vendorRoute made, for the lane. */
const answers = new WeakMap<object, Answer>();

/**
 * The body of every route a vendor (or a phone) calls: read the raw body (capped), hand it to
 * `receive`, answer what it says; a failure answers 503, so the caller retries later. Log lines
 * start with `[tag]`; `what` names the request in a failure's. Returns the Next.js route handler;
 * the lane answers the same requests through `vendorAnswerOf(handler)` without the web Request.
 */
export function vendorRoute<P>(
  tag: string,
  what: (params: P) => string,
  receive: (params: P, request: WebhookRequest) => Promise<WebhookOutcome>,
): Handle<P> {
  const answer = async (params: P, call: VendorCall): Promise<VendorAnswer> => {
    const body = await call.readBody(MAX_WEBHOOK_BODY_BYTES);
    if (body === null) return { status: 413, headers: answerHeaders(UNREAD_BODY_HEADERS), body: "Request body too large." };
    const url = new URL(call.path, "http://localhost");
    try {
      const outcome = await receive(params, {
        method: call.method,
        // Signatures cover the URL the vendor called: ours as PUBLIC_URL spells it, not the proxy's.
        url: `${publicUrl()}${url.pathname}${url.search}`,
        headers: call.headers,
        query: Object.fromEntries(url.searchParams),
        body,
      });
      if (outcome.logged) console.warn(`[${tag}] ${outcome.logged}`);
      return { status: outcome.status, headers: answerHeaders(outcome.headers), body: outcome.body };
    } catch (error) {
      // Nothing was acknowledged: a 503 makes the vendor retry later.
      console.error(`[${tag}] ${what(params)} failed:`, error instanceof Error ? error.message : error);
      return { status: 503, headers: answerHeaders({ "retry-after": "5" }), body: "Temporarily unavailable; please retry." };
    }
  };
  const handle: Handle<P> = async (request, { params }) => {
    const url = new URL(request.url);
    const answered = await answer(await params, {
      method: request.method,
      path: `${url.pathname}${url.search}`,
      headers: Object.fromEntries([...request.headers].map(([k, v]) => [k.toLowerCase(), v])),
      readBody: (maxBytes) => readBodyCapped(request, maxBytes),
    });
    return new Response(answered.body, { status: answered.status, headers: answered.headers });
  };
  answers.set(handle, answer as unknown as Answer);
  return handle;
}

/**
 * An answer's headers as `new Response(string, { headers })` would send them: names in lower case,
 * the same name given twice joined, and a string body's type when the answer names none.
 */
function answerHeaders(headers: Record<string, string> = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const key = name.toLowerCase();
    out[key] = key in out ? `${out[key]}, ${value}` : value;
  }
  out["content-type"] ??= "text/plain;charset=UTF-8";
  return out;
}

/**
 * A request straight off Node's socket as a VendorCall: Node's headers (already in lower case, repeats
 * joined) as a web Request would hold them, the body read as it comes.
 */
export function nodeVendorCall(req: IncomingMessage): VendorCall {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return {
    method: req.method ?? "GET",
    path: req.url ?? "/",
    headers,
    readBody: (maxBytes) => readNodeBodyCapped(req, maxBytes),
  };
}

/** For the lane: the vendorRoute behind a route handler, answering from a VendorCall; undefined for any other handler. */
export function vendorAnswerOf(handler: unknown): Answer | undefined {
  return typeof handler === "function" ? answers.get(handler) : undefined;
}

/**
 * Every vendor's webhooks through receiveWebhook. `kindOf` says which vendor the path names:
 * the generic route reads it from the path, a vendor's own path shape (RapidPro's /c/ex/…) fixes it.
 */
export function webhookHandler<P extends WebhookParams>(kindOf: (params: P) => string) {
  return vendorRoute<P>(
    "webhook",
    (params) => `${kindOf(params)}/${params.action}`,
    (params, request) => receiveWebhook(kindOf(params), params.token, params.action, request),
  );
}
