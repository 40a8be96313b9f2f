import type { OutgoingCallback } from "./deliver";
import { basicHeader, json, type SimResponse } from "./http";
import type { BandwidthAccount, SentMessage } from "./state";

/** Bandwidth's bodies: errors, the message object, and callback events. */

/** message-failed descriptions from Bandwidth's error table (site/docs/messaging/errors.mdx). */
const FAILURES: Record<string, string> = {
  "4001": "service-not-allowed",
  "4301": "malformed-invalid-encoding",
  "4302": "malformed-invalid-from-number",
  "4303": "malformed-invalid-to-number",
  "4360": "message-not-sent-expiration-date-passed",
  "4403": "rejected-forbidden-from-number",
  "4404": "rejected-forbidden-to-number",
  "4405": "rejected-unallocated-from-number",
  "4406": "rejected-unallocated-to-number",
  "4410": "media-unavailable",
  "4432": "rejected-forbidden-country",
  "4452": "rejected-wrong-application-id",
  "4470": "rejected-spam-detected",
  "4482": "rejected-to-number-in-blacklist",
  "4700": "invalid-service-type",
  "4701": "destination-service-unavailable",
  "4702": "destination-subscriber-unavailable",
};

const ERRORS: Record<number, { type: string; description: string }> = {
  400: { type: "request-validation", description: "Your request could not be accepted" },
  401: { type: "unauthorized", description: "Authentication Failed" },
  403: { type: "forbidden", description: "Access Denied" },
  429: {
    type: "max-message-queue-size-exceeded",
    description:
      "The SMS queue for your account is full and cannot accept more messages right now. Your allowed rate is 60 messages per minute. The capacity of this queue is 900 messages (15 minutes). Reduce your message sending rate, or contact support to increase your allowed rate.",
  },
};

/** Bandwidth's documented error body for a status; 5xx bodies are not documented, so a plausible one. */
export function bandwidthError(status: number, description?: string): SimResponse {
  if (status === 415)
    return json(415, {
      type: "unsupported-content-type",
      description: description ?? "Content type not supported. Please use 'application/json'",
    });
  const known = ERRORS[status] ?? {
    type: status >= 500 ? "internal-server-error" : "request-validation",
    description: `Simulated HTTP ${status}`,
  };
  return json(status, { type: known.type, description: description ?? known.description });
}

/** Bandwidth's 404 is Spring's default body, not its error shape. */
export function bandwidthNotFound(path: string): SimResponse {
  return json(404, {
    timestamp: new Date().toISOString().replace("Z", "+0000"),
    status: 404,
    error: "Not Found",
    message: "Not Found",
    path,
  });
}

export function messageObject(message: SentMessage, direction: "in" | "out"): Record<string, unknown> {
  const object: Record<string, unknown> = {
    id: message.id,
    owner: direction === "out" ? message.from : message.to,
    applicationId: message.extra.applicationId,
    time: message.createdAt.toISOString(),
    segmentCount: message.segments,
    direction,
    to: (message.extra.recipients ?? message.to).split(","),
    from: message.from,
    text: message.body,
  };
  if (message.media.length) object.media = message.media;
  for (const key of ["tag", "priority", "expiration"]) if (message.extra[key] !== undefined) object[key] = message.extra[key];
  return object;
}

export type BandwidthEvent = {
  type: string;
  time: string;
  description: string;
  to: string;
  errorCode?: string;
  message: Record<string, unknown>;
};

/** An MMS is reported sending, then delivered or failed; an SMS only delivered or failed. */
export function deliveryEvents(message: SentMessage, failCode?: string): BandwidthEvent[] {
  const body = messageObject(message, "out");
  const at = () => new Date().toISOString();
  const events: BandwidthEvent[] = [];
  if (message.media.length)
    events.push({
      type: "message-sending",
      time: at(),
      description: "Message is sending to carrier",
      to: message.to,
      message: body,
    });
  if (failCode)
    events.push({
      type: "message-failed",
      time: at(),
      description: FAILURES[failCode] ?? "message-failed",
      to: message.to,
      errorCode: failCode,
      message: body,
    });
  else events.push({ type: "message-delivered", time: at(), description: "ok", to: message.to, message: body });
  return events;
}

export function bandwidthCallback(
  account: BandwidthAccount,
  url: string,
  kind: OutgoingCallback["kind"],
  events: BandwidthEvent[] | Record<string, unknown>[],
): OutgoingCallback {
  const headers: Record<string, string> = { "content-type": "application/json; charset=utf-8", "user-agent": "BandwidthAPI/v2" };
  if (account.callbackUsername !== undefined)
    headers.authorization = basicHeader(account.callbackUsername, account.callbackPassword ?? "");
  // errorCode is a number on the wire.
  const wire = events.map((e) => ("errorCode" in e && e.errorCode !== undefined ? { ...e, errorCode: Number(e.errorCode) } : e));
  return {
    vendor: "bandwidth",
    kind,
    method: "POST",
    url,
    headers,
    body: JSON.stringify(wire),
    timeoutMs: 10_000,
    review: review,
  };
}

function review(response: { status: number }): string[] {
  return response.status >= 200 && response.status < 300 ? [] : [`Bandwidth would retry: the hub answered ${response.status}`];
}
