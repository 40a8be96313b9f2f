import { VendorError } from "../errors";
import type { OutboundMessage, VendorAdapter, VendorContext, VerifyResult } from "../types";
import { describeTwilioError, isSuccess, readJson, stringField, twilioCodeError, twilioError, twilioRequest } from "./api";
import { accountUrl, twilioConfigSchema, type TwilioConfig } from "./config";
import { twilioInventory } from "./inventory";
import { twilioLookup } from "./lookup";
import { twilioWebhooks } from "./webhooks";

type Ctx = VendorContext<TwilioConfig>;

const MAX_VALIDITY_SECONDS = 36_000; // Twilio's ceiling (and default): ten hours

/**
 * Twilio Programmable Messaging. Sends through the Messages resource with a status callback
 * to our `status` webhook; incoming texts reach `inbound`; both are signed with the Auth
 * Token (X-Twilio-Signature). There is no findMessage: Twilio keeps no reference of ours on
 * a message and cannot be asked by it, so a send a crash left unknown goes to review.
 */
export const twilioAdapter = {
  kind: "twilio",
  displayName: "Twilio",
  description: "Twilio Programmable Messaging: SMS and MMS, delivery reports, numbers, Messaging Services and Lookup.",
  capabilities: {
    inboundWebhook: true,
    inboundPolling: false,
    devicePull: false,
    deliveryReports: true,
    mms: true,
    numberInventory: true,
    lookup: true,
    messagingServices: true,
  },
  configSchema: twilioConfigSchema,
  webhooks: twilioWebhooks,
  fullyConfigured: (config) => Boolean(config.accountSid && config.authToken),

  verifyCredentials: (ctx) => verifyAccount(ctx),

  async send(ctx, message) {
    const response = await twilioRequest(ctx, "POST", accountUrl(ctx.config, "/Messages.json"), messageForm(ctx, message));
    if (!isSuccess(response)) throw twilioError(response);
    const json = readJson(response.body);
    const sid = stringField(json, "sid");
    if (!sid) {
      // Twilio took the request, so it may be sending: retrying could send it twice.
      throw new VendorError({ code: "bad_response", retryable: false, description: "Twilio accepted the message but its answer named no message SID; check Twilio's message log before resending." });
    }
    // "0" until a Messaging Service has chosen the sender ("accepted"): unknown, not zero.
    const segments = Number(json?.num_segments);
    return { vendorMessageIds: [sid], segments: Number.isInteger(segments) && segments > 0 ? segments : undefined };
  },

  errorDescription: (code) => describeTwilioError(code),

  inventory: twilioInventory,
  lookup: (ctx, e164) => twilioLookup(ctx, e164),
  messagingServiceFor: (ctx) => ctx.config.messagingServiceSid,
} satisfies VendorAdapter<typeof twilioConfigSchema>;

/**
 * The Messages.json form. With a number and a service both, Twilio sends from that number
 * and applies the service's features; with a service alone, Twilio picks the sender.
 */
function messageForm(ctx: Ctx, message: OutboundMessage): URLSearchParams {
  const service = message.messagingServiceId ?? (message.from ? undefined : ctx.config.messagingServiceSid);
  if (!message.from && !service) throw twilioCodeError("21603");
  const form = new URLSearchParams({ To: message.to });
  if (message.from) form.set("From", message.from);
  if (service) form.set("MessagingServiceSid", service);
  // Twilio takes media alone, but refuses a message with neither body nor media (21602).
  if (message.body || message.mediaUrls.length === 0) form.set("Body", message.body);
  for (const url of message.mediaUrls) form.append("MediaUrl", url);
  form.set("StatusCallback", ctx.webhookUrl("status"));
  const validity = message.validityPeriodSeconds ?? ctx.config.validityPeriodSeconds;
  // Longer than Twilio's ceiling means "as long as Twilio allows", not a refused send.
  if (validity !== undefined) form.set("ValidityPeriod", String(Math.min(MAX_VALIDITY_SECONDS, Math.max(1, Math.round(validity)))));
  return form;
}

/** The "Test connection" button: fetch the account resource with these credentials. */
async function verifyAccount(ctx: Ctx): Promise<VerifyResult> {
  let response;
  try {
    response = await twilioRequest(ctx, "GET", accountUrl(ctx.config, ".json"));
  } catch (error) {
    if (error instanceof VendorError) return { ok: false, detail: error.description };
    throw error;
  }
  if (response.status === 401) return { ok: false, detail: "Twilio refused these credentials: check the Account SID and Auth Token." };
  if (response.status === 404) return { ok: false, detail: `Twilio has no account ${ctx.config.accountSid} that these credentials can see: check the Account SID.` };
  if (!isSuccess(response)) return { ok: false, detail: twilioError(response).description };
  const json = readJson(response.body);
  const name = stringField(json, "friendly_name") ?? ctx.config.accountSid;
  const status = stringField(json, "status") ?? "active";
  if (status !== "active") return { ok: false, detail: `Twilio accepted these credentials, but the account “${name}” is ${status}, so it cannot send.` };
  const type = stringField(json, "type");
  return { ok: true, detail: `Connected to the Twilio account “${name}”${type ? ` (${type})` : ""}; it is active and can send.` };
}
