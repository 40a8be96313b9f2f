import { z } from "zod";
import { countSegments } from "@/lib/segments";
import { errorTableEntry, httpFailure, VendorError } from "../errors";
import type { VendorAdapter, VendorContext } from "../types";
import { safeJson } from "../vendor-response";
import { vonageConfigSchema, type VonageConfig } from "./config";
import errorTable from "./errors.json";
import { vonageWebhooks } from "./webhooks";

/**
 * Vonage (Nexmo) SMS API. Vonage splits a long text itself and answers one entry per part,
 * each with its own id and status; delivery receipts come per part too. Our message id
 * travels as `client-ref`, echoed in every receipt. The SMS API sends no MMS, and has no
 * lookup of a message by client-ref, so there is no findMessage.
 */
export const vonageAdapter = {
  kind: "vonage",
  displayName: "Vonage",
  description: "Vonage (Nexmo) SMS API: text and unicode SMS on your Vonage numbers, with delivery receipts.",
  capabilities: {
    inboundWebhook: true,
    inboundPolling: false,
    devicePull: false,
    deliveryReports: true,
    mms: false,
    numberInventory: false,
    lookup: false,
    messagingServices: false,
  },
  configSchema: vonageConfigSchema,
  webhooks: vonageWebhooks,
  fullyConfigured: (config) => Boolean(config.apiKey && config.apiSecret),

  async verifyCredentials(ctx) {
    const query = new URLSearchParams({ api_key: ctx.config.apiKey, api_secret: ctx.config.apiSecret });
    const response = await ctx.http.request({
      method: "GET",
      url: `${baseUrl(ctx)}/account/get-balance?${query}`,
      headers: { accept: "application/json" },
    });
    if (response.status === 401)
      return { ok: false, detail: "Vonage refused the API key or secret (401). Check them in the Vonage API Dashboard." };
    if (response.status !== 200)
      return { ok: false, detail: `Vonage answered ${response.status} when asked for the account balance.` };
    const balance = z.object({ value: z.number() }).safeParse(safeJson(response.body));
    if (!balance.success) return { ok: false, detail: "Vonage answered, but not with an account balance. Check the base URL." };
    return {
      ok: true,
      detail: `Vonage accepted the API key ${ctx.config.apiKey}; the account balance is ${balance.data.value.toFixed(2)} EUR.`,
    };
  },

  async send(ctx, message) {
    if (!message.from)
      throw vonageError("vonage-no-sender", "Vonage needs a From number or sender ID; it has no messaging services.");
    if (message.mediaUrls.length) throw vonageError("vonage-no-mms", "Vonage's SMS API cannot send pictures or other media.");
    const form = new URLSearchParams({
      api_key: ctx.config.apiKey,
      api_secret: ctx.config.apiSecret,
      // Vonage takes numbers as digits without the +; an alphanumeric sender ID goes as it is.
      from: message.from.replace(/^\+(?=\d+$)/, ""),
      to: message.to.replace(/^\+/, ""),
      text: message.body,
      // GSM-7 characters travel as text; anything else needs unicode, or Vonage mangles it.
      type: countSegments(message.body).encoding === "UCS2" ? "unicode" : "text",
      "status-report-req": "1",
      callback: ctx.webhookUrl("status"),
      "client-ref": message.id,
    });
    // Vonage's ttl is in milliseconds, from 20 seconds to 7 days.
    if (message.validityPeriodSeconds)
      form.set("ttl", String(Math.min(Math.max(message.validityPeriodSeconds, 20), 604_800) * 1000));
    const response = await ctx.http.request({
      method: "POST",
      url: `${baseUrl(ctx)}/sms/json`,
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: form.toString(),
    });
    if (response.status !== 200)
      throw httpFailure(
        response.status,
        `Vonage answered ${response.status}${response.status === 401 ? ": the API key or secret was refused" : ""}.`,
      );
    const parsed = sendResponse.safeParse(safeJson(response.body));
    // An answer we cannot read may still have sent the message: retrying could send it twice.
    if (!parsed.success)
      throw vonageError(
        "vonage-unreadable",
        "Vonage answered 200 with a body that is not an SMS API response; the message may have been sent.",
      );
    const parts = parsed.data.messages;
    const failed = parts.find((part) => part.status !== "0");
    if (!failed) return { vendorMessageIds: parts.map((part) => part["message-id"]!), segments: parts.length };
    throw statusError(failed, parts.filter((p) => p.status === "0").length, parts.length);
  },

  errorDescription: (code) => errorTableEntry(errorTable, code),
} satisfies VendorAdapter<typeof vonageConfigSchema>;

const part = z
  .object({ status: z.string(), "message-id": z.string().optional(), "error-text": z.string().optional() })
  .refine((p) => p.status !== "0" || Boolean(p["message-id"]), { message: "an accepted part has no message-id" });
const sendResponse = z.object({ messages: z.array(part).min(1) });

function baseUrl(ctx: VendorContext<VonageConfig>): string {
  return ctx.config.apiBaseUrl.replace(/\/+$/, "");
}

/**
 * A refused part. Status 1 (throttled) and Vonage's transient faults are retried, but only
 * when no part went out: retrying a half-sent message would send its first parts twice.
 * A half-sent message gets a code of its own, so the send worker keeps these words.
 */
function statusError(failed: z.infer<typeof part>, sent: number, total: number): VendorError {
  const code = `send-${failed.status}`;
  const info = errorTableEntry(errorTable, code);
  const words = (failed["error-text"] ?? info?.description ?? `status ${failed.status}`).replace(/\.$/, "");
  if (sent > 0) {
    return vonageError(
      "vonage-partial-send",
      `Vonage accepted ${sent} of ${total} parts, then refused the next (${code}: ${words}); the accepted parts were not recalled.`,
    );
  }
  return new VendorError({
    code,
    vendorCode: code,
    retryable: info?.retryable ?? false,
    description: `Vonage refused the message: ${words}.`,
    link: info?.link,
    retryAfterSeconds: failed.status === "1" ? 1 : undefined,
  });
}

function vonageError(code: string, description: string): VendorError {
  return new VendorError({ code, retryable: false, description });
}
