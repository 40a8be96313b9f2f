import { publicUrl } from "@/lib/env";
import { readBodyCapped } from "@/lib/http/read-body";
import { MAX_WEBHOOK_BODY_BYTES, receiveWebhook } from "@/lib/messaging/webhooks";

type WebhookParams = { token: string; action: string };

/**
 * The body of every webhook route: read the raw body (capped), hand it to receiveWebhook,
 * answer what it says. `kindOf` says which vendor the path names: the generic route reads it
 * from the path, a vendor's own path shape (RapidPro's /c/ex/…) fixes it.
 */
export function webhookHandler<P extends WebhookParams>(kindOf: (params: P) => string) {
  return async function handle(request: Request, { params }: { params: Promise<P> }): Promise<Response> {
    const resolved = await params;
    const { token, action } = resolved;
    const kind = kindOf(resolved);
    const body = await readBodyCapped(request, MAX_WEBHOOK_BODY_BYTES);
    if (body === null) return new Response("Request body too large.", { status: 413 });
    const url = new URL(request.url);
    try {
      const outcome = await receiveWebhook(kind, token, action, {
        method: request.method,
        // Signatures cover the URL the vendor called: ours as PUBLIC_URL spells it, not the proxy's.
        url: `${publicUrl()}${url.pathname}${url.search}`,
        headers: Object.fromEntries([...request.headers].map(([k, v]) => [k.toLowerCase(), v])),
        query: Object.fromEntries(url.searchParams),
        body,
      });
      if (outcome.logged) console.warn(`[webhook] ${outcome.logged}`);
      return new Response(outcome.body, { status: outcome.status, headers: outcome.headers });
    } catch (error) {
      // Nothing was acknowledged: a 503 makes the vendor retry later.
      console.error(`[webhook] ${kind}/${action} failed:`, error instanceof Error ? error.message : error);
      return new Response("Temporarily unavailable; please retry.", { status: 503, headers: { "retry-after": "5" } });
    }
  };
}
