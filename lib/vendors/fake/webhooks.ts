import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { WebhookParseError } from "../errors";
import type { VendorContext, VendorEvent, WebhookHandler, WebhookRequest } from "../types";
import type { FakeConfig } from "./config";

export const SIGNATURE_HEADER = "x-fake-signature";

/** HMAC-SHA256 of the raw body, hex: how the fake vendor signs what it sends us. */
export function signFakeBody(ctx: VendorContext<FakeConfig>, body: string): string {
  return createHmac("sha256", ctx.config.webhookSecret ?? ctx.account.webhookToken).update(body).digest("hex");
}

const statusBody = z.object({
  vendorMessageId: z.string().min(1).max(100),
  status: z.enum(["sent", "delivered", "failed"]),
  errorCode: z.string().max(50).optional(),
  errorDescription: z.string().max(500).optional(),
  at: z.iso.datetime().optional(),
});

const inboundBody = z.object({
  id: z.string().min(1).max(100),
  from: z.string().regex(/^\+[1-9]\d{6,14}$/, "from must be E.164"),
  to: z.string().regex(/^\+[1-9]\d{6,14}$/, "to must be E.164"),
  body: z.string().max(10_000),
  media: z.array(z.url()).max(10).default([]),
  at: z.iso.datetime().optional(),
});

export const fakeWebhooks: Record<string, WebhookHandler<FakeConfig>> = {
  status: {
    methods: ["POST"],
    verify: verifySignature,
    parse(_ctx, request) {
      const data = parseJson(statusBody, request);
      const status = ({ sent: "SENT", delivered: "DELIVERED", failed: "FAILED" } as const)[data.status];
      return [
        {
          type: "status",
          vendorMessageId: data.vendorMessageId,
          status,
          vendorStatus: data.status,
          errorCode: data.errorCode,
          errorDescription: data.errorDescription,
          occurredAt: data.at ? new Date(data.at) : undefined,
        },
      ];
    },
    respond: () => ({ status: 200, headers: { "content-type": "application/json" }, body: '{"ok":true}' }),
    dedupeKey: (request) => `status:${request.body}`,
  },
  inbound: {
    methods: ["POST"],
    verify: verifySignature,
    parse(_ctx, request): VendorEvent[] {
      const data = parseJson(inboundBody, request);
      return [{ type: "inbound", from: data.from, to: data.to, body: data.body, media: data.media, vendorMessageId: data.id, receivedAt: data.at ? new Date(data.at) : undefined }];
    },
    respond: () => ({ status: 200, headers: { "content-type": "application/json" }, body: '{"ok":true}' }),
    dedupeKey: (request) => {
      const id = safeJson(request.body)?.id;
      return typeof id === "string" ? `inbound:${id}` : null;
    },
  },
};

function verifySignature(ctx: VendorContext<FakeConfig>, request: WebhookRequest): string | null {
  const given = request.headers[SIGNATURE_HEADER];
  if (!given) return `missing ${SIGNATURE_HEADER} header`;
  const expected = signFakeBody(ctx, request.body);
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b) ? null : `${SIGNATURE_HEADER} does not match the body`;
}

function parseJson<S extends z.ZodType>(schema: S, request: WebhookRequest): z.infer<S> {
  const json = safeJson(request.body);
  if (json === undefined) throw new WebhookParseError("body is not JSON");
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new WebhookParseError(`${issue.path.join(".") || "body"}: ${issue.message}`, issue.path.join(".") || undefined);
  }
  return parsed.data;
}

function safeJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === "object" ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
