import { generateKeyPairSync, randomUUID } from "node:crypto";
import type { OutgoingCallback } from "./deliver";
import { json, type SimResponse } from "./http";
import { messagemediaWebhookSignature } from "./signatures";
import { accountKey, type MessageMediaRestAccount, type SentMessage, type SigningKey, type SimState } from "./state";

/**
 * MessageMedia REST v1's bodies: its error shapes, the delivery report and reply objects
 * (pushed to callback URLs and returned by the check endpoints), and signed callbacks.
 * Sources: messagemedia/sinchengage-developer (spec/, docs/api/) and messagemedia/documentation
 * spec/openapi.yaml, the vendor's published API reference.
 */
const PARSE_FAILED = "Request failed to parse correctly. Please ensure input is valid and try again.";

/** The documented 400: `details` names each field at fault, e.g. "/messages/0/destination_number: ...". */
export function badRequest(details: string[]): SimResponse {
  return json(400, { message: PARSE_FAILED, details });
}

export function unauthorized(): SimResponse {
  return json(401, { message: "Invalid authentication credentials" });
}

export function notFound(): SimResponse {
  return json(404, { message: "Resource not found." });
}

/** The body for an injected HTTP status: documented ones where there are, else a plausible { message }. */
export function restError(status: number): SimResponse {
  if (status === 400) return badRequest(["Simulated bad request."]);
  if (status === 401) return unauthorized();
  if (status === 403) return json(403, { message: "This feature has not been enabled in your account." });
  if (status === 404) return notFound();
  if (status === 429) return json(429, { message: "API rate limit exceeded" });
  return json(status, { message: "Something went wrong. Please try again later." });
}

/** Delivery report statuses and error codes (docs/api/delivery-reports/index.md). */
export const STEP = {
  enroute: { status: "enroute", code: "101" },
  submitted: { status: "submitted", code: "200" },
  delivered: { status: "delivered", code: "220" },
  expired: { status: "expired", code: "320" },
} as const;
export type ReportStep = { status: string; code: string };

/** Where an error code a test asked for ends up: 30x discarded (rejected), 320/401 expired, the rest failed. */
export function failureStep(code: string): ReportStep {
  if (code === "320" || code === "401") return { status: "expired", code };
  if (/^30\d$/.test(code)) return { status: "rejected", code };
  return { status: "failed", code };
}

export function deliveryReport(
  account: MessageMediaRestAccount,
  message: SentMessage,
  step: ReportStep,
  at: Date,
  id = randomUUID(),
): Record<string, unknown> {
  const report: Record<string, unknown> = {
    ...(message.extra.callback_url ? { callback_url: message.extra.callback_url } : {}),
    delivery_report_id: id,
    // A report comes from the handset: its source is the message's destination.
    source_number: message.to,
    date_received: at.toISOString(),
    status: step.status,
    delay: 0,
    submitted_date: at.toISOString(),
    original_text: message.body,
    message_id: message.id,
    vendor_account_id: vendorAccount(account),
    error_code: step.code,
    metadata: metadataOf(message),
  };
  if (message.from) report.destination_number = message.from;
  return report;
}

/**
 * A reply as the check endpoint and a message's callback_url get it; `webhook` is the default
 * RECEIVED_SMS template of an account webhook (spec/webhooks/smsReceived.yaml): account_id
 * instead of callback_url and vendor_account_id.
 */
export function replyObject(
  account: MessageMediaRestAccount,
  id: string,
  from: string,
  to: string,
  content: string,
  answered: SentMessage | undefined,
  at: Date,
  webhook: boolean,
): Record<string, unknown> {
  const reply: Record<string, unknown> = {};
  if (webhook) reply.account_id = account.apiKey;
  else if (answered?.extra.callback_url) reply.callback_url = answered.extra.callback_url;
  Object.assign(reply, {
    reply_id: id,
    ...(answered ? { message_id: answered.id } : {}),
    source_number: from,
    destination_number: to,
    date_received: at.toISOString(),
    content,
    metadata: answered ? metadataOf(answered) : {},
  });
  if (!webhook) reply.vendor_account_id = vendorAccount(account);
  return reply;
}

/**
 * A JSON POST to the hub with the Date header MessageMedia sends and, when the account has a
 * signature key, X-MessageMedia-Signature and the headers naming the key, digest and cipher.
 */
export function messagemediaCallback(
  state: SimState,
  account: MessageMediaRestAccount,
  url: string,
  kind: OutgoingCallback["kind"],
  payload: Record<string, unknown>,
): OutgoingCallback {
  const body = JSON.stringify(payload);
  const date = new Date().toUTCString();
  const headers: Record<string, string> = { "content-type": "application/json", date };
  const key = state.signingKeys.get(accountKey(account));
  if (key) {
    const target = new URL(url);
    const requestLine = `POST ${target.pathname}${target.search} HTTP/1.1`;
    Object.assign(headers, {
      "x-messagemedia-signature": messagemediaWebhookSignature(key.privateKey, key.digest, requestLine, date, body),
      "x-messagemedia-digest-type": key.digest,
      "x-messagemedia-cipher-type": "RSA",
      "x-messagemedia-key-id": key.keyId,
    });
  }
  return { vendor: "messagemedia-rest", kind, method: "POST", url, headers, body, timeoutMs: 10_000, review };
}

/** The account's signature key: made on first use, kept while the digest stays the same, dropped when signing is off. */
export function syncSigningKey(state: SimState, account: MessageMediaRestAccount): SigningKey | undefined {
  const key = accountKey(account);
  if (!account.signing) {
    state.signingKeys.delete(key);
    return undefined;
  }
  const existing = state.signingKeys.get(key);
  if (existing?.digest === account.signingDigest) return existing;
  const pair = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const created: SigningKey = {
    keyId: randomUUID(),
    digest: account.signingDigest,
    publicKeyPem: pair.publicKey.export({ type: "spki", format: "pem" }).toString(),
    privateKey: pair.privateKey,
    createdAt: new Date(),
  };
  state.signingKeys.set(key, created);
  return created;
}

/** The public half as MessageMedia's create-signature-key answer gives it (public_key is bare base64 DER), plus PEM. */
export function publicSigningKey(key: SigningKey): Record<string, unknown> {
  const der = key.publicKeyPem.replace(/-----[A-Z ]+-----|\s/g, "");
  return {
    keyId: key.keyId,
    cipher: "RSA",
    digest: key.digest,
    created: key.createdAt.toISOString(),
    publicKey: der,
    publicKeyPem: key.publicKeyPem,
  };
}

export function metadataOf(message: SentMessage): Record<string, string> {
  return message.extra.metadata ? (JSON.parse(message.extra.metadata) as Record<string, string>) : {};
}

function vendorAccount(account: MessageMediaRestAccount): Record<string, string> {
  return { vendor_id: "MessageMedia", account_id: account.apiKey };
}

/** MessageMedia retries any answer outside 2xx with exponential backoff. */
function review(response: { status: number }): string[] {
  return response.status >= 200 && response.status < 300
    ? []
    : [`MessageMedia would retry with exponential backoff: the hub answered ${response.status}`];
}
