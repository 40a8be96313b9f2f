import { createHash, createHmac } from "node:crypto";
import { expect } from "vitest";
import { runVendorCases, type IncomingCase } from "@/tests/helpers/vendor-harness";
import type { VendorEvent } from "../types";
import { messageMediaRestAdapter } from "./adapter";

const MESSAGE_ID = "11111111-1111-4111-8111-111111111111";
const MM_ID = "389dc1a8-62a4-4110-ba61-af94806c006f";
const KEY = "mm-api-key-1";
const SECRET = "mm-api-secret-1";
const config = (stubUrl: string) => ({ username: KEY, password: SECRET, apiBaseUrl: `${stubUrl}/v1` });

// As MessageMedia documents its callbacks (Delivery Reports and Replies in its API reference).
const report = {
  callback_url: "https://example.test/callback",
  delivery_report_id: "693e87f2-a553-4281-9ffe-ddf04cbc4bf3",
  source_number: "+61491570156",
  date_received: "2026-01-02T03:04:05.807Z",
  status: "delivered",
  delay: 0,
  billing_units: 1,
  submitted_date: "2026-01-02T03:04:01.551Z",
  original_text: "Hello world!",
  message_id: MM_ID,
  vendor_account_id: { vendor_id: "MessageMedia", account_id: "MyAccount" },
  error_code: "220",
  metadata: { switchboard_id: MESSAGE_ID },
};
const reply = {
  metadata: { switchboard_id: MESSAGE_ID },
  message_id: MM_ID,
  reply_id: "a175e797-2b54-468b-9850-41a3eab32f74",
  date_received: "2026-01-02T03:04:05.850Z",
  callback_url: "https://example.test/callback",
  destination_number: "+61491570157",
  source_number: "+61491570156",
  vendor_account_id: { vendor_id: "MessageMedia", account_id: "MyAccount" },
  content: "Yes, I'll take the shift 👍",
};
const statusEvent = (status: string, vendorStatus: string, extra: object = {}) =>
  ({
    type: "status",
    vendorMessageId: MM_ID,
    status,
    vendorStatus,
    occurredAt: new Date("2026-01-02T03:04:05.807Z"),
    messageId: MESSAGE_ID,
    ...extra,
  }) as VendorEvent;
const inboundEvent = (extra: object = {}) =>
  ({
    type: "inbound",
    from: "+61491570156",
    to: "+61491570157",
    body: "Yes, I'll take the shift 👍",
    media: [],
    vendorMessageId: reply.reply_id,
    receivedAt: new Date("2026-01-02T03:04:05.850Z"),
    inReplyTo: MM_ID,
    ...extra,
  }) as VendorEvent;
const post = (body: object) => ({ headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

const incoming: IncomingCase[] = [
  {
    label: "a delivered report is DELIVERED, names our message by its metadata, and is answered 200 with nothing",
    action: "callback",
    request: post(report),
    expectVerify: null,
    expectDedupeKey: "report:693e87f2-a553-4281-9ffe-ddf04cbc4bf3",
    expectEvents: [statusEvent("DELIVERED", "delivered")],
    expectResponse: { status: 200, body: "" },
  },
  {
    label: "enroute is SENT",
    action: "callback",
    request: post({ ...report, status: "enroute", error_code: "211" }),
    expectEvents: [statusEvent("SENT", "enroute")],
  },
  {
    label: "submitted is SENT",
    action: "callback",
    request: post({ ...report, status: "submitted", error_code: "200" }),
    expectEvents: [statusEvent("SENT", "submitted")],
  },
  {
    label: "failed is FAILED with the error code and MessageMedia's description of it",
    action: "callback",
    request: post({ ...report, status: "failed", error_code: "414" }),
    expectEvents: [statusEvent("FAILED", "failed", { errorCode: "414", errorDescription: "Destination unreachable." })],
  },
  {
    label: "rejected for a blacklisted number is FAILED with a code that opts the contact out",
    action: "callback",
    request: post({ ...report, status: "rejected", error_code: "302" }),
    expectEvents: [
      statusEvent("FAILED", "rejected", {
        errorCode: "302",
        errorDescription: expect.stringMatching(/^Destination address blocked/),
      }),
    ],
  },
  {
    label: "expired is FAILED; a numeric error_code reads the same",
    action: "callback",
    request: post({ ...report, status: "expired", error_code: 401 }),
    expectEvents: [
      statusEvent("FAILED", "expired", {
        errorCode: "401",
        errorDescription: expect.stringMatching(/validity period has expired \(before delivery\)/),
      }),
    ],
  },
  {
    label: "a failure with a code MessageMedia does not document says so in its own words",
    action: "callback",
    request: post({ ...report, status: "failed", error_code: "999" }),
    expectEvents: [
      statusEvent("FAILED", "failed", {
        errorCode: "999",
        errorDescription: "MessageMedia reported the message failed (error code 999).",
      }),
    ],
  },
  {
    label: "an unknown status is accepted and gives no event",
    action: "callback",
    request: post({ ...report, status: "teleported" }),
    expectEvents: [],
    expectResponse: { status: 200, body: "" },
  },
  {
    label: "metadata that is not one of our ids is not taken for one",
    action: "callback",
    request: post({ ...report, metadata: { switchboard_id: "campaign-7" } }),
    expectEvents: [statusEvent("DELIVERED", "delivered", { messageId: undefined })],
  },
  {
    label: "fields MessageMedia adds later are ignored",
    action: "callback",
    request: post({
      ...report,
      brand_new: { nested: [1, 2] },
      rich_message_type: "RCS",
      metadata: { switchboard_id: MESSAGE_ID, other: { x: 1 } },
    }),
    expectEvents: [statusEvent("DELIVERED", "delivered")],
  },
  {
    label: "a reply is an inbound message from the handset to our number, linked to the message it answers",
    action: "callback",
    request: post(reply),
    expectVerify: null,
    expectDedupeKey: "reply:a175e797-2b54-468b-9850-41a3eab32f74",
    expectEvents: [inboundEvent()],
    expectResponse: { status: 200, body: "" },
  },
  {
    label: "a reply to a message sent from the default number has no destination: to is left empty",
    action: "callback",
    request: post({ ...reply, destination_number: undefined }),
    expectEvents: [inboundEvent({ to: "" })],
  },
  {
    label: "a reply to our number that answers no message of ours has no inReplyTo",
    action: "callback",
    request: post({ ...reply, message_id: null }),
    expectEvents: [inboundEvent({ inReplyTo: undefined })],
  },
  {
    label: "a reply without a sender names the field",
    action: "callback",
    request: post({ ...reply, source_number: undefined }),
    expectParseError: /^source_number: missing/,
    expectDedupeKey: null,
  },
  {
    label: "a reply with neither our number nor the message it answers names the field",
    action: "callback",
    request: post({ ...reply, destination_number: undefined, message_id: undefined }),
    expectParseError: /^destination_number: missing, and no message_id/,
  },
  {
    label: "a report without a status names the field",
    action: "callback",
    request: post({ ...report, status: undefined }),
    expectParseError: /^status: missing/,
  },
  {
    label: "a report whose message_id is not a string names the field",
    action: "callback",
    request: post({ ...report, message_id: 42 }),
    expectParseError: /^message_id: expected a string/,
  },
  {
    label: "a body that is not JSON is a parse error",
    action: "callback",
    request: { body: '{"delivery_report_id":' },
    expectParseError: /body is not JSON/,
    expectDedupeKey: null,
  },
  {
    label: "a JSON array is a parse error",
    action: "callback",
    request: { body: "[]" },
    expectParseError: /body: expected a JSON object/,
  },
  {
    label: "an object that is neither report nor reply names the field",
    action: "callback",
    request: post({ hello: "world" }),
    expectParseError: /^delivery_report_id: missing/,
  },
];

// In poll mode there is no callback_url, so the body, and the HMAC over it, are fixed.
const POLL_BODY = JSON.stringify({
  messages: [
    {
      content: "Hello from the harness",
      destination_number: "+15005550006",
      source_number: "+15005550001",
      source_number_type: "INTERNATIONAL",
      format: "SMS",
      delivery_report: true,
      metadata: { switchboard_id: MESSAGE_ID },
    },
  ],
});
const HARNESS_DATE = "Fri, 02 Jan 2026 03:04:05 GMT"; // the harness's ctx.now()
const POLL_BODY_MD5 = createHash("md5").update(POLL_BODY).digest("hex");
const HMAC_SIGNATURE = createHmac("sha256", SECRET)
  .update(`Date: ${HARNESS_DATE}\nContent-MD5: ${POLL_BODY_MD5}\nPOST /v1/messages HTTP/1.1`)
  .digest("base64");
const accepted = (...ids: string[]) => [
  {
    status: 202,
    body: JSON.stringify({
      messages: ids.map((id) => ({ message_id: id, status: "queued", metadata: { switchboard_id: MESSAGE_ID } })),
    }),
  },
];
const sentMessage = (check: (message: Record<string, unknown>) => void) => (body: string) =>
  check((JSON.parse(body) as { messages: Record<string, unknown>[] }).messages[0]!);

runVendorCases(messageMediaRestAdapter, {
  config,
  incoming,
  outgoing: [
    {
      label: "Basic: POST /v1/messages with our callback URL, a delivery report and our id in metadata",
      vendorResponses: accepted(MM_ID),
      expectResult: { vendorMessageIds: [MM_ID] },
      expectRequests: [
        {
          method: "POST",
          path: "/v1/messages",
          headers: {
            authorization: `Basic ${Buffer.from(`${KEY}:${SECRET}`).toString("base64")}`,
            "content-type": "application/json",
            accept: "application/json",
          },
          body: (body) =>
            expect(JSON.parse(body)).toEqual({
              messages: [
                {
                  content: "Hello from the harness",
                  destination_number: "+15005550006",
                  source_number: "+15005550001",
                  source_number_type: "INTERNATIONAL",
                  format: "SMS",
                  callback_url: expect.stringMatching(
                    /^http:\/\/127\.0\.0\.1:\d+\/api\/webhooks\/messagemedia-rest\/wh_testtoken\/callback$/,
                  ),
                  delivery_report: true,
                  metadata: { switchboard_id: MESSAGE_ID },
                },
              ],
            }),
        },
      ],
    },
    {
      label: "HMAC: Date and Content-MD5 headers, and HMAC-SHA256 over Date, Content-MD5 and the request line",
      config: { auth: "hmac", receiveMode: "poll" },
      vendorResponses: accepted(MM_ID),
      expectResult: { vendorMessageIds: [MM_ID] },
      expectRequests: [
        {
          method: "POST",
          path: "/v1/messages",
          headers: {
            date: HARNESS_DATE,
            "content-md5": POLL_BODY_MD5,
            authorization: `hmac username="${KEY}", algorithm="hmac-sha256", headers="Date Content-MD5 request-line", signature="${HMAC_SIGNATURE}"`,
          },
          body: POLL_BODY,
        },
      ],
    },
    {
      label: "media goes as an MMS",
      message: { mediaUrls: ["https://example.test/a.jpg", "https://example.test/b.png"] },
      vendorResponses: accepted(MM_ID),
      expectRequests: [
        {
          method: "POST",
          path: "/v1/messages",
          body: sentMessage((m) =>
            expect(m).toMatchObject({ format: "MMS", media: ["https://example.test/a.jpg", "https://example.test/b.png"] }),
          ),
        },
      ],
    },
    {
      label: "a validity period becomes message_expiry_timestamp, counted from now",
      message: { validityPeriodSeconds: 600 },
      vendorResponses: accepted(MM_ID),
      expectRequests: [
        {
          method: "POST",
          path: "/v1/messages",
          body: sentMessage((m) => expect(m.message_expiry_timestamp).toBe("2026-01-02T03:14:05.000Z")),
        },
      ],
    },
    {
      label: "without a From, the configured sender ID goes, typed ALPHANUMERIC",
      config: { sourceNumber: "Humanforce" },
      message: { from: undefined },
      vendorResponses: accepted(MM_ID),
      expectRequests: [
        {
          method: "POST",
          path: "/v1/messages",
          body: sentMessage((m) => expect(m).toMatchObject({ source_number: "Humanforce", source_number_type: "ALPHANUMERIC" })),
        },
      ],
    },
    {
      label: "with no sender at all, source_number is left out and MessageMedia uses the account's default",
      message: { from: undefined },
      vendorResponses: accepted(MM_ID),
      expectRequests: [
        { method: "POST", path: "/v1/messages", body: sentMessage((m) => expect(Object.keys(m)).not.toContain("source_number")) },
      ],
    },
    {
      label: "400 fails for good, in MessageMedia's words naming the field",
      vendorResponses: [
        {
          status: 400,
          body: JSON.stringify({
            message: "Request failed to parse correctly. Please ensure input is valid and try again.",
            details: [
              "/messages/0/destination_number: International address must be between 8 and 15 characters excluding the first '+'",
            ],
          }),
        },
      ],
      expectError: {
        code: "http_400",
        retryable: false,
        description:
          /refused the message \(400\): .*\/messages\/0\/destination_number: International address must be between 8 and 15/,
      },
    },
    {
      label: "401 is a credentials error, not retried",
      vendorResponses: [{ status: 401, body: JSON.stringify({ message: "Invalid authentication credentials" }) }],
      expectError: {
        code: "http_401",
        retryable: false,
        description: /refused the API key or secret \(401\): Invalid authentication credentials/,
      },
    },
    {
      label: "403 is not retried",
      vendorResponses: [{ status: 403, body: JSON.stringify({ message: "Feature not enabled" }) }],
      expectError: { code: "http_403", retryable: false, description: /Feature not enabled/ },
    },
    {
      label: "429 is retried",
      vendorResponses: [{ status: 429, body: "", headers: { "retry-after": "7" } }],
      expectError: { code: "http_429", retryable: true },
    },
    {
      label: "503 is retried",
      vendorResponses: [{ status: 503, body: "Service Unavailable" }],
      expectError: { code: "http_503", retryable: true },
    },
    {
      label: "an acceptance without message ids is not retried: the message may have gone",
      vendorResponses: [{ status: 202, body: "<html>accepted</html>" }],
      expectError: { code: "mm-unreadable", retryable: false },
    },
  ],
});
