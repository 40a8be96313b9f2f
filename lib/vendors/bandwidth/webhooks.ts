import { createHash, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { errorTableEntry, WebhookParseError } from "../errors";
import type { VendorContext, VendorEvent, WebhookHandler, WebhookRequest } from "../types";
import type { BandwidthConfig } from "./config";
import errorTable from "./errors.json";

/**
 * Bandwidth posts every callback of an application to one URL, as a JSON array of events,
 * authenticated with the HTTP Basic credentials set on the application. Unknown event types
 * (message-read, new ones) and unknown fields are accepted and ignored.
 */
const event = z.object({
  type: z.string().min(1).max(100),
  time: z.string().max(100).optional(),
  description: z.string().max(2000).optional(),
  to: z.string().max(100).optional(),
  errorCode: z.union([z.number().int(), z.string().regex(/^\d+$/)]).optional(),
  message: z.object({
    id: z.string().min(1).max(200),
    owner: z.string().max(100).optional(),
    from: z.string().max(100).optional(),
    to: z.array(z.string().max(100)).optional(),
    text: z.string().max(20_000).optional(),
    media: z.array(z.string().max(2000)).optional(),
    tag: z.string().max(1024).optional(),
  }),
});
type CallbackEvent = z.infer<typeof event>;

const STATUS = { "message-sending": "SENT", "message-delivered": "DELIVERED", "message-failed": "FAILED" } as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const bandwidthWebhooks: Record<string, WebhookHandler<BandwidthConfig>> = {
  callbacks: {
    methods: ["POST"],
    verify: verifyBasicAuth,
    parse(_ctx, request) {
      return readEvents(request.body).flatMap((e) => toVendorEvents(e));
    },
    respond: () => ({ status: 200, headers: { "content-type": "text/plain; charset=utf-8" }, body: "" }),
    // Bandwidth retries a callback it did not see answered: the same events, so the same key.
    dedupeKey(request) {
      let events: CallbackEvent[];
      try {
        events = readEvents(request.body);
      } catch {
        return null;
      }
      const key = events.map((e) => `${e.type}:${e.message.id}:${e.to ?? ""}`).join(",");
      return key.length <= 300 ? `callbacks:${key}` : `callbacks:sha256:${createHash("sha256").update(key).digest("hex")}`;
    },
  },
};

function verifyBasicAuth(ctx: VendorContext<BandwidthConfig>, request: WebhookRequest): string | null {
  const { callbackUsername, callbackPassword } = ctx.config;
  // Without credentials set, anyone who learns the URL could forge reports: refuse until they are.
  if (!callbackUsername || !callbackPassword)
    return "no callback username and password are set on this account; set them here and on the Bandwidth application";
  const given = request.headers.authorization;
  if (!given) return "missing Authorization header (Bandwidth sends the callback credentials set on the application)";
  const credentials = /^basic\s+(\S+)\s*$/i.exec(given)?.[1];
  if (!credentials) return "the Authorization header is not HTTP Basic";
  const decoded = Buffer.from(credentials, "base64").toString("utf8");
  return sameSecret(decoded, `${callbackUsername}:${callbackPassword}`)
    ? null
    : "the Authorization header does not match the callback username and password";
}

function readEvents(body: string): CallbackEvent[] {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new WebhookParseError("body is not JSON");
  }
  // Bandwidth always sends an array; a lone event is read as one, rather than refused.
  const list = Array.isArray(json) ? json : [json];
  if (list.length === 0) throw new WebhookParseError("body: the array of events is empty");
  return list.map((item, i) => {
    const parsed = event.safeParse(item);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0]!;
    const field = [i, ...issue.path].join(".");
    throw new WebhookParseError(`${field}: ${issue.message}`, field);
  });
}

function toVendorEvents(e: CallbackEvent): VendorEvent[] {
  const at = readTime(e.time);
  if (e.type === "message-received") {
    const to = e.to ?? e.message.owner;
    if (!e.message.from) throw new WebhookParseError("message.from: missing on a message-received event", "message.from");
    if (!to) throw new WebhookParseError("to: missing on a message-received event", "to");
    return [
      {
        type: "inbound",
        from: e.message.from,
        to,
        body: e.message.text ?? "",
        // Bandwidth lists an MMS's SMIL layout among its media; it is not something a person sent.
        media: (e.message.media ?? []).filter((url) => !/\.smil$/i.test(url)),
        vendorMessageId: e.message.id,
        receivedAt: at,
      },
    ];
  }
  if (!(e.type in STATUS)) return [];
  const status = STATUS[e.type as keyof typeof STATUS];
  const errorCode = status === "FAILED" && e.errorCode !== undefined ? String(e.errorCode) : undefined;
  const known = errorCode ? errorTableEntry(errorTable, errorCode) : undefined;
  return [
    {
      type: "status",
      vendorMessageId: e.message.id,
      status,
      vendorStatus: e.type,
      errorCode,
      // Bandwidth's own description is "purely informative" and terse; its table says more.
      errorDescription: status === "FAILED" ? (known?.description ?? e.description) : undefined,
      occurredAt: at,
      messageId: e.message.tag && UUID.test(e.message.tag) ? e.message.tag : undefined,
    },
  ];
}

/** An unreadable time is left out rather than refusing the whole batch over it. */
function readTime(time: string | undefined): Date | undefined {
  const at = time ? new Date(time) : undefined;
  return at && !Number.isNaN(at.getTime()) ? at : undefined;
}

/** Constant time whatever the lengths: both sides are hashed first. */
function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(createHash("sha256").update(a).digest(), createHash("sha256").update(b).digest());
}
