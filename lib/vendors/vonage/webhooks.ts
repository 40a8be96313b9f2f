import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { errorTableEntry, WebhookParseError } from "../errors";
import { requestParams } from "../request-params";
import type { StatusUpdate, VendorContext, VendorEvent, WebhookHandler, WebhookRequest } from "../types";
import type { VonageConfig } from "./config";
import errorTable from "./errors.json";

/**
 * Vonage SMS API webhooks: inbound messages and delivery receipts, by GET (query) or POST
 * (form or JSON, as set in the Dashboard). With a signature secret, Vonage adds `sig`,
 * `timestamp` and `nonce`. Replays of a signed request are harmless: they share the
 * original's dedupe key. Vonage retries anything not answered 200 or 204 for 24 hours.
 */
const DLR_STATUS: Record<string, StatusUpdate> = {
  delivered: "DELIVERED",
  accepted: "SENT",
  buffered: "SENT",
  submitted: "SENT",
  failed: "FAILED",
  rejected: "FAILED",
  expired: "FAILED",
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ok = () => ({ status: 200, headers: { "content-type": "text/plain; charset=utf-8" }, body: "" });

export const vonageWebhooks: Record<string, WebhookHandler<VonageConfig>> = {
  inbound: {
    methods: ["GET", "POST"],
    verify: verifySignature,
    parse(_ctx, request): VendorEvent[] {
      const p = requestParams(request);
      // Binary messages (ringtones, WAP pushes) carry no text for a person.
      if (p.type === "binary") return [];
      return [
        {
          type: "inbound",
          from: phone(p, "msisdn"),
          to: phone(p, "to"),
          body: p.text ?? "",
          media: [],
          vendorMessageId: required(p, "messageId"),
          receivedAt: readTimestamp(p["message-timestamp"]),
          parts: concatParts(p),
        },
      ];
    },
    respond: ok,
    dedupeKey: (request) => keyOf(request, (p) => (p.messageId ? `inbound:${p.messageId}` : null)),
  },
  status: {
    methods: ["GET", "POST"],
    verify: verifySignature,
    parse(_ctx, request): VendorEvent[] {
      const p = requestParams(request);
      const vendorMessageId = required(p, "messageId");
      const vendorStatus = required(p, "status");
      const status = DLR_STATUS[vendorStatus.toLowerCase()];
      // "unknown" and statuses Vonage adds later say nothing we can act on; the raw request is kept.
      if (!status) return [];
      const code = p["err-code"] && p["err-code"] !== "0" ? `dlr-${p["err-code"]}` : undefined;
      const known = code ? errorTableEntry(errorTable, code) : undefined;
      return [
        {
          type: "status",
          vendorMessageId,
          status,
          vendorStatus,
          errorCode: code,
          errorDescription:
            status === "FAILED"
              ? (known?.description ??
                `Vonage reported the message ${vendorStatus}${p["err-code"] ? ` (err-code ${p["err-code"]})` : ""}.`)
              : undefined,
          occurredAt: readTimestamp(p["message-timestamp"]),
          messageId: p["client-ref"] && UUID.test(p["client-ref"]) ? p["client-ref"] : undefined,
        },
      ];
    },
    respond: ok,
    dedupeKey: (request) =>
      keyOf(request, (p) => (p.messageId && p.status ? `dlr:${p.messageId}:${p.status}:${p["err-code"] ?? ""}` : null)),
  },
};

/**
 * Vonage's signature: the parameters but `sig`, sorted by name, as `&name=value` with `&`
 * and `=` in values replaced by `_`; md5hash is MD5 of that plus the secret, the others an
 * HMAC of it keyed by the secret. Hex; Vonage sends HMACs in upper case, so compare without case.
 */
export function signVonageParams(
  params: Record<string, string>,
  secret: string,
  method: VonageConfig["signatureMethod"],
): string {
  const query = Object.keys(params)
    .filter((name) => name !== "sig")
    .sort()
    .map((name) => `&${name}=${params[name]!.replace(/[&=]/g, "_")}`)
    .join("");
  if (method === "md5hash")
    return createHash("md5")
      .update(query + secret)
      .digest("hex");
  return createHmac(method, secret).update(query).digest("hex").toUpperCase();
}

function verifySignature(ctx: VendorContext<VonageConfig>, request: WebhookRequest): string | null {
  const secret = ctx.config.signatureSecret;
  if (!secret) return null; // unsigned webhooks: the unguessable token in the URL is the check
  let params: Record<string, string>;
  try {
    params = requestParams(request);
  } catch {
    return "the body cannot be read, so its signature cannot be checked";
  }
  if (!params.sig) return "missing sig parameter: this account expects Vonage to sign its webhooks";
  const expected = Buffer.from(signVonageParams(params, secret, ctx.config.signatureMethod).toUpperCase());
  const given = Buffer.from(params.sig.toUpperCase());
  return given.length === expected.length && timingSafeEqual(given, expected)
    ? null
    : `sig does not match the parameters (${ctx.config.signatureMethod})`;
}

function keyOf(request: WebhookRequest, key: (params: Record<string, string>) => string | null): string | null {
  try {
    return key(requestParams(request));
  } catch {
    return null;
  }
}

function required(params: Record<string, string>, name: string): string {
  const value = params[name]?.trim();
  if (!value) throw new WebhookParseError(`${name}: missing`, name);
  if (value.length > 200) throw new WebhookParseError(`${name}: longer than 200 characters`, name);
  return value;
}

/** Vonage writes numbers as digits without the +. */
function phone(params: Record<string, string>, name: string): string {
  const value = required(params, name).replace(/^\+/, "");
  if (!/^[1-9]\d{3,14}$/.test(value)) throw new WebhookParseError(`${name}: not a phone number in international format`, name);
  return `+${value}`;
}

/** A part of a long message; a part whose numbers make no sense is kept as a message of its own. */
function concatParts(params: Record<string, string>): { ref: string; total: number; index: number } | undefined {
  if (params.concat !== "true") return undefined;
  const ref = params["concat-ref"];
  const total = Number(params["concat-total"]);
  const index = Number(params["concat-part"]);
  if (!ref || !Number.isInteger(total) || !Number.isInteger(index) || total < 2 || total > 255 || index < 1 || index > total)
    return undefined;
  return { ref, total, index };
}

/** "2020-01-01 12:00:00", in UTC. */
function readTimestamp(value: string | undefined): Date | undefined {
  if (!value || !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(value)) return undefined;
  const at = new Date(`${value.replace(" ", "T")}Z`);
  return Number.isNaN(at.getTime()) ? undefined : at;
}
