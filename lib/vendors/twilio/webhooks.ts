import { WebhookParseError } from "../errors";
import type { StatusUpdate, VendorContext, VendorEvent, WebhookHandler, WebhookRequest, WebhookResponse } from "../types";
import type { TwilioConfig } from "./config";
import { formParams, validTwilioSignature } from "./signature";

export const SIGNATURE_HEADER = "x-twilio-signature";

/** Twilio reads our answer to an incoming message as TwiML: an empty Response sends no reply. */
export const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

const E164 = /^\+[1-9]\d{6,14}$/;
const MAX_MEDIA = 10; // Twilio's limit for one MMS

/**
 * Twilio's MessageStatus in our forward-only terms. Everything up to "sent" means Twilio has
 * the message, which is what SENT means here; "read" is past delivery (WhatsApp, RCS).
 * Statuses not listed (receiving, received, partially_delivered, any new one) are kept as
 * raw requests but change nothing.
 */
const STATUSES: Record<string, StatusUpdate> = {
  accepted: "SENT",
  scheduled: "SENT",
  queued: "SENT",
  sending: "SENT",
  sent: "SENT",
  delivered: "DELIVERED",
  read: "DELIVERED",
  undelivered: "FAILED",
  failed: "FAILED",
  canceled: "FAILED",
};

const twiml = (): WebhookResponse => ({ status: 200, headers: { "content-type": "text/xml" }, body: EMPTY_TWIML });

export const twilioWebhooks: Record<string, WebhookHandler<TwilioConfig>> = {
  inbound: {
    // A number's "A message comes in" webhook can be set to GET or POST in Twilio's console.
    methods: ["POST", "GET"],
    verify: verifySignature,
    parse(_ctx, request): VendorEvent[] {
      const fields = fieldsOf(request);
      return [
        {
          type: "inbound",
          from: phone(fields, "From"),
          to: phone(fields, "To"),
          body: fields.Body?.[0] ?? "",
          media: mediaOf(fields),
          vendorMessageId: messageSid(fields),
          receivedAt: undefined,
        },
      ];
    },
    respond: twiml,
    dedupeKey: (request) => {
      const sid = first(fieldsOf(request), "MessageSid", "SmsSid");
      return sid ? `inbound:${sid}` : null;
    },
  },
  status: {
    methods: ["POST", "GET"],
    verify: verifySignature,
    parse(_ctx, request): VendorEvent[] {
      const fields = fieldsOf(request);
      const vendorMessageId = messageSid(fields);
      const vendorStatus = first(fields, "MessageStatus", "SmsStatus")?.toLowerCase();
      if (!vendorStatus) throw new WebhookParseError("MessageStatus is missing", "MessageStatus");
      const status = STATUSES[vendorStatus];
      if (!status) return [];
      const errorCode = first(fields, "ErrorCode");
      // No errorDescription: the pipeline reads it from our table (errorDescription), link and all.
      return [{ type: "status", vendorMessageId, status, vendorStatus, errorCode, errorDescription: undefined, occurredAt: undefined }];
    },
    respond: twiml,
    // Twilio retries and repeats callbacks; one per message and status is enough.
    dedupeKey: (request) => {
      const fields = fieldsOf(request);
      const sid = first(fields, "MessageSid", "SmsSid");
      const status = first(fields, "MessageStatus", "SmsStatus")?.toLowerCase();
      return sid && status ? `status:${sid}:${status}` : null;
    },
  },
};

/**
 * Twilio signs the URL it called (ours as PUBLIC_URL spells it, with any query) plus the
 * form parameters of a POST; a GET carries its parameters in that URL.
 */
function verifySignature(ctx: VendorContext<TwilioConfig>, request: WebhookRequest): string | null {
  const signature = request.headers[SIGNATURE_HEADER];
  if (!signature) return "missing X-Twilio-Signature header";
  const params = request.method === "GET" ? {} : formParams(request.body);
  if (validTwilioSignature(ctx.config.authToken, signature, request.url, params)) return null;
  return "X-Twilio-Signature does not match this URL and these parameters (signed with another Auth Token, or Twilio called a URL other than PUBLIC_URL)";
}

type Fields = Record<string, string[]>;

function fieldsOf(request: WebhookRequest): Fields {
  if (request.method !== "GET") return formParams(request.body);
  return Object.fromEntries(Object.entries(request.query).map(([name, value]) => [name, [value]]));
}

function first(fields: Fields, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = fields[name]?.[0]?.trim();
    if (value) return value;
  }
  return undefined;
}

function messageSid(fields: Fields): string {
  const sid = first(fields, "MessageSid", "SmsSid");
  if (!sid) throw new WebhookParseError("MessageSid is missing", "MessageSid");
  if (sid.length > 64 || !/^[A-Za-z0-9]+$/.test(sid)) throw new WebhookParseError("MessageSid is not a Twilio SID", "MessageSid");
  return sid;
}

function phone(fields: Fields, name: "From" | "To"): string {
  const value = first(fields, name);
  if (!value) throw new WebhookParseError(`${name} is missing`, name);
  if (!E164.test(value)) throw new WebhookParseError(`${name} must be a phone number in E.164 format`, name);
  return value;
}

/** MediaUrl0 … MediaUrl{NumMedia-1}; without NumMedia, as many as are present. */
function mediaOf(fields: Fields): string[] {
  const declared = first(fields, "NumMedia");
  if (declared !== undefined && !(/^\d{1,2}$/.test(declared) && Number(declared) <= MAX_MEDIA)) {
    throw new WebhookParseError(`NumMedia must be a whole number from 0 to ${MAX_MEDIA}`, "NumMedia");
  }
  const media: string[] = [];
  const count = declared === undefined ? MAX_MEDIA : Number(declared);
  for (let i = 0; i < count; i++) {
    const url = first(fields, `MediaUrl${i}`);
    if (!url) {
      if (declared === undefined) break;
      throw new WebhookParseError(`MediaUrl${i} is missing (NumMedia is ${declared})`, `MediaUrl${i}`);
    }
    if (!/^https?:\/\/\S+$/.test(url)) throw new WebhookParseError(`MediaUrl${i} is not an http(s) URL`, `MediaUrl${i}`);
    media.push(url);
  }
  return media;
}
