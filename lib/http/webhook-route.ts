import { publicUrl } from "@/lib/env";
import { readBodyCapped, UNREAD_BODY_HEADERS } from "@/lib/http/read-body";
import { MAX_WEBHOOK_BODY_BYTES, receiveWebhook, type WebhookOutcome } from "@/lib/messaging/webhooks";
import type { WebhookRequest } from "@/lib/vendors/types";

type WebhookParams = { token: string; action: string };

/**
 * The body of every route a vendor (or a phone) calls: read the raw body (capped), hand it to
 * `receive`, answer what it says; a failure answers 503, so the caller retries later. Log lines
 * start with `[tag]`; `what` names the request in a failure's.
 */
export function vendorRoute<P>(
  tag: string,
  what: (params: P) => string,
  receive: (params: P, request: WebhookRequest) => Promise<WebhookOutcome>,
) {
  return async function handle(request: Request, { params }: { params: Promise<P> }): Promise<Response> {
    const resolved = await params;
    const body = await readBodyCapped(request, MAX_WEBHOOK_BODY_BYTES);
    if (body === null) return new Response("Request body too large.", { status: 413, headers: UNREAD_BODY_HEADERS });
    const url = new URL(request.url);
    try {
      const outcome = await receive(resolved, {
        method: request.method,
        // Signatures cover the URL the vendor called: ours as PUBLIC_URL spells it, not the proxy's.
        url: `${publicUrl()}${url.pathname}${url.search}`,
        headers: Object.fromEntries([...request.headers].map(([k, v]) => [k.toLowerCase(), v])),
        query: Object.fromEntries(url.searchParams),
        body,
      });
      if (outcome.logged) console.warn(`[${tag}] ${outcome.logged}`);
      return new Response(outcome.body, { status: outcome.status, headers: outcome.headers });
    } catch (error) {
      // Nothing was acknowledged: a 503 makes the vendor retry later.
      console.error(`[${tag}] ${what(resolved)} failed:`, error instanceof Error ? error.message : error);
      return new Response("Temporarily unavailable; please retry.", { status: 503, headers: { "retry-after": "5" } });
    }
  };
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
