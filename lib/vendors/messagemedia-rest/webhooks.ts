import type { z } from "zod";
import { WebhookParseError } from "../errors";
import type { VendorEvent, WebhookHandler, WebhookRequest } from "../types";
import type { MessageMediaRestConfig } from "./config";
import { deliveryReport, reply, replyEvents, reportEvents, type DeliveryReport, type Reply } from "./events";
import { checkSignature } from "./signature";

/**
 * MessageMedia POSTs each delivery report and each reply to the message's callback_url, as
 * one JSON object, and retries with backoff until it gets a 2xx. A report has
 * delivery_report_id, a reply reply_id; each retry carries the same id, hence the dedupe key.
 * With a public key set, the signature is checked; without, the unguessable token in the URL
 * is what authenticates (MessageMedia sends no other credential).
 */
export const messageMediaRestWebhooks: Record<string, WebhookHandler<MessageMediaRestConfig>> = {
  callback: {
    methods: ["POST"],
    verify: (ctx, request) => (ctx.config.publicKey ? checkSignature(ctx.config.publicKey, request) : null),
    parse(_ctx, request): VendorEvent[] {
      const callback = readCallback(request);
      return callback.kind === "report" ? reportEvents(callback.report) : replyEvents(callback.reply);
    },
    respond: () => ({ status: 200, headers: { "content-type": "text/plain; charset=utf-8" }, body: "" }),
    dedupeKey(request) {
      try {
        const callback = readCallback(request);
        return callback.kind === "report" ? `report:${callback.report.delivery_report_id}` : `reply:${callback.reply.reply_id}`;
      } catch {
        return null;
      }
    },
  },
};

type Callback = { kind: "report"; report: DeliveryReport } | { kind: "reply"; reply: Reply };

function readCallback(request: WebhookRequest): Callback {
  let json: unknown;
  try {
    json = JSON.parse(request.body);
  } catch {
    throw new WebhookParseError("body is not JSON");
  }
  if (!json || typeof json !== "object" || Array.isArray(json)) throw new WebhookParseError("body: expected a JSON object");
  if ("delivery_report_id" in json) return { kind: "report", report: parseWith(deliveryReport, json) };
  if ("reply_id" in json) return { kind: "reply", reply: parseWith(reply, json) };
  throw new WebhookParseError(
    "delivery_report_id: missing (nor is there a reply_id): neither a delivery report nor a reply",
    "delivery_report_id",
  );
}

/** Parses with a schema, or throws naming the first field at fault. */
export function parseWith<T>(schema: z.ZodType<T>, json: unknown): T {
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.join(".") || "body";
  throw new WebhookParseError(`${field}: ${issue.message}`, field);
}
