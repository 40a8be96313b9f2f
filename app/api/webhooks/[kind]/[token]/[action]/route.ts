import { webhookHandler } from "@/lib/http/webhook-route";

export const dynamic = "force-dynamic";

/** Thin: every vendor's webhooks, by the kind in the path. */
const handle = webhookHandler<{ kind: string; token: string; action: string }>((params) => params.kind);

export const GET = handle;
export const POST = handle;
// Other methods reach receiveWebhook too, which answers 405 naming the methods the action takes.
export const PUT = handle;
export const PATCH = handle;
export const DELETE = handle;
