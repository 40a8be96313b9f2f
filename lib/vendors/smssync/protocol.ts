import { createHash, timingSafeEqual } from "node:crypto";
import { toE164 } from "@/lib/phone";
import { WebhookParseError } from "../errors";
import type { VendorEvent, WebhookRequest, WebhookResponse } from "../types";
import { safeJson } from "../vendor-response";

/**
 * The SMSsync app's side of the conversation, as pure functions: what its requests mean and
 * the exact JSON it expects back. The spec is Ushahidi's developer page (its sample PHP server
 * is the reference for field names, reasons and answers). Every answer is HTTP 200 with a JSON
 * payload, failures included: the app reads `success` and shows `error` to the person holding
 * the phone, so a refusal says why in the seed's own words.
 */

export const SECRET_MISMATCH = "The secret value sent from the device does not match the one on the server";

/** What an incoming SMS must carry, checked in this order; the seed's server accepts nothing without all four. */
export const REQUIRED_INCOMING_FIELDS = ["from", "message", "sent_timestamp", "message_id"] as const;

export function missingFieldReason(field: string): string {
  return `The ${field} variable was not set`;
}

/** One text handed to the phone to send, in SMSsync's own names; `uuid` is our message id. */
export type DeviceMessage = { to: string; message: string; uuid: string };

type StatusEvent = Extract<VendorEvent, { type: "status" }>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_ID_LENGTH = 200;

/** The `?task=` of a request, lower-cased; null for the plain POST of an incoming SMS. */
export function taskOf(request: Pick<WebhookRequest, "query">): string | null {
  return request.query.task?.trim().toLowerCase() || null;
}

/**
 * A request's fields: the app posts form-encoded (the seed's curl uses multipart, which the route
 * turns into this form first); JSON objects are read too. The first value of a repeated field wins.
 */
export function fieldsOf(request: Pick<WebhookRequest, "headers" | "body">): Record<string, string> {
  const type = request.headers["content-type"] ?? "";
  if (/json/i.test(type) || request.body.trimStart().startsWith("{")) {
    const data = safeJson(request.body);
    if (!isObject(data)) return {};
    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries(data)) {
      if (typeof value === "string" || typeof value === "number") out[key] = String(value);
    }
    return out;
  }
  const out: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(request.body)) out[key] ??= value;
  return out;
}

/**
 * null when the request carries the account's secret, in the query (task requests, as the seed's
 * server reads `$_GET['secret']`) or among the fields (an incoming SMS); otherwise the seed's reason.
 */
export function verifySecret(expected: string, request: Pick<WebhookRequest, "query" | "headers" | "body">): string | null {
  const given = request.query.secret ?? fieldsOf(request).secret;
  if (given === undefined || !sameSecret(expected, given)) return SECRET_MISMATCH;
  return null;
}

/** An incoming SMS as our inbound event; throws WebhookParseError with the seed's reason for a missing field. */
export function parseIncoming(
  request: Pick<WebhookRequest, "headers" | "body">,
  account: { number: string; defaultCountry: string },
): Extract<VendorEvent, { type: "inbound" }> {
  const fields = fieldsOf(request);
  for (const name of REQUIRED_INCOMING_FIELDS) {
    if (!fields[name]?.trim()) throw new WebhookParseError(missingFieldReason(name), name);
  }
  const from = toE164(fields.from!, account.defaultCountry);
  if (!from.ok) throw new WebhookParseError(`The from variable is not a phone number (${from.reason})`, "from");
  const messageId = fields.message_id!.trim();
  if (messageId.length > MAX_ID_LENGTH)
    throw new WebhookParseError(`The message_id variable is longer than ${MAX_ID_LENGTH} characters`, "message_id");
  // sent_to is what the SIM says its number is; phones often leave it blank or say "unknown".
  const sentTo = fields.sent_to?.trim() ? toE164(fields.sent_to, account.defaultCountry) : null;
  return {
    type: "inbound",
    from: from.e164,
    to: sentTo?.ok ? sentTo.e164 : account.number,
    body: fields.message!,
    media: [],
    vendorMessageId: messageId,
    receivedAt: parseTimestamp(fields.sent_timestamp!),
  };
}

/** The phone retries an SMS it could not sync with the same message_id: one stored request per id. */
export function incomingDedupeKey(request: Pick<WebhookRequest, "query" | "headers" | "body">): string | null {
  if (taskOf(request) !== null) return null;
  const id = fieldsOf(request).message_id?.trim();
  return id ? `message:${id.slice(0, MAX_ID_LENGTH)}` : null;
}

/**
 * When the phone received the SMS. SMSsync sends milliseconds since 1970; a smaller number is
 * read as seconds (the seed's example is 123456789), text as a date. Unreadable: undefined, and
 * the message is dated when it arrives rather than refused.
 */
export function parseTimestamp(value: string): Date | undefined {
  const text = value.trim();
  const n = /^\d{1,16}$/.test(text) ? Number(text) : NaN;
  const at = Number.isFinite(n) ? new Date(n < 1e11 ? n * 1000 : n) : new Date(text);
  return Number.isNaN(at.getTime()) ? undefined : at;
}

/** `POST ?task=sent`: the uuids the phone has queued for sending. */
export function parseSentUuids(body: string): string[] {
  const data = safeJson(body);
  const list = isObject(data) ? data.queued_messages : undefined;
  if (!Array.isArray(list)) throw new WebhookParseError(missingFieldReason("queued_messages"), "queued_messages");
  return [...new Set(list.filter((id): id is string => typeof id === "string" && id.length > 0 && id.length <= MAX_ID_LENGTH))];
}

/**
 * `POST ?task=result`: each message's outcome as status events. sent_result_code 0 means the phone
 * sent it (SENT); any other code is the phone's failure (FAILED, with its message). A
 * delivered_result_code of 0 means delivered; -1 means no report yet. Any other delivered code is
 * not in the spec: no event for it, the sent one stands.
 */
export function parseResults(body: string): StatusEvent[] {
  const data = safeJson(body);
  const list = isObject(data) ? data.message_result : undefined;
  if (!Array.isArray(list)) throw new WebhookParseError(missingFieldReason("message_result"), "message_result");
  const events: StatusEvent[] = [];
  list.forEach((item, i) => {
    const uuid = isObject(item) && typeof item.uuid === "string" ? item.uuid.trim() : "";
    if (!uuid || uuid.length > MAX_ID_LENGTH)
      throw new WebhookParseError(`message_result[${i}].uuid is missing`, "message_result");
    const result = item as Record<string, unknown>;
    // Our uuid is our message id: the report finds its message by it.
    const ids = { vendorMessageId: uuid, ...(UUID.test(uuid) ? { messageId: uuid.toLowerCase() } : {}) };
    const sent = codeOf(result.sent_result_code);
    const sentMessage = textOf(result.sent_result_message);
    if (sent === 0) events.push({ type: "status", ...ids, status: "SENT", vendorStatus: sentMessage || "sent" });
    else if (sent !== undefined) {
      events.push({
        type: "status",
        ...ids,
        status: "FAILED",
        vendorStatus: `failed to send (code ${sent})`,
        errorCode: String(sent),
        ...(sentMessage ? { errorDescription: sentMessage } : {}),
      });
    }
    if (sent === 0 && codeOf(result.delivered_result_code) === 0) {
      events.push({
        type: "status",
        ...ids,
        status: "DELIVERED",
        vendorStatus: textOf(result.delivered_result_message) || "delivered",
      });
    }
  });
  return events;
}

/** A message as the phone takes it. SMSsync sends text only: media links go in the text rather than vanish. */
export function toDeviceMessage(message: { id: string; toE164: string; body: string; media: string[] }): DeviceMessage {
  return { to: message.toE164, message: [message.body, ...message.media].filter(Boolean).join("\n"), uuid: message.id };
}

/** The answer to an incoming SMS; with messages, the "Get reply from server" form, which the phone sends at once. */
export function successAnswer(outgoing?: { secret: string; messages: DeviceMessage[] }): WebhookResponse {
  if (!outgoing?.messages.length) return json({ payload: { success: true, error: null } });
  return json({ payload: { success: true, error: null, task: "send", secret: outgoing.secret, messages: outgoing.messages } });
}

export function failureAnswer(reason: string): WebhookResponse {
  return json({ payload: { success: false, error: reason } });
}

/** `GET ?task=send`: the secret goes back so the phone can tell our server from another. */
export function sendTaskAnswer(secret: string, messages: DeviceMessage[]): WebhookResponse {
  return json({ payload: { success: true, task: "send", secret, messages } });
}

/** `POST ?task=sent` and `GET ?task=result` both answer with a list of uuids, empty included. */
export function uuidsAnswer(uuids: string[]): WebhookResponse {
  return json({ message_uuids: uuids });
}

function json(data: unknown): WebhookResponse {
  // The seed's server forbids caching: a proxy must never replay a task answer.
  return {
    status: 200,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-cache, must-revalidate" },
    body: JSON.stringify(data),
  };
}

function sameSecret(expected: string, given: string): boolean {
  // Digests first: equal lengths for timingSafeEqual, and the length of the secret leaks nothing.
  const a = createHash("sha256").update(expected).digest();
  const b = createHash("sha256").update(given).digest();
  return timingSafeEqual(a, b);
}

function codeOf(value: unknown): number | undefined {
  const n = typeof value === "number" ? value : typeof value === "string" && /^-?\d+$/.test(value.trim()) ? Number(value) : NaN;
  return Number.isInteger(n) ? n : undefined;
}

function textOf(value: unknown): string {
  return typeof value === "string" ? value.trim().slice(0, 500) : "";
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
