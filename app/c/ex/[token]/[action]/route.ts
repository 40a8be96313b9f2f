import { webhookHandler } from "@/lib/http/webhook-route";

export const dynamic = "force-dynamic";

/**
 * RapidPro's External channel path shape, /c/ex/<token>/<action>, so a gateway written for
 * RapidPro needs only its host changed. Served exactly as /api/webhooks/external/<token>/<action>.
 */
const handle = webhookHandler<{ token: string; action: string }>(() => "external");

export const GET = handle;
export const POST = handle;
// Other methods reach receiveWebhook too, which answers 405 naming the methods the action takes.
export const PUT = handle;
export const PATCH = handle;
export const DELETE = handle;
