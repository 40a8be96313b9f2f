import { randomUUID } from "node:crypto";
import type { OutgoingCallback } from "./deliver";
import { vonageSignature } from "./signatures";
import type { VonageAccount } from "./state";

/** The SMS API's status codes and their error-text. */
const STATUS_TEXT: Record<string, string> = {
  "1": "Throughput Rate Exceeded - please wait [ 1 ] and retry",
  "2": "Missing Parameters",
  "3": "Invalid Parameters",
  "4": "Bad Credentials",
  "5": "Internal Error",
  "6": "Invalid Message",
  "7": "Number Barred",
  "8": "Partner Account Barred",
  "9": "Quota Exceeded - rejected",
  "11": "Account Not Enabled For HTTP",
  "12": "Message Too Long",
  "14": "Invalid Signature",
  "15": "Illegal Sender Address - rejected",
  "22": "Invalid Network Code",
  "23": "Invalid Callback Url",
  "29": "Non White-listed Destination - rejected",
  "32": "Signature And API Secret Disallowed",
  "33": "Number De-activated",
};

export function statusText(status: string): string {
  return STATUS_TEXT[status] ?? `Simulated status ${status}`;
}

/**
 * A webhook the way the account's dashboard settings say: GET with a query string, POST
 * form or POST-JSON, with timestamp, nonce and sig added when a signature secret is set.
 */
export function vonageWebhook(
  account: VonageAccount,
  url: string,
  kind: OutgoingCallback["kind"],
  fields: Record<string, string>,
): OutgoingCallback {
  const params = { ...fields };
  if (account.signatureSecret) {
    params.timestamp = String(Math.floor(Date.now() / 1000));
    params.nonce = randomUUID();
    params.sig = vonageSignature(account.signatureMethod, account.signatureSecret, params);
  }
  const base = { vendor: "vonage" as const, kind, timeoutMs: 10_000, review };
  if (account.webhookMethod === "GET") {
    const target = new URL(url);
    for (const [k, v] of Object.entries(params)) target.searchParams.append(k, v);
    return { ...base, method: "GET", url: target.toString(), headers: {}, body: "" };
  }
  if (account.webhookMethod === "POST-JSON")
    return { ...base, method: "POST", url, headers: { "content-type": "application/json" }, body: JSON.stringify(params) };
  return {
    ...base,
    method: "POST",
    url,
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(params).toString(),
  };
}

/** Vonage counts anything but 200 and 204 as not received and tries again. */
function review(response: { status: number }): string[] {
  return response.status === 200 || response.status === 204 ? [] : [`Vonage would retry: the hub answered ${response.status}`];
}
