import type { IncomingCase } from "@/tests/helpers/vendor-harness";
import { runVendorCases, TEST_ACCOUNT } from "@/tests/helpers/vendor-harness";
import { twilioAdapter } from "./adapter";
import { formParams, twilioSignature } from "./signature";
import { EMPTY_TWIML } from "./webhooks";

const ACCOUNT_SID = "AC0123456789abcdef0123456789abcdef";
const AUTH_TOKEN = "f00dfacef00dfacef00dfacef00dface";
const twilioTestConfig = (stubUrl: string) => ({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, apiBaseUrl: stubUrl, messagingBaseUrl: stubUrl, lookupBaseUrl: stubUrl });

const SM = "SM0123456789abcdef0123456789abcdef";
const MG = "MG0123456789abcdef0123456789abcdef";
const BASIC = `Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString("base64")}`;
const MESSAGES_PATH = `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`;
const CALLBACK = `http%3A%2F%2F127\\.0\\.0\\.1%3A\\d+%2Fapi%2Fwebhooks%2Ftwilio%2F${TEST_ACCOUNT.webhookToken}%2Fstatus`;

/** Signs as Twilio does: over the URL it called and the form it posted (GET: the URL alone). */
const sign =
  (token = AUTH_TOKEN, url?: string) =>
  (_ctx: unknown, request: { method: string; url: string; body: string }) => ({
    "X-Twilio-Signature": twilioSignature(token, url ?? request.url, request.method === "GET" ? {} : formParams(request.body)),
  });
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const inbound = { ToCountry: "US", SmsMessageSid: SM, NumMedia: "0", SmsSid: SM, SmsStatus: "received", Body: "Hi there, STOP?", To: "+15005550001", NumSegments: "1", MessageSid: SM, AccountSid: ACCOUNT_SID, From: "+15005550006", ApiVersion: "2010-04-01" };
const status = (messageStatus: string, extra: Record<string, string> = {}) =>
  form({ SmsSid: SM, SmsStatus: messageStatus, MessageStatus: messageStatus, To: "+15005550006", MessageSid: SM, AccountSid: ACCOUNT_SID, From: "+15005550001", ApiVersion: "2010-04-01", ...extra });
const twiml = { status: 200, body: EMPTY_TWIML, headers: { "content-type": "text/xml" } };
const statusEvent = (s: "SENT" | "DELIVERED" | "FAILED", vendorStatus: string, errorCode?: string) => ({
  type: "status" as const, vendorMessageId: SM, status: s, vendorStatus, errorCode, errorDescription: undefined, occurredAt: undefined,
});

// Every status Twilio reports for an outbound message, in our forward-only terms.
const STATUS_WORDS = { accepted: "SENT", queued: "SENT", sending: "SENT", sent: "SENT", delivered: "DELIVERED", read: "DELIVERED", canceled: "FAILED" } as const;
const statusCases: IncomingCase[] = Object.entries(STATUS_WORDS).map(([word, mapped]) => ({
  label: `a signed "${word}" status callback becomes ${mapped}, deduped by message and status`,
  action: "status",
  request: { body: status(word) },
  sign: sign(),
  expectVerify: null,
  expectDedupeKey: `status:${SM}:${word}`,
  expectEvents: [statusEvent(mapped, word)],
  expectResponse: twiml,
}));

runVendorCases(twilioAdapter, {
  config: twilioTestConfig,
  incoming: [
    {
      label: "a signed inbound SMS becomes an inbound event, answered with empty TwiML",
      action: "inbound",
      request: { body: form(inbound) },
      sign: sign(),
      expectVerify: null,
      expectDedupeKey: `inbound:${SM}`,
      expectEvents: [{ type: "inbound", from: "+15005550006", to: "+15005550001", body: "Hi there, STOP?", media: [], vendorMessageId: SM, receivedAt: undefined }],
      expectResponse: twiml,
    },
    {
      label: "an inbound MMS carries its media URLs in order; a retry with other fields shares the dedupe key",
      action: "inbound",
      request: {
        body: form({ ...inbound, Body: "", NumMedia: "2", MediaUrl1: "https://api.twilio.com/media/ME2", MediaContentType0: "image/jpeg", MediaUrl0: "https://api.twilio.com/media/ME1", MediaContentType1: "image/png", FromCity: "SPRINGFIELD" }),
      },
      sign: sign(),
      expectVerify: null,
      expectDedupeKey: `inbound:${SM}`,
      expectEvents: [{ type: "inbound", from: "+15005550006", to: "+15005550001", body: "", media: ["https://api.twilio.com/media/ME1", "https://api.twilio.com/media/ME2"], vendorMessageId: SM, receivedAt: undefined }],
    },
    {
      label: "unknown and malformed fields we do not use are accepted and ignored",
      action: "inbound",
      request: { body: form({ ...inbound, NumSegments: "many", FromZip: "not-a-zip", AddOns: "{not json", BrandNewField2031: "x" }) },
      sign: sign(),
      expectVerify: null,
      expectEvents: [{ type: "inbound", from: "+15005550006", to: "+15005550001", body: "Hi there, STOP?", media: [], vendorMessageId: SM, receivedAt: undefined }],
    },
    {
      label: "an inbound webhook configured as GET is signed over the URL with its query",
      action: "inbound",
      request: { method: "GET", query: { MessageSid: SM, From: "+15005550006", To: "+15005550001", Body: "by GET" } },
      sign: sign(),
      expectVerify: null,
      expectEvents: [{ type: "inbound", from: "+15005550006", to: "+15005550001", body: "by GET", media: [], vendorMessageId: SM, receivedAt: undefined }],
    },
    {
      label: "a request signed with another Auth Token is refused",
      action: "inbound",
      request: { body: form(inbound) },
      sign: sign("0000000000000000000000000000beef"),
      expectVerify: /does not match/,
    },
    {
      label: "an unsigned request is refused",
      action: "inbound",
      request: { body: form(inbound) },
      expectVerify: /missing X-Twilio-Signature/,
    },
    {
      label: "a signature over another URL (the proxy's internal one) is refused",
      action: "status",
      request: { body: status("delivered") },
      sign: sign(AUTH_TOKEN, `http://10.0.0.7:3000/api/webhooks/twilio/${TEST_ACCOUNT.webhookToken}/status`),
      expectVerify: /does not match/,
    },
    {
      label: "a signature over other parameters (a tampered body) is refused",
      action: "inbound",
      request: { body: form(inbound) },
      sign: (_ctx, request) => ({ "X-Twilio-Signature": twilioSignature(AUTH_TOKEN, request.url, formParams(form({ ...inbound, Body: "original" }))) }),
      expectVerify: /does not match/,
    },
    ...statusCases,
    {
      label: "an undelivered callback is FAILED with Twilio's error code",
      action: "status",
      request: { body: status("undelivered", { ErrorCode: "30003" }) },
      sign: sign(),
      expectDedupeKey: `status:${SM}:undelivered`,
      expectEvents: [statusEvent("FAILED", "undelivered", "30003")],
      expectResponse: twiml,
    },
    {
      label: "a failed callback is FAILED with Twilio's error code",
      action: "status",
      request: { body: status("failed", { ErrorCode: "30008" }) },
      sign: sign(),
      expectEvents: [statusEvent("FAILED", "failed", "30008")],
    },
    {
      label: "a status Twilio adds later is accepted, answered, and changes nothing",
      action: "status",
      request: { body: status("partially_delivered") },
      sign: sign(),
      expectVerify: null,
      expectEvents: [],
      expectResponse: twiml,
    },
    {
      label: "a status callback URL with a query string verifies",
      action: "status",
      request: { query: { attempt: "2" }, body: status("sent") },
      sign: sign(),
      expectVerify: null,
      expectEvents: [statusEvent("SENT", "sent")],
    },
    { label: "a status callback without MessageStatus names the field", action: "status", request: { body: form({ MessageSid: SM }) }, sign: sign(), expectParseError: /MessageStatus is missing/ },
    { label: "an inbound message without MessageSid names the field", action: "inbound", request: { body: form({ From: "+15005550006", To: "+15005550001", Body: "x" }) }, sign: sign(), expectDedupeKey: null, expectParseError: /MessageSid is missing/ },
    { label: "an inbound From that is not E.164 names the field", action: "inbound", request: { body: form({ ...inbound, From: "5551234" }) }, sign: sign(), expectParseError: /From must be a phone number in E\.164/ },
    { label: "a NumMedia that is not a number names the field", action: "inbound", request: { body: form({ ...inbound, NumMedia: "two" }) }, sign: sign(), expectParseError: /NumMedia must be a whole number/ },
    { label: "a declared media URL that is missing names it", action: "inbound", request: { body: form({ ...inbound, NumMedia: "1" }) }, sign: sign(), expectParseError: /MediaUrl0 is missing/ },
    { label: "a body that is JSON, not a form, is a parse error", action: "status", request: { body: JSON.stringify({ MessageSid: SM }) }, sign: sign(), expectParseError: /missing/ },
  ],
  outgoing: [
    {
      label: "sends from a number: the exact form, basic auth and status callback; takes the sid and segments",
      message: { body: "Hello & welcome +1" },
      vendorResponses: [{ status: 201, body: JSON.stringify({ sid: SM, status: "queued", num_segments: "2", error_code: null }) }],
      expectResult: { vendorMessageIds: [SM], segments: 2 },
      expectRequests: [
        {
          method: "POST",
          path: MESSAGES_PATH,
          headers: { authorization: BASIC, "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
          body: new RegExp(`^To=%2B15005550006&From=%2B15005550001&Body=Hello\\+%26\\+welcome\\+%2B1&StatusCallback=${CALLBACK}$`),
        },
      ],
    },
    {
      label: "sends MMS through a Messaging Service: MessagingServiceSid, each MediaUrl, ValidityPeriod",
      message: { from: undefined, messagingServiceId: MG, body: "See these", mediaUrls: ["https://example.com/a.jpg", "https://example.com/b.png"], validityPeriodSeconds: 600 },
      vendorResponses: [{ status: 201, body: JSON.stringify({ sid: "MM0123456789abcdef0123456789abcdef", status: "accepted", num_segments: "0" }) }],
      expectResult: { vendorMessageIds: ["MM0123456789abcdef0123456789abcdef"], segments: undefined },
      expectRequests: [
        {
          method: "POST",
          path: MESSAGES_PATH,
          body: new RegExp(
            `^To=%2B15005550006&MessagingServiceSid=${MG}&Body=See\\+these&MediaUrl=https%3A%2F%2Fexample.com%2Fa.jpg&MediaUrl=https%3A%2F%2Fexample.com%2Fb.png&StatusCallback=${CALLBACK}&ValidityPeriod=600$`,
          ),
        },
      ],
    },
    {
      label: "with no number, the account's Messaging Service and validity period are used; media alone needs no Body",
      config: { messagingServiceSid: MG, validityPeriodSeconds: 1800 },
      message: { from: undefined, body: "", mediaUrls: ["https://example.com/a.jpg"] },
      vendorResponses: [{ status: 201, body: JSON.stringify({ sid: SM, num_segments: "1" }) }],
      expectResult: { vendorMessageIds: [SM], segments: 1 },
      expectRequests: [{ method: "POST", path: MESSAGES_PATH, body: new RegExp(`^To=%2B15005550006&MessagingServiceSid=${MG}&MediaUrl=[^&]+&StatusCallback=${CALLBACK}&ValidityPeriod=1800$`) }],
    },
    {
      label: "a validity period beyond Twilio's ceiling is sent as the ceiling, 36000 seconds",
      message: { validityPeriodSeconds: 99_999 },
      vendorResponses: [{ status: 201, body: JSON.stringify({ sid: SM }) }],
      expectRequests: [{ method: "POST", path: MESSAGES_PATH, body: /&ValidityPeriod=36000$/ }],
    },
    {
      label: "neither a number nor a Messaging Service: 21603 without asking Twilio",
      message: { from: undefined },
      expectError: { code: "21603", retryable: false, description: /From' number or a Messaging Service is required/ },
      expectRequests: [],
    },
    {
      label: "21610: the recipient opted out (STOP); not retried, and the contact is opted out",
      vendorResponses: [twilioAnswer(400, 21610, "Attempt to send to unsubscribed recipient")],
      expectError: { code: "21610", vendorCode: "21610", retryable: false, optOut: true, description: /replied STOP/ },
    },
    {
      label: "HTTP 429 with 20429 is retried",
      vendorResponses: [{ ...twilioAnswer(429, 20429, "Too Many Requests"), headers: { "retry-after": "7" } }],
      expectError: { code: "20429", retryable: true, optOut: false, description: /safe to retry/ },
    },
    {
      label: "HTTP 429 without a body is retried",
      vendorResponses: [{ status: 429, body: "" }],
      expectError: { code: "http_429", retryable: true },
    },
    {
      label: "63018, a channel rate limit, is retried",
      vendorResponses: [twilioAnswer(400, 63018, "Rate limit exceeded for Channel")],
      expectError: { code: "63018", retryable: true, description: /Rate limit/ },
    },
    {
      label: "30003 is final, with the table's description",
      vendorResponses: [twilioAnswer(400, 30003, "Unreachable destination handset")],
      expectError: { code: "30003", vendorCode: "30003", retryable: false, optOut: false, description: /^Unreachable destination handset/ },
    },
    {
      label: "a code not in our table keeps Twilio's own message, and is final",
      vendorResponses: [twilioAnswer(400, 21999, "Something new went wrong")],
      expectError: { code: "21999", retryable: false, description: /^Something new went wrong$/ },
    },
    {
      label: "401 (20003) is final and says to check the credentials",
      vendorResponses: [twilioAnswer(401, 20003, "Authenticate")],
      expectError: { code: "20003", retryable: false, description: /check the Account SID and Auth Token/ },
    },
    {
      label: "a 401 without a body is still 20003",
      vendorResponses: [{ status: 401, body: "" }],
      expectError: { code: "20003", retryable: false, description: /check the Account SID and Auth Token/ },
    },
    {
      label: "a 5xx is retried",
      vendorResponses: [{ status: 503, body: "<html>Service Unavailable</html>", headers: { "content-type": "text/html" } }],
      expectError: { code: "http_503", retryable: true, description: /HTTP 503/ },
    },
    {
      label: "a network failure is retried",
      config: { apiBaseUrl: "http://127.0.0.1:9" },
      expectError: { code: "network", retryable: true, description: /Could not reach/ },
      expectRequests: [],
    },
    {
      label: "an acceptance without a sid is final: Twilio may be sending it, so no second send",
      vendorResponses: [{ status: 201, body: "{}" }],
      expectError: { code: "bad_response", retryable: false },
    },
  ],
});

function twilioAnswer(status: number, code: number, message: string) {
  return { status, body: JSON.stringify({ code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status }) };
}
