import { timingSafeEqual } from "node:crypto";
import { WebhookParseError } from "../errors";
import { requestParams } from "../request-params";
import type { StatusUpdate, VendorContext, VendorEvent, WebhookHandler, WebhookRequest } from "../types";
import { webhookPhone } from "../webhook-phone";
import type { ExternalConfig } from "./config";

/**
 * What the gateway calls, as RapidPro's External channel takes it: `receive` with `from`,
 * `text` and an optional ISO 8601 `date`, and `sent`, `delivered`, `failed` with the `id` we
 * sent. Each by GET or POST, as query parameters, a form or JSON. Courier's other names are
 * taken too (`sender` for from, `time` for date, `uuid` for id), so a gateway written for
 * RapidPro needs only its host changed. Courier's `stopped` (contact opted out) has no event
 * of ours, so it is not offered.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Courier parses with Go's RFC 3339: a date, a time and a zone, seconds and fractions optional here. */
const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt ]([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?([Zz]|[+-]\d{2}:?\d{2})$/;

const accepted = (message: string) => () => ({
  status: 200,
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ message }),
});

export const externalWebhooks: Record<string, WebhookHandler<ExternalConfig>> = {
  receive: {
    methods: ["GET", "POST"],
    verify: verifySecret,
    parse(ctx, request): VendorEvent[] {
      const p = readParams(request);
      const from = phone(ctx, p, p.from === undefined && p.sender !== undefined ? "sender" : "from", "the sender's phone number");
      // External calls do not name our number; a gateway that does is believed.
      const to = p.to?.trim() ? phone(ctx, p, "to", "our number") : ctx.config.number;
      const dateField = p.date !== undefined ? "date" : "time";
      return [{ type: "inbound", from, to, body: p.text ?? "", media: [], receivedAt: readDate(p[dateField], dateField) }];
    },
    respond: accepted("Message Accepted"),
    // Nothing in a receive identifies it: two alike texts may both be genuine, so none is dropped.
    dedupeKey: () => null,
  },
  sent: statusHandler("sent", "SENT"),
  delivered: statusHandler("delivered", "DELIVERED"),
  failed: statusHandler("failed", "FAILED"),
};

function statusHandler(action: string, status: StatusUpdate): WebhookHandler<ExternalConfig> {
  return {
    methods: ["GET", "POST"],
    verify: verifySecret,
    parse(_ctx, request): VendorEvent[] {
      const id = messageIdOf(readParams(request));
      return [
        {
          type: "status",
          vendorMessageId: id,
          status,
          vendorStatus: action,
          errorDescription: status === "FAILED" ? "The gateway reported that the message failed." : undefined,
          // The id we sent is ours; a gateway that answers with its own id sends that back instead.
          messageId: UUID.test(id) ? id.toLowerCase() : undefined,
        },
      ];
    },
    respond: accepted("Status Update Accepted"),
    dedupeKey: (request) => {
      try {
        return `${action}:${messageIdOf(readParams(request))}`;
      } catch {
        return null;
      }
    },
  };
}

function verifySecret(ctx: VendorContext<ExternalConfig>, request: WebhookRequest): string | null {
  const secret = ctx.config.secret;
  if (!secret) return null; // the unguessable token in the URL is the check
  let given = request.headers["x-secret"];
  if (given === undefined) {
    try {
      given = readParams(request).secret;
    } catch {
      return "the body cannot be read, so the secret cannot be checked";
    }
  }
  if (!given) return "missing secret: this account expects an X-Secret header or a secret parameter";
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b) ? null : "the secret does not match this account's";
}

/** The query, plus a POST's form or JSON body: gateways send whichever they were written for. */
function readParams(request: WebhookRequest): Record<string, string> {
  if (request.method === "POST" && (request.headers["content-type"] ?? "").includes("multipart/"))
    throw new WebhookParseError(
      "body: multipart/form-data is not taken; send a form (application/x-www-form-urlencoded) or JSON",
    );
  return requestParams(request);
}

function messageIdOf(params: Record<string, string>): string {
  const id = (params.id ?? params.uuid)?.trim();
  if (!id) throw new WebhookParseError("id: missing (the id of the message, as we sent it)", "id");
  if (id.length > 200) throw new WebhookParseError("id: longer than 200 characters", "id");
  return id;
}

function phone(ctx: VendorContext<ExternalConfig>, params: Record<string, string>, name: string, what: string): string {
  return webhookPhone(params[name], name, what, ctx.defaultCountry);
}

function readDate(value: string | undefined, name: string): Date | undefined {
  if (value === undefined || !value.trim()) return undefined;
  const text = value.trim();
  const parts = ISO_DATE_TIME.exec(text);
  const date = new Date(text);
  // Date itself rolls 30 February over into March: the day must exist in its month.
  const [year, month, day] = (parts ?? []).slice(1, 4).map(Number) as [number, number, number];
  const calendar = parts ? new Date(Date.UTC(year, month - 1, day)) : null;
  if (!calendar || calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day || Number.isNaN(date.getTime()))
    throw new WebhookParseError(`${name}: not an ISO 8601 date and time, like 2012-04-23T18:25:43.511Z`, name);
  return date;
}
