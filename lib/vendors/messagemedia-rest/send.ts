import { z } from "zod";
import { VendorError } from "../errors";
import type { OutboundMessage, SendResult, VendorContext } from "../types";
import { safeJson } from "../vendor-response";
import { apiFailure, callApi } from "./api";
import type { MessageMediaRestConfig } from "./config";

/** MessageMedia takes at most 100 messages per POST /messages. */
export const MAX_BATCH = 100;

/**
 * POST /messages with up to 100 messages. MessageMedia accepts or refuses the request whole
 * ("if any messages in the request are invalid, no messages will be sent") and answers 202
 * with the messages in the order given, each with its message_id. Our id rides in metadata,
 * which MessageMedia echoes in every report and reply.
 */
export async function sendMessages(
  ctx: VendorContext<MessageMediaRestConfig>,
  messages: OutboundMessage[],
): Promise<SendResult[]> {
  if (messages.length === 0) return [];
  if (messages.length > MAX_BATCH)
    throw mmError(
      "mm-batch-too-large",
      `MessageMedia takes at most ${MAX_BATCH} messages per request; ${messages.length} were given.`,
    );
  const body = { messages: messages.map((m) => toWire(ctx, m)) };
  const response = await callApi(ctx, "POST", "/messages", body);
  if (response.status < 200 || response.status > 299) {
    const what = messages.length === 1 ? "the message" : `the batch of ${messages.length} messages (none was sent)`;
    throw forBatch(apiFailure(response, what, ctx.now()), response.status, messages);
  }
  const accepted = acceptedBody.safeParse(safeJson(response.body));
  // Accepted, but we cannot tell which id is whose: retrying would send them twice, so stop here.
  if (!accepted.success || accepted.data.messages.length !== messages.length)
    throw mmError(
      "mm-unreadable",
      `MessageMedia accepted the request (${response.status}) but its answer does not list a message_id for each of the ${messages.length} messages; they may still be delivered.`,
    );
  const answered = accepted.data.messages;
  // The answer lists the messages in the order sent; where it echoes our metadata, that decides.
  const byOurId = new Map(
    answered.filter((a) => a.metadata?.switchboard_id).map((a) => [a.metadata!.switchboard_id, a.message_id]),
  );
  return messages.map((m, i) => ({ vendorMessageIds: [byOurId.get(m.id) ?? answered[i]!.message_id] }));
}

function toWire(ctx: VendorContext<MessageMediaRestConfig>, m: OutboundMessage) {
  const source = m.from ?? ctx.config.sourceNumber;
  const mms = m.mediaUrls.length > 0;
  return {
    content: m.body,
    destination_number: m.to,
    // Without a source, MessageMedia sends from the account's default number.
    ...(source ? { source_number: source, source_number_type: sourceType(source) } : {}),
    format: mms ? "MMS" : "SMS",
    ...(mms ? { media: m.mediaUrls } : {}),
    // In poll mode there is no callback: replies and reports wait at GET /replies and /delivery_reports.
    ...(ctx.config.receiveMode === "webhook" ? { callback_url: ctx.webhookUrl("callback") } : {}),
    delivery_report: true,
    ...(m.validityPeriodSeconds
      ? { message_expiry_timestamp: new Date(ctx.now().getTime() + m.validityPeriodSeconds * 1000).toISOString() }
      : {}),
    metadata: { switchboard_id: m.id },
  };
}

/** MessageMedia infers the type when it is left out, "however this may be inaccurate": say it. */
function sourceType(source: string): "INTERNATIONAL" | "SHORTCODE" | "ALPHANUMERIC" {
  if (/^\+\d+$/.test(source)) return "INTERNATIONAL";
  if (/^\d+$/.test(source)) return "SHORTCODE";
  return "ALPHANUMERIC";
}

const acceptedBody = z.object({
  messages: z.array(
    z.object({
      message_id: z.string().min(1),
      metadata: z.object({ switchboard_id: z.string().optional() }).nullish(),
    }),
  ),
});

/**
 * A 400 (or 422, MessageMedia's refusal of a +65 message over old TLS) refuses the whole batch
 * for what one message in it is: marked batchRefused, the messages are then sent one by one,
 * so only the one at fault fails. MessageMedia names it by index (/messages/3/...): say whom
 * it was to.
 */
function forBatch(error: VendorError, status: number, messages: OutboundMessage[]): VendorError {
  if (messages.length < 2 || (status !== 400 && status !== 422)) return error;
  const indexes = [...new Set([...error.description.matchAll(/\/messages\/(\d+)\//g)].map((match) => Number(match[1])))];
  const named = indexes.filter((i) => messages[i]).map((i) => `/messages/${i}/ is the message to ${messages[i]!.to}`);
  const { code, retryable, retryAfterSeconds } = error;
  const description = named.length ? `${error.description} (${named.join("; ")})` : error.description;
  return new VendorError({ code, retryable, retryAfterSeconds, description, batchRefused: true });
}

function mmError(code: string, description: string): VendorError {
  return new VendorError({ code, retryable: false, description });
}
