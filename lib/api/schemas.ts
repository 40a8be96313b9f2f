import { z } from "zod";
import { ENCODINGS, MESSAGE_DIRECTIONS, MESSAGE_STATUSES } from "@/db/schema/messages";
import { MAX_BODY_LENGTH, outboundSchema } from "@/lib/messaging/send";
import { MAX_BATCH } from "@/lib/messaging/send-batch";
import { ERROR_CODES } from "./errors";

/**
 * The REST API's requests and responses, as zod schemas. Handlers validate with them and
 * the OpenAPI document is generated from them, so the two cannot drift apart. Requests are
 * strict: an unknown property ("message" for "body") is a 422 naming it, not silently ignored.
 */

/** Registries the OpenAPI builder reads: requests convert as input types, responses as output. */
export const requestSchemas = z.registry<{ id: string; description?: string }>();
export const responseSchemas = z.registry<{ id: string; description?: string }>();

/** API idempotency keys are stored under a prefix of their own so they never meet the app's internal keys. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 190;
export const OTP_LENGTH_RANGE = { min: 4, max: 10 } as const;
export const OTP_TTL_RANGE = { min: 60, max: 3600 } as const;

const phoneInput = (description: string) =>
  z
    .string()
    .trim()
    .min(1, "Enter a phone number")
    .max(40, "Too long to be a phone number")
    .meta({ description, examples: ["+14155550123"] });

export const sendMessageRequest = z
  .strictObject({
    to: phoneInput("The recipient: E.164 (+14155550123), or a national number read in the organization's default country."),
    body: outboundSchema.shape.body.meta({
      description: `The text, up to ${MAX_BODY_LENGTH} characters. GSM-7 text is split into 153-character parts, anything else (emoji, most non-Latin scripts) into 67-character UCS-2 parts.`,
      examples: ["Shift offer: Sat 9am-5pm at Bondi. Reply YES to accept or NO to decline."],
    }),
    from: outboundSchema.shape.from.meta({
      description:
        "One of the organization's numbers to send from. Default: the number this contact's conversation already uses, else a local number of the vendor account.",
    }),
    vendorAccountId: outboundSchema.shape.vendorAccountId.meta({
      description: "Send through this vendor account instead of the organization's default.",
    }),
    mediaUrls: outboundSchema.shape.mediaUrls.meta({ description: "Up to 10 http(s) URLs of images or files to send as MMS." }),
    idempotencyKey: z
      .string()
      .trim()
      .min(1)
      .max(MAX_IDEMPOTENCY_KEY_LENGTH)
      .optional()
      .meta({
        description:
          "Your unique id for this message (or send the `Idempotency-Key` header). Retrying with the same key returns the first message (200, `created: false`) and never sends twice.",
        examples: ["shift-8812-offer-3307"],
      }),
  })
  .refine((m) => m.body.trim().length > 0 || m.mediaUrls.length > 0, {
    message: "Write a message or attach media",
    path: ["body"],
  });
requestSchemas.add(sendMessageRequest, { id: "SendMessageRequest" });

export const sendMessageBatchRequest = z.strictObject({
  messages: z
    .array(sendMessageRequest)
    .min(1, `Send between 1 and ${MAX_BATCH} messages`)
    .max(MAX_BATCH, `Send between 1 and ${MAX_BATCH} messages`)
    .meta({
      description: `1 to ${MAX_BATCH} messages, each as for \`POST /messages\` (the Idempotency-Key header does not apply: give each its own \`idempotencyKey\`).`,
    }),
});
requestSchemas.add(sendMessageBatchRequest, { id: "SendMessageBatchRequest" });

export const otpRequest = z.strictObject({
  to: phoneInput("The number to send the passcode to."),
  length: z
    .int()
    .min(OTP_LENGTH_RANGE.min)
    .max(OTP_LENGTH_RANGE.max)
    .optional()
    .meta({ description: "Digits in the code. Default 6 (or the server's OTP_LENGTH).", examples: [6] }),
  ttlSeconds: z
    .int()
    .min(OTP_TTL_RANGE.min)
    .max(OTP_TTL_RANGE.max)
    .optional()
    .meta({ description: "How long the code stays valid, in seconds. Default 600.", examples: [600] }),
});
requestSchemas.add(otpRequest, { id: "OtpRequest" });

export const otpVerifyRequest = z.strictObject({
  to: phoneInput("The number the passcode was sent to."),
  code: z
    .string()
    .trim()
    .regex(/^\d{4,10}$/, "The code is 4 to 10 digits")
    .meta({ description: "The digits the person typed in (a string, so leading zeros survive).", examples: ["042917"] }),
});
requestSchemas.add(otpVerifyRequest, { id: "OtpVerifyRequest" });

const limitParam = z.coerce.number().int().min(1).max(100).default(25).meta({ description: "Items per page, 1 to 100." });
const cursorParam = z
  .string()
  .max(200)
  .optional()
  .meta({ description: "`nextCursor` from the previous page; omit for the first page." });

export const conversationListQuery = z.object({ limit: limitParam, cursor: cursorParam });
export const conversationMessagesQuery = z.object({
  limit: limitParam,
  cursor: cursorParam,
  direction: z
    .enum(["inbound", "outbound"])
    .optional()
    .meta({ description: "Only replies from the contact (`inbound`) or only messages you sent (`outbound`)." }),
});

const timestamp = z.iso.datetime();
const contactNumber = z.string().meta({ examples: ["+14155550123"] });
const ourNumber = z
  .string()
  .meta({ description: "The sending number, or the vendor's messaging service id.", examples: ["+14155550100"] });
const nullableTimestamp = timestamp.nullable();

export const errorResponse = z
  .object({
    error: z.object({
      code: z
        .enum(ERROR_CODES.map((e) => e.code))
        .meta({ description: "Stable and machine-readable; see the list of error codes." }),
      message: z.string().meta({ description: "What went wrong, for a person.", examples: ["to: Not a valid number for US"] }),
      field: z
        .string()
        .nullable()
        .meta({ description: "The first input at fault (a dotted path such as `mediaUrls.0`), or null.", examples: ["to"] }),
      remainingAttempts: z
        .int()
        .optional()
        .meta({ description: "On `invalid_code` only: wrong guesses left for this passcode." }),
    }),
  })
  .meta({ description: "Every error has this shape." });
responseSchemas.add(errorResponse, { id: "Error" });

export const messageResource = z.object({
  id: z.uuid(),
  direction: z.enum(MESSAGE_DIRECTIONS),
  status: z.enum(MESSAGE_STATUSES).meta({
    description: "QUEUED → SENDING → SENT → DELIVERED, or FAILED (final). Inbound messages are RECEIVED.",
    examples: ["DELIVERED"],
  }),
  to: z.string().meta({ examples: ["+14155550123"] }),
  from: z.string().meta({
    description: "The sender: our number or messaging service (outbound), the contact (inbound).",
    examples: ["+14155550100"],
  }),
  body: z.string().meta({ examples: ["Shift offer: Sat 9am-5pm at Bondi. Reply YES to accept or NO to decline."] }),
  mediaUrls: z.array(z.string()).meta({ examples: [[]] }),
  segments: z.int(),
  encoding: z.enum(ENCODINGS),
  errorCode: z
    .string()
    .nullable()
    .meta({ description: "The vendor's error code when FAILED.", examples: [null] }),
  errorDescription: z
    .string()
    .nullable()
    .meta({ description: "The vendor's description of the error.", examples: [null] }),
  vendorMessageId: z
    .string()
    .nullable()
    .meta({ examples: ["SM5f1c0e9d2b"] }),
  vendorAccountId: z.uuid().nullable(),
  conversationId: z.uuid().nullable(),
  createdAt: timestamp,
  sentAt: nullableTimestamp,
  deliveredAt: nullableTimestamp,
});
responseSchemas.add(messageResource, { id: "Message" });

export const sendMessageResponse = z.object({
  id: z.uuid(),
  status: z.enum(MESSAGE_STATUSES),
  to: contactNumber,
  from: ourNumber,
  segments: z.int(),
  encoding: z.enum(ENCODINGS),
  conversationId: z.uuid().nullable().meta({ description: "Read replies at /conversations/{conversationId}/messages." }),
  createdAt: timestamp,
  created: z.boolean().meta({
    description:
      "false when this idempotencyKey was seen before: this is the first request's message, and nothing was sent again.",
  }),
});
responseSchemas.add(sendMessageResponse, { id: "SendMessageResponse" });

export const sendMessageBatchResponse = z.object({
  data: z
    .array(
      z.union([
        sendMessageResponse.extend({ index: z.int().meta({ description: "The message's place in the request, from 0." }) }),
        z.object({
          index: z.int(),
          error: z
            .object({ code: z.string(), message: z.string(), field: z.string().nullable() })
            .meta({
              description:
                "Why this message was refused, as in the Error schema: `recipient_unavailable` or `idempotency_conflict`.",
            }),
        }),
      ]),
    )
    .meta({ description: "One entry per message of the request, in its order: the queued message, or why it was refused." }),
  queued: z.int().meta({ description: "Messages queued by this request (not counting replays of an idempotencyKey)." }),
  refused: z.int().meta({ description: "Messages refused: their `error` says why; the others were queued." }),
});
responseSchemas.add(sendMessageBatchResponse, { id: "SendMessageBatchResponse" });

/** A page of a keyset-paginated list (lib/api/cursor.ts). */
function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    data: z.array(item),
    nextCursor: z
      .string()
      .nullable()
      .meta({
        description: "Pass as `cursor` for the next page; null on the last page.",
        examples: ["MjAyNS0wNi0xNFQwOTozMDowMC4wMDAwMDBafDBiNmYzYThl"],
      }),
    hasMore: z.boolean(),
  });
}

export const messagePage = pageOf(messageResource);
responseSchemas.add(messagePage, { id: "MessagePage" });

export const conversationResource = z.object({
  id: z.uuid(),
  contact: z.object({
    id: z.uuid(),
    e164: contactNumber,
    firstName: z.string().meta({ examples: ["Alex"] }),
    lastName: z.string().meta({ examples: ["Nguyen"] }),
    optedOut: z.boolean().meta({ description: "The contact texted STOP; sending to them is refused.", examples: [false] }),
  }),
  ourNumber: z
    .string()
    .nullable()
    .meta({ description: "Our side of the thread: the number (or messaging service) it uses.", examples: ["+14155550100"] }),
  lastMessageAt: timestamp,
  lastDirection: z
    .enum(MESSAGE_DIRECTIONS)
    .nullable()
    .meta({ examples: ["INBOUND"] }),
  unread: z.boolean().meta({ description: "The last message is a reply nobody has answered." }),
  preview: z
    .object({
      body: z.string().meta({ description: "The newest message's first 160 characters.", examples: ["YES"] }),
      direction: z.enum(MESSAGE_DIRECTIONS).meta({ examples: ["INBOUND"] }),
      createdAt: timestamp,
    })
    .nullable(),
});
responseSchemas.add(conversationResource, { id: "Conversation" });

export const conversationPage = pageOf(conversationResource);
responseSchemas.add(conversationPage, { id: "ConversationPage" });

export const otpResponse = z.object({
  id: z.uuid().meta({ description: "The passcode's id (the code itself is never returned)." }),
  messageId: z.uuid().meta({ description: "The SMS carrying it: GET /messages/{messageId} shows its delivery." }),
  to: contactNumber,
  expiresAt: timestamp,
});
responseSchemas.add(otpResponse, { id: "OtpResponse" });

export const otpVerifyResponse = z.object({ verified: z.literal(true), to: contactNumber, verifiedAt: timestamp });
responseSchemas.add(otpVerifyResponse, { id: "OtpVerifyResponse" });

export type MessageResource = z.infer<typeof messageResource>;
export type ConversationResource = z.infer<typeof conversationResource>;
export type SendMessageBatchResponse = z.output<typeof sendMessageBatchResponse>;
export type SendMessageResponse = z.infer<typeof sendMessageResponse>;
