import { VendorError } from "../errors";
import type { OutboundMessage, VendorAdapter, VendorContext } from "../types";
import { callSoap, describeError, UNREADABLE, unreadable, unsignedInt } from "./client";
import { DEFAULT_POLL_INTERVAL_SECONDS, messageMediaSoapConfigSchema, type MessageMediaSoapConfig } from "./config";
import { pollMessageMedia } from "./poll";
import { child, children, node, type RequestNode, type XmlElement } from "./soap";

/**
 * MessageMedia's SOAP API (m4u, https://soap.m4u.com.au/, WSDL at ?wsdl). The user ID and
 * password travel inside every request's XML, over HTTPS. SOAP has no webhooks: replies and
 * delivery reports are fetched by the poll-vendor job (./poll.ts). Our message's numericId is
 * sent as the recipient `uid`, which MessageMedia echoes in reports and replies, so it is the
 * vendor id. There is no lookup of a sent message, so no findMessage, and no MMS.
 */
export const messageMediaSoapAdapter = {
  kind: "messagemedia-soap",
  displayName: "MessageMedia (SOAP)",
  description:
    "MessageMedia's SOAP API (m4u): SMS with delivery reports. SOAP has no webhooks: replies and delivery reports are fetched every polling interval (60 seconds unless changed). One interface per MessageMedia account: this account must be set up for SOAP, not REST.",
  capabilities: {
    inboundWebhook: false,
    inboundPolling: true,
    devicePull: false,
    deliveryReports: true,
    mms: false,
    numberInventory: false,
    lookup: false,
    messagingServices: false,
  },
  configSchema: messageMediaSoapConfigSchema,
  webhooks: {},
  fullyConfigured: (config) => Boolean(config.username && config.password),

  async verifyCredentials(ctx) {
    let result;
    try {
      result = await callSoap(ctx, "checkUser");
    } catch (error) {
      if (error instanceof VendorError) return { ok: false, detail: error.description };
      throw error;
    }
    const details = child(result, "accountDetails");
    const limit = unsignedInt(details, "creditLimit");
    const remaining = unsignedInt(details, "creditRemaining");
    if (limit === undefined || remaining === undefined)
      return {
        ok: false,
        detail: "MessageMedia answered checkUser without the account's credit details. Check the SOAP endpoint.",
      };
    const period = details?.attrs.type?.trim() || "daily";
    return {
      ok: true,
      detail: `MessageMedia accepted user ID ${ctx.config.username} on the SOAP API: ${remaining} of its ${limit} ${period} message credits remain.`,
    };
  },

  async send(ctx, message) {
    if (message.mediaUrls.length)
      throw refusal(
        "messagemedia-soap-no-mms",
        "MessageMedia's SOAP API sends text only; it cannot send pictures or other media.",
      );
    if (!Number.isInteger(message.numericId) || message.numericId < 1 || message.numericId > 4_294_967_295)
      throw refusal(
        "messagemedia-soap-bad-uid",
        `The message's numeric id ${message.numericId} cannot be MessageMedia's recipient uid.`,
      );
    let result;
    try {
      result = await callSoap(ctx, "sendMessages", [sendMessagesBody(ctx, message)]);
    } catch (error) {
      // Unreadable is not refused: MessageMedia may have sent it, and sending again would send twice.
      if (error instanceof VendorError && error.code === UNREADABLE)
        throw unreadable(`${error.description} The message may have been sent, so it is not sent again.`);
      throw error;
    }
    const sent = unsignedInt(result, "sent");
    const scheduled = unsignedInt(result, "scheduled") ?? 0;
    const failed = unsignedInt(result, "failed");
    if (sent === undefined || failed === undefined)
      throw unreadable(
        "MessageMedia answered sendMessages without its sent and failed counts. The message may have been sent, so it is not sent again.",
      );
    if (sent + scheduled >= 1 && failed === 0) return { vendorMessageIds: [String(message.numericId)] };
    const error = children(child(result, "errors"), "error")[0];
    if (failed >= 1 || error) throw recipientError(error, message);
    throw unreadable(
      `MessageMedia answered sendMessages with sent="${sent}" and failed="${failed}", and no error. The message may not have been sent; it is not sent again.`,
    );
  },

  errorDescription: (code) => describeError(code),

  poll: (ctx) => pollMessageMedia(ctx),
  // lib/messaging passes the stored settings unparsed: one saved before this field existed must still be polled.
  pollIntervalSeconds: (config) => {
    const seconds = messageMediaSoapConfigSchema.shape.pollIntervalSeconds.safeParse(config.pollIntervalSeconds);
    return seconds.success ? seconds.data : DEFAULT_POLL_INTERVAL_SECONDS;
  },
} satisfies VendorAdapter<typeof messageMediaSoapConfigSchema>;

/** One message to one recipient, its uid our numericId; validityPeriod in MessageMedia's own unit (validityPeriodCode). */
function sendMessagesBody(ctx: VendorContext<MessageMediaSoapConfig>, message: OutboundMessage): RequestNode {
  const origin = message.from ?? ctx.config.sourceNumber;
  const parts: RequestNode[] = [
    ...(origin ? [node("origin", origin)] : []),
    node("recipients", [node("recipient", message.to, { uid: String(message.numericId) })]),
    node("content", message.body),
    node("deliveryReport", "true"),
    ...(message.validityPeriodSeconds ? [node("validityPeriod", String(validityPeriodCode(message.validityPeriodSeconds)))] : []),
  ];
  return node("messages", [node("message", parts, { format: "SMS", sequenceNumber: "1" })], { sendMode: "normal" });
}

/**
 * The WSDL's validityPeriod is an unsignedByte (default 169, three days) in the SMS relative
 * validity period code of GSM 03.40 (MessageMedia's clients name 1 ten minutes, 11 one hour,
 * 167 one day, 173 one week): 0–143 are (n + 1) × 5 minutes, 144–167 twelve hours plus
 * (n − 143) × 30 minutes, 168–196 (n − 166) days, 197–255 (n − 192) weeks. The smallest code
 * lasting at least as long as asked, so a message never expires sooner than its setting says.
 */
export function validityPeriodCode(seconds: number): number {
  const minutes = Math.ceil(seconds / 60);
  if (minutes <= 720) return Math.max(0, Math.ceil(minutes / 5) - 1);
  if (minutes <= 1440) return 143 + Math.ceil((minutes - 720) / 30);
  const days = Math.ceil(minutes / 1440);
  if (days <= 30) return 166 + days;
  return Math.min(255, 192 + Math.ceil(days / 7));
}

/** MessageMedia's error for the recipient: its code, in its words, and whether the recipient opted out. */
function recipientError(error: XmlElement | undefined, message: OutboundMessage): VendorError {
  const code = error?.attrs.code?.trim() || "other";
  const info = describeError(code);
  const recipient = child(child(error, "recipients"), "recipient")?.text.trim() || message.to;
  return new VendorError({
    code,
    vendorCode: code,
    retryable: info?.retryable ?? false,
    optOut: info?.optOut ?? false,
    description: `MessageMedia refused the message to ${recipient}${info ? `. ${info.description}` : `: ${code}.`}`,
    link: info?.link,
  });
}

function refusal(code: string, description: string): VendorError {
  return new VendorError({ code, retryable: false, description });
}
