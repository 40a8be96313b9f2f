import type { z } from "zod";
import { MAX_BODY_LENGTH } from "@/lib/messaging/send";
import { OTP_MAX_ATTEMPTS, OTP_SENDS_PER_WINDOW, OTP_WINDOW_SECONDS } from "./otp";
import { MAX_API_BODY_BYTES, MAX_BATCH_BODY_BYTES } from "./request";
import { conversationListQuery, conversationMessagesQuery } from "./schemas";

/**
 * What each endpoint takes and answers, by schema id (see schemas.ts). The OpenAPI document
 * and the docs page are both built from this list; the handlers validate with the same schemas.
 */
export type Operation = {
  method: "get" | "post";
  path: string;
  operationId: string;
  tag: "Messages" | "Conversations" | "One-time passcodes";
  summary: string;
  description: string;
  pathParams?: { name: string; description: string; example: string }[];
  query?: z.ZodObject;
  headers?: { name: string; description: string; example: string }[];
  requestBody?: { schema: string; example: Record<string, unknown> };
  responses: Record<string, { description: string; schema?: string; headers?: Record<string, string> }>;
};

const rateLimited = {
  description: "Too many requests for this key; wait `Retry-After` seconds.",
  schema: "Error",
  headers: { "Retry-After": "Seconds to wait before retrying." },
};
const unauthorized = { description: "No API key, or an unknown or revoked one.", schema: "Error" };
const invalid = { description: "The input is invalid; `error.field` names the first field at fault.", schema: "Error" };
const bodyErrors = {
  "400": { description: "The body is not JSON (`invalid_json`).", schema: "Error" },
  "413": { description: `The body is larger than ${MAX_API_BODY_BYTES / 1024} KB.`, schema: "Error" },
  "415": { description: "The body is not sent as `application/json`.", schema: "Error" },
};

export const OPERATIONS: Operation[] = [
  {
    method: "post",
    path: "/messages",
    operationId: "sendMessage",
    tag: "Messages",
    summary: "Send a message",
    description:
      `Validates the recipient (opted-out, landline and invalid numbers are refused), chooses the sender and queues the message; the answer comes at once and delivery follows. ` +
      `Poll \`GET /messages/{id}\` for its status. Bodies up to ${MAX_BODY_LENGTH} characters; segments and encoding are computed for you. ` +
      "Send an `idempotencyKey` with every message: a retry with the same key answers 200 with the first message and `created: false`, and never sends twice.",
    headers: [
      { name: "Idempotency-Key", description: "Alternative to `idempotencyKey` in the body.", example: "shift-8812-offer-3307" },
    ],
    requestBody: {
      schema: "SendMessageRequest",
      example: {
        to: "+14155550123",
        body: "Shift offer: Sat 9am-5pm at Bondi. Reply YES to accept or NO to decline.",
        idempotencyKey: "shift-8812-offer-3307",
      },
    },
    responses: {
      "202": { description: "Queued: the message will be sent.", schema: "SendMessageResponse" },
      "200": {
        description:
          "A retry: this idempotencyKey was seen before; this is the first request's message (`created: false`). Nothing was sent again.",
        schema: "SendMessageResponse",
      },
      ...bodyErrors,
      "401": unauthorized,
      "404": { description: "`vendorAccountId` is not one of this organization's vendor accounts.", schema: "Error" },
      "409": {
        description:
          "`recipient_unavailable`: the contact opted out (texted STOP), or the number is a landline, invalid or out of country; or `idempotency_conflict`: the key was used for a different message.",
        schema: "Error",
      },
      "422": invalid,
      "429": rateLimited,
    },
  },
  {
    method: "post",
    path: "/messages/batch",
    operationId: "sendMessageBatch",
    tag: "Messages",
    summary: "Send up to 100 messages at once",
    description:
      "Each message as for `POST /messages`, queued together in one request: a roster to a whole shift, say. " +
      "A mistake in the request (a malformed field, a `from` that is not yours) refuses the whole batch with `error.field` naming it (`messages.3.to`), and nothing is queued. " +
      "A recipient who opted out or cannot be texted refuses only their message: the answer lists every message in order, queued or refused with its reason. " +
      "Give each message its own `idempotencyKey`, so a retry of the whole batch sends none twice.",
    requestBody: {
      schema: "SendMessageBatchRequest",
      example: {
        messages: [
          {
            to: "+14155550123",
            body: "Your roster for next week is ready: Mon 9-5, Wed 9-5.",
            idempotencyKey: "roster-w49-4412",
          },
          { to: "+14155550124", body: "Your roster for next week is ready: Tue 12-8.", idempotencyKey: "roster-w49-4413" },
        ],
      },
    },
    responses: {
      "202": {
        description: "Every message was queued (or was a replay of its idempotencyKey).",
        schema: "SendMessageBatchResponse",
      },
      "207": {
        description: "Some messages were refused (`data[i].error` says why); the others were queued.",
        schema: "SendMessageBatchResponse",
      },
      "400": bodyErrors["400"],
      "413": { description: `The body is larger than ${MAX_BATCH_BODY_BYTES / 1024} KB.`, schema: "Error" },
      "415": bodyErrors["415"],
      "401": unauthorized,
      "404": { description: "A `vendorAccountId` is not one of this organization's vendor accounts.", schema: "Error" },
      "422": invalid,
      "429": rateLimited,
    },
  },
  {
    method: "get",
    path: "/messages/{id}",
    operationId: "getMessage",
    tag: "Messages",
    summary: "Get a message",
    description: "A message you sent or received, with its delivery status and the vendor's error when it failed.",
    pathParams: [{ name: "id", description: "The message id.", example: "0b6f3a8e-6c1d-4c55-9a51-0a3c5d1e2f40" }],
    responses: {
      "200": { description: "The message.", schema: "Message" },
      "401": unauthorized,
      "404": { description: "No such message in this organization.", schema: "Error" },
      "429": rateLimited,
    },
  },
  {
    method: "get",
    path: "/conversations",
    operationId: "listConversations",
    tag: "Conversations",
    summary: "List conversations",
    description:
      "Threads between a contact and one of your numbers, most recent activity first, with a preview of the newest message. Walk the pages with `nextCursor` until it is null.",
    query: conversationListQuery,
    responses: {
      "200": { description: "One page of conversations.", schema: "ConversationPage" },
      "401": unauthorized,
      "422": invalid,
      "429": rateLimited,
    },
  },
  {
    method: "get",
    path: "/conversations/{id}/messages",
    operationId: "listConversationMessages",
    tag: "Conversations",
    summary: "List a conversation's messages",
    description:
      "Every message in the thread, newest first — replies (`direction: INBOUND`) included, which is how a shift-offer system reads the YES or NO. " +
      "Use `direction=inbound` to see only replies. Walk older pages with `nextCursor`.",
    pathParams: [
      {
        name: "id",
        description: "The conversation id (`conversationId` of a sent message).",
        example: "5d2c4b1a-7e8f-4a9b-8c0d-1e2f3a4b5c6d",
      },
    ],
    query: conversationMessagesQuery,
    responses: {
      "200": { description: "One page of messages, newest first.", schema: "MessagePage" },
      "401": unauthorized,
      "404": { description: "No such conversation in this organization.", schema: "Error" },
      "422": invalid,
      "429": rateLimited,
    },
  },
  {
    method: "post",
    path: "/otp",
    operationId: "sendOtp",
    tag: "One-time passcodes",
    summary: "Send a one-time passcode",
    description:
      "Generates a random numeric code and texts it as exactly “Your onetime password is: 123456”. Only a keyed hash of the code is stored; the code is never returned, and reading the SMS back through this API shows it masked. " +
      `A newer code replaces older ones for the same number. At most ${OTP_SENDS_PER_WINDOW} codes per number every ${OTP_WINDOW_SECONDS / 60} minutes.`,
    requestBody: { schema: "OtpRequest", example: { to: "+14155550123" } },
    responses: {
      "202": { description: "The passcode is queued for sending.", schema: "OtpResponse" },
      ...bodyErrors,
      "401": unauthorized,
      "409": { description: "`recipient_unavailable`: the number opted out or cannot receive texts.", schema: "Error" },
      "422": invalid,
      "429": {
        description: "`rate_limited` (this key) or `too_many_codes` (this number); wait `Retry-After` seconds.",
        schema: "Error",
        headers: rateLimited.headers,
      },
    },
  },
  {
    method: "post",
    path: "/otp/verify",
    operationId: "verifyOtp",
    tag: "One-time passcodes",
    summary: "Verify a one-time passcode",
    description: `Checks the code against the newest passcode sent to the number. A code verifies once; after ${OTP_MAX_ATTEMPTS} wrong attempts, or once expired, request a new one.`,
    requestBody: { schema: "OtpVerifyRequest", example: { to: "+14155550123", code: "042917" } },
    responses: {
      "200": { description: "The code is right. It cannot be used again.", schema: "OtpVerifyResponse" },
      ...bodyErrors,
      "401": unauthorized,
      "404": { description: "No passcode was sent to this number.", schema: "Error" },
      "410": {
        description: "The passcode is spent: `expired`, `too_many_attempts` or `already_verified`. Request a new one.",
        schema: "Error",
      },
      "422": {
        description: "`invalid_code` with `remainingAttempts`, or `invalid_request` for malformed input.",
        schema: "Error",
      },
      "429": rateLimited,
    },
  },
];
