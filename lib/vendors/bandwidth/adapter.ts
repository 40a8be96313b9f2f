import { z } from "zod";
import { errorTableEntry, httpFailure, VendorError } from "../errors";
import { basicAuthHeader, type VendorHttpResponse } from "../http";
import type { VendorAdapter, VendorContext } from "../types";
import { retryAfterSeconds, safeJson } from "../vendor-response";
import { bandwidthConfigSchema, type BandwidthConfig } from "./config";
import errorTable from "./errors.json";
import { bandwidthInventory } from "./inventory";
import { bandwidthWebhooks } from "./webhooks";

/**
 * Bandwidth Messaging v2. A send names the messaging application (whose callback URL is our
 * `callbacks` webhook) and carries our message id as its `tag`, which Bandwidth echoes in
 * every callback. Message lookup by tag is not offered (the list API filters by Bandwidth's
 * id, numbers, status and dates only), so there is no findMessage. Numbers are searched,
 * ordered, listed and disconnected through Bandwidth's separate Numbers (Dashboard) API, in
 * XML with the same API user (inventory.ts); ordering needs the account's Site ID.
 */
export const bandwidthAdapter = {
  kind: "bandwidth",
  displayName: "Bandwidth",
  description: "Bandwidth Messaging API v2: SMS and MMS on your Bandwidth numbers, with delivery callbacks.",
  capabilities: {
    inboundWebhook: true,
    inboundPolling: false,
    devicePull: false,
    deliveryReports: true,
    mms: true,
    numberInventory: true,
    lookup: false,
    messagingServices: false,
  },
  configSchema: bandwidthConfigSchema,
  webhooks: bandwidthWebhooks,
  inventory: bandwidthInventory,
  // Sending needs only the API credentials; without callback credentials nothing comes back.
  fullyConfigured: (config) => Boolean(config.callbackUsername && config.callbackPassword),

  async verifyCredentials(ctx) {
    const response = await ctx.http.request({ method: "GET", url: `${messagesUrl(ctx)}?limit=1`, headers: headers(ctx) });
    if (response.status === 200)
      return { ok: true, detail: `Bandwidth accepted the API user for account ${ctx.config.accountId}.` };
    if (response.status === 401)
      return { ok: false, detail: "Bandwidth refused the API username or password (401). Check them in the Bandwidth App." };
    if (response.status === 403)
      return {
        ok: false,
        detail: `Bandwidth accepted the credentials but this user may not use the Messaging API of account ${ctx.config.accountId} (403).`,
      };
    if (response.status === 404)
      return {
        ok: false,
        detail: `Bandwidth does not know account ${ctx.config.accountId} at this address (404). Check the account ID and the base URL.`,
      };
    return { ok: false, detail: `Bandwidth answered ${response.status}${describeBody(response.body, ": ")}.` };
  },

  async send(ctx, message) {
    // Bandwidth has no messaging services: every message needs one of our numbers as sender.
    if (!message.from)
      throw new VendorError({
        code: "bandwidth-no-sender",
        retryable: false,
        description: "Bandwidth needs a From number; it has no messaging services.",
      });
    const body = {
      applicationId: ctx.config.applicationId,
      to: [message.to],
      from: message.from,
      text: message.body,
      ...(message.mediaUrls.length ? { media: message.mediaUrls } : {}),
      tag: message.id,
      ...(message.validityPeriodSeconds
        ? { expiration: new Date(ctx.now().getTime() + message.validityPeriodSeconds * 1000).toISOString() }
        : {}),
    };
    const response = await ctx.http.request({
      method: "POST",
      url: messagesUrl(ctx),
      headers: { ...headers(ctx), "content-type": "application/json; charset=utf-8" },
      body: JSON.stringify(body),
    });
    if (response.status !== 202 && response.status !== 200) throw sendError(response, ctx.now());
    const accepted = acceptedMessage.safeParse(safeJson(response.body));
    // Accepted, but we cannot read its id: retrying would send twice, so say so and stop.
    if (!accepted.success)
      throw new VendorError({
        code: "bandwidth-unreadable",
        retryable: false,
        description: "Bandwidth accepted the message but its answer had no message id; it may still be delivered.",
      });
    return { vendorMessageIds: [accepted.data.id], segments: accepted.data.segmentCount };
  },

  errorDescription: (code) => errorTableEntry(errorTable, code),
} satisfies VendorAdapter<typeof bandwidthConfigSchema>;

const acceptedMessage = z.object({ id: z.string().min(1), segmentCount: z.number().int().positive().optional() });
const errorBody = z.object({
  type: z.string().optional(),
  description: z.string().optional(),
  // A request-validation answer says which fields were wrong; the headline alone does not.
  fieldErrors: z.array(z.object({ fieldName: z.string().optional(), description: z.string().optional() })).optional(),
});

function messagesUrl(ctx: VendorContext<BandwidthConfig>): string {
  return `${ctx.config.apiBaseUrl.replace(/\/+$/, "")}/users/${encodeURIComponent(ctx.config.accountId)}/messages`;
}

function headers(ctx: VendorContext<BandwidthConfig>): Record<string, string> {
  return { authorization: basicAuthHeader(ctx.config.username, ctx.config.password), accept: "application/json" };
}

/** Bandwidth answers a refused create with `{ type, description }`; 429 and 5xx are worth retrying. */
function sendError(response: VendorHttpResponse, now: Date): VendorError {
  const { status, body } = response;
  const parsed = errorBody.safeParse(safeJson(body));
  const type = parsed.success ? parsed.data.type : undefined;
  const what =
    status === 401
      ? "Bandwidth refused the API username or password"
      : status === 403
        ? "Bandwidth refused this user access to the Messaging API"
        : `Bandwidth refused the message (${status})`;
  return httpFailure(status, `${what}${describeBody(body, ": ")}`, retryAfterSeconds(response, now), type);
}

function describeBody(body: string, prefix: string): string {
  const parsed = errorBody.safeParse(safeJson(body));
  if (!parsed.success) return "";
  const fields = (parsed.data.fieldErrors ?? []).map((f) => [f.fieldName, f.description].filter(Boolean).join(": "));
  const text = [[parsed.data.type, parsed.data.description].filter(Boolean).join(": "), ...fields].filter(Boolean).join("; ");
  return text ? `${prefix}${text.slice(0, 300)}` : "";
}
