import { vendorRoute } from "@/lib/http/webhook-route";
import { receiveSmssync } from "@/lib/messaging/smssync";

export const dynamic = "force-dynamic";

/**
 * SMSsync's Sync URL. It is the smssync account's `sync` webhook URL, so the Webhooks tab shows
 * it like any other, but the generic webhook route cannot serve it: the phone asks for its queue
 * and reports on it at this one URL, and wants answers from the database. This static path
 * takes precedence over /api/webhooks/[kind]/... for the smssync kind's `sync` action only.
 * A failure answers 503: nothing was acknowledged, so the phone keeps the SMS and tries again.
 */
const handle = vendorRoute<{ token: string }>(
  "smssync",
  () => "sync",
  ({ token }, request) => receiveSmssync(token, request),
);

export const GET = handle;
export const POST = handle;
