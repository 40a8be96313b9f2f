import type { VendorAdapter } from "../types";
import { apiFailure, callApi } from "./api";
import { messageMediaRestConfigSchema } from "./config";
import { describeError } from "./events";
import { pollAccount } from "./poll";
import { MAX_BATCH, sendMessages } from "./send";
import { messageMediaRestWebhooks } from "./webhooks";

/**
 * MessageMedia Messages API (REST v1). Sends go in batches of up to 100 with our id in each
 * message's metadata, which MessageMedia echoes in every report and reply. Replies and reports
 * come to our `callback` webhook (the callback_url of each message), or, for accounts without
 * webhooks, are polled and then confirmed. A MessageMedia account is set up for SOAP or for
 * REST, never both: a SOAP account belongs to the messagemedia-soap kind. There is no lookup
 * of a message by our metadata, so no findMessage.
 */
export const messageMediaRestAdapter = {
  kind: "messagemedia-rest",
  displayName: "MessageMedia (REST)",
  description:
    "MessageMedia Messages API (REST v1): SMS and MMS in batches, replies and delivery reports by webhook or by polling. One interface per MessageMedia account: this account must be set up for REST, not SOAP.",
  capabilities: {
    inboundWebhook: true,
    inboundPolling: true,
    devicePull: false,
    deliveryReports: true,
    mms: true,
    numberInventory: false,
    lookup: false,
    messagingServices: false,
  },
  configSchema: messageMediaRestConfigSchema,
  webhooks: messageMediaRestWebhooks,
  fullyConfigured: (config) => Boolean(config.username && config.password),

  /**
   * GET /replies only reads: replies stay until POST /replies/confirmed, so testing the
   * connection takes nothing from a later poll, and it needs no feature beyond the Messages API.
   */
  async verifyCredentials(ctx) {
    const response = await callApi(ctx, "GET", "/replies");
    const how = ctx.config.auth === "hmac" ? "HMAC-signed requests" : "Basic authentication";
    if (response.status === 200)
      return { ok: true, detail: `MessageMedia accepted the API key ${ctx.config.username} with ${how}.` };
    if (response.status === 401)
      return {
        ok: false,
        detail:
          "MessageMedia refused the API key or secret (401). Check them in the MessageMedia Hub, and that this account is set up for REST, not SOAP.",
      };
    return { ok: false, detail: apiFailure(response, "the request for replies", ctx.now()).description };
  },

  send: async (ctx, message) => (await sendMessages(ctx, [message]))[0]!,
  sendBatch: sendMessages,
  maxBatch: MAX_BATCH,
  poll: pollAccount,
  pollIntervalSeconds: (config) => (config.receiveMode === "poll" ? config.pollIntervalSeconds : undefined),
  errorDescription: (code) => describeError(code),
} satisfies VendorAdapter<typeof messageMediaRestConfigSchema>;
