import { publicUrl } from "@/lib/env";
import { readBodyCapped } from "@/lib/http/read-body";
import { receiveSmssync } from "@/lib/messaging/smssync";
import { MAX_WEBHOOK_BODY_BYTES } from "@/lib/messaging/webhooks";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ token: string }> };

/**
 * SMSsync's Sync URL. It is the smssync account's `sync` webhook URL, so the Webhooks tab shows
 * it like any other, but the generic webhook route cannot serve it: the phone asks for its queue
 * and reports on it at this one URL, and wants answers from the database. This static path
 * takes precedence over /api/webhooks/[kind]/... for the smssync kind's `sync` action only.
 */
async function handle(request: Request, { params }: Params): Promise<Response> {
  const { token } = await params;
  const body = await readBodyCapped(request, MAX_WEBHOOK_BODY_BYTES);
  if (body === null) return new Response("Request body too large.", { status: 413 });
  const url = new URL(request.url);
  try {
    const outcome = await receiveSmssync(token, {
      method: request.method,
      url: `${publicUrl()}${url.pathname}${url.search}`,
      headers: Object.fromEntries([...request.headers].map(([k, v]) => [k.toLowerCase(), v])),
      query: Object.fromEntries(url.searchParams),
      body,
    });
    if (outcome.logged) console.warn(`[smssync] ${outcome.logged}`);
    return new Response(outcome.body, { status: outcome.status, headers: outcome.headers });
  } catch (error) {
    // Nothing was acknowledged: the phone keeps the SMS and tries again.
    console.error("[smssync] sync failed:", error instanceof Error ? error.message : error);
    return new Response("Temporarily unavailable; please retry.", { status: 503, headers: { "retry-after": "5" } });
  }
}

export const GET = handle;
export const POST = handle;
