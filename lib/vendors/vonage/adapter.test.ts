import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runVendorCases, StubVendor, testContext, type IncomingCase } from "@/tests/helpers/vendor-harness";
import type { VendorEvent } from "../types";
import { vonageAdapter } from "./adapter";
import { signVonageParams } from "./webhooks";

const MESSAGE_ID = "11111111-1111-4111-8111-111111111111";
const config = (stubUrl: string) => ({ apiKey: "abcd1234", apiSecret: "vonage-secret-1", apiBaseUrl: stubUrl });
const inbound = { msisdn: "15005550006", to: "15005550001", messageId: "0A0000001234567B", text: "Hello 👋 & welcome", type: "unicode", keyword: "HELLO", "api-key": "abcd1234", "message-timestamp": "2026-01-02 03:04:05" };
const inboundEvent = (extra: object = {}) =>
  ({ type: "inbound", from: "+15005550006", to: "+15005550001", body: "Hello 👋 & welcome", media: [], vendorMessageId: "0A0000001234567B", receivedAt: new Date("2026-01-02T03:04:05.000Z"), parts: undefined, ...extra }) as VendorEvent;
const dlr = { msisdn: "15005550006", to: "15005550001", "network-code": "310004", messageId: "0A0000000123ABCD1", price: "0.00570000", status: "delivered", scts: "2601020304", "err-code": "0", "api-key": "abcd1234", "client-ref": MESSAGE_ID, "message-timestamp": "2026-01-02 03:04:05" };
const statusEvent = (status: string, vendorStatus: string, extra: object = {}) =>
  ({ type: "status", vendorMessageId: "0A0000000123ABCD1", status, vendorStatus, errorCode: undefined, errorDescription: undefined, occurredAt: new Date("2026-01-02T03:04:05.000Z"), messageId: MESSAGE_ID, ...extra }) as VendorEvent;
const form = (params: Record<string, string>) => new URLSearchParams(params).toString();
const sent = (check: (params: Record<string, string>) => void) => (body: string) => check(Object.fromEntries(new URLSearchParams(body)));
const accepted = (...ids: string[]) => [{ status: 200, body: JSON.stringify({ "message-count": String(ids.length), messages: ids.map((id) => ({ "message-id": id, status: "0" })) }) }];
const refused = (...parts: object[]) => [{ status: 200, body: JSON.stringify({ "message-count": String(parts.length), messages: parts }) }];

// Vonage's own Ruby SDK signature tests: the same parameters signed with each method.
const RUBY_SDK_PARAMS = { "message-timestamp": "2013-11-21 15:27:30", messageId: "020000001B0FE827", msisdn: "14843472194", text: "Test again", timestamp: "1385047698", to: "13239877404", type: "text" };
const RUBY_SDK_SIGNATURES = {
  md5hash: "d2e7b1dc968737c5998ad624e02f90b7",
  md5: "DDEBD46008C2D4E93CCE578A332A52D5",
  sha1: "27D0D05C2876C7CB1720DBCDBA4D492E1E55C09A",
  sha256: "DDB8397C2B90AAC7F3882D306475C9A5058C92322EEF43C92B298B6E0FC0D330",
  sha512: "E0D3C650F8C9D1A5C174D10DDDBFB003E561F59B265616208B0487C5D819481CD3C311D59CF6165ECD1139622D5BA3A256C0D763AC4A9AD9144B5A426B94FE82",
} as const;
const rubySdkSecret = (method: string) => ({ signatureSecret: "my_secret_key_for_testing", signatureMethod: method });
const signedCases: IncomingCase[] = Object.entries(RUBY_SDK_SIGNATURES).map(([method, sig]) => ({
  label: `a webhook signed with ${method} as Vonage signs it verifies`,
  action: "inbound",
  config: rubySdkSecret(method),
  request: { method: "GET", query: { ...RUBY_SDK_PARAMS, sig } },
  expectVerify: null,
  expectEvents: [{ type: "inbound", from: "+14843472194", to: "+13239877404", body: "Test again", media: [], vendorMessageId: "020000001B0FE827", receivedAt: new Date("2013-11-21T15:27:30.000Z"), parts: undefined }],
}));
const signed = { signatureSecret: "a-signature-secret", signatureMethod: "sha256" };
const signedDlr = { ...dlr, timestamp: "1767323045", nonce: "7b1f7a0e-0f0d-4f55-9d8c-0e4f1c1f5a11" };

runVendorCases(vonageAdapter, {
  config,
  incoming: [
    {
      label: "an inbound message by GET becomes an inbound event, numbers with their +",
      action: "inbound",
      request: { method: "GET", query: inbound },
      expectVerify: null,
      expectDedupeKey: "inbound:0A0000001234567B",
      expectEvents: [inboundEvent()],
      expectResponse: { status: 200, body: "" },
    },
    { label: "an inbound message by form POST reads the same", action: "inbound", request: { headers: { "content-type": "application/x-www-form-urlencoded" }, body: form(inbound) }, expectEvents: [inboundEvent()] },
    {
      label: "an inbound message by JSON POST reads the same, ignoring fields Vonage adds",
      action: "inbound",
      request: { headers: { "content-type": "application/json" }, body: JSON.stringify({ ...inbound, "brand-new": { nested: true }, retries: 2 }) },
      expectDedupeKey: "inbound:0A0000001234567B",
      expectEvents: [inboundEvent()],
    },
    {
      label: "a part of a long message says which part of which it is, for lib/messaging to join",
      action: "inbound",
      request: { method: "GET", query: { ...inbound, concat: "true", "concat-ref": "108", "concat-total": "3", "concat-part": "2" } },
      expectEvents: [inboundEvent({ parts: { ref: "108", total: 3, index: 2 } })],
    },
    {
      label: "a part whose numbers make no sense is kept as a message of its own",
      action: "inbound",
      request: { method: "GET", query: { ...inbound, concat: "true", "concat-ref": "108", "concat-total": "3", "concat-part": "9" } },
      expectEvents: [inboundEvent()],
    },
    { label: "a binary message is accepted and ignored", action: "inbound", request: { method: "GET", query: { ...inbound, type: "binary", text: "", data: "0B05040B8423F0" } }, expectEvents: [], expectResponse: { status: 200 } },
    { label: "an inbound message without a sender names the field", action: "inbound", request: { method: "GET", query: { ...inbound, msisdn: "" } }, expectParseError: /^msisdn: missing/ },
    { label: "a sender that is not a number names the field", action: "inbound", request: { method: "GET", query: { ...inbound, msisdn: "VONAGE" } }, expectParseError: /^msisdn: not a phone number/ },
    { label: "a JSON POST that is not JSON is a parse error", action: "inbound", request: { headers: { "content-type": "application/json" }, body: "{msisdn:" }, expectParseError: /not JSON/, expectDedupeKey: null },
    ...signedCases,
    {
      label: "HMAC signatures are compared without regard to case",
      action: "inbound",
      config: rubySdkSecret("sha1"),
      request: { method: "GET", query: { ...RUBY_SDK_PARAMS, sig: RUBY_SDK_SIGNATURES.sha1.toLowerCase() } },
      expectVerify: null,
    },
    {
      label: "a signature made with another method is refused",
      action: "inbound",
      config: rubySdkSecret("sha256"),
      request: { method: "GET", query: { ...RUBY_SDK_PARAMS, sig: RUBY_SDK_SIGNATURES.md5hash } },
      expectVerify: /sig does not match the parameters \(sha256\)/,
    },
    {
      label: "a signed message whose text was changed is refused",
      action: "inbound",
      config: rubySdkSecret("md5hash"),
      request: { method: "GET", query: { ...RUBY_SDK_PARAMS, text: "Send money", sig: RUBY_SDK_SIGNATURES.md5hash } },
      expectVerify: /sig does not match/,
    },
    { label: "with a signature secret set, an unsigned webhook is refused", action: "status", config: signed, request: { method: "GET", query: dlr }, expectVerify: /missing sig parameter/ },
    {
      label: "a signed JSON delivery receipt verifies over its fields",
      action: "status",
      config: signed,
      request: { headers: { "content-type": "application/json" }, body: JSON.stringify({ ...signedDlr, sig: signVonageParams(signedDlr, "a-signature-secret", "sha256") }) },
      expectVerify: null,
      expectEvents: [statusEvent("DELIVERED", "delivered")],
    },
    {
      label: "a delivered receipt is DELIVERED and names our message by client-ref",
      action: "status",
      request: { method: "GET", query: dlr },
      expectVerify: null,
      expectDedupeKey: "dlr:0A0000000123ABCD1:delivered:0",
      expectEvents: [statusEvent("DELIVERED", "delivered")],
      expectResponse: { status: 200, body: "" },
    },
    { label: "accepted is SENT", action: "status", request: { method: "GET", query: { ...dlr, status: "accepted" } }, expectDedupeKey: "dlr:0A0000000123ABCD1:accepted:0", expectEvents: [statusEvent("SENT", "accepted")] },
    { label: "buffered is SENT", action: "status", request: { body: form({ ...dlr, status: "buffered" }) }, expectEvents: [statusEvent("SENT", "buffered")] },
    {
      label: "failed with err-code 9 is FAILED as opted out",
      action: "status",
      request: { method: "GET", query: { ...dlr, status: "failed", "err-code": "9" } },
      expectEvents: [statusEvent("FAILED", "failed", { errorCode: "dlr-9", errorDescription: expect.stringMatching(/asked not to receive/) })],
    },
    {
      label: "rejected is FAILED with the receipt's code",
      action: "status",
      request: { method: "GET", query: { ...dlr, status: "rejected", "err-code": "6" } },
      expectEvents: [statusEvent("FAILED", "rejected", { errorCode: "dlr-6", errorDescription: expect.stringMatching(/spam/) })],
    },
    {
      label: "expired without a code is FAILED in Vonage's word",
      action: "status",
      request: { method: "GET", query: { ...dlr, status: "expired", "err-code": "" } },
      expectEvents: [statusEvent("FAILED", "expired", { errorDescription: "Vonage reported the message expired." })],
    },
    { label: "unknown, and statuses Vonage adds later, are accepted and ignored", action: "status", request: { method: "GET", query: { ...dlr, status: "unknown" } }, expectEvents: [], expectResponse: { status: 200 } },
    { label: "a client-ref that is not one of our ids is not taken for one", action: "status", request: { method: "GET", query: { ...dlr, "client-ref": "campaign-7" } }, expectEvents: [statusEvent("DELIVERED", "delivered", { messageId: undefined })] },
    { label: "a receipt without a messageId names the field", action: "status", request: { method: "GET", query: { ...dlr, messageId: "" } }, expectParseError: /^messageId: missing/, expectDedupeKey: null },
  ],
  outgoing: [
    {
      label: "a GSM-7 text goes as type text, to digits without +, with our id as client-ref and our status URL",
      vendorResponses: [{ status: 200, body: JSON.stringify({ "message-count": "1", messages: [{ to: "15005550006", "message-id": "0A0000000123ABCD1", status: "0", "remaining-balance": "3.14", "message-price": "0.0057", network: "310004" }] }) }],
      expectResult: { vendorMessageIds: ["0A0000000123ABCD1"], segments: 1 },
      expectRequests: [
        {
          method: "POST",
          path: "/sms/json",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: sent((params) =>
            expect(params).toEqual({
              api_key: "abcd1234",
              api_secret: "vonage-secret-1",
              from: "15005550001",
              to: "15005550006",
              text: "Hello from the harness",
              type: "text",
              "status-report-req": "1",
              callback: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/api\/webhooks\/vonage\/wh_testtoken\/status$/),
              "client-ref": MESSAGE_ID,
            }),
          ),
        },
      ],
    },
    {
      label: "GSM extension characters stay text; an alphanumeric sender goes as it is",
      message: { body: "Price: {5€} [ok]", from: "AcmeInc" },
      vendorResponses: accepted("V1"),
      expectRequests: [{ method: "POST", path: "/sms/json", body: sent((params) => expect(params).toMatchObject({ type: "text", from: "AcmeInc", text: "Price: {5€} [ok]" })) }],
    },
    {
      label: "a text outside GSM-7 goes as unicode; a validity period as ttl in milliseconds",
      message: { body: "Привет 👋", validityPeriodSeconds: 600 },
      vendorResponses: accepted("V2"),
      expectRequests: [{ method: "POST", path: "/sms/json", body: sent((params) => expect(params).toMatchObject({ type: "unicode", text: "Привет 👋", ttl: "600000" })) }],
    },
    { label: "a message Vonage splits returns every part's id", message: { body: "x".repeat(400) }, vendorResponses: accepted("P1", "P2", "P3"), expectResult: { vendorMessageIds: ["P1", "P2", "P3"], segments: 3 } },
    {
      label: "status 1 (throttled) is retried",
      vendorResponses: refused({ status: "1", "error-text": "Throughput Rate Exceeded - please wait [ 1000 ] and retry" }),
      expectError: { code: "send-1", vendorCode: "send-1", retryable: true, description: /Throughput Rate Exceeded/ },
    },
    { label: "status 4 (bad credentials) fails for good", vendorResponses: refused({ status: "4", "error-text": "Bad Credentials" }), expectError: { code: "send-4", retryable: false, description: /Bad Credentials/ } },
    { label: "status 29 (demo account) fails for good", vendorResponses: refused({ status: "29", "error-text": "Non White-listed Destination - rejected" }), expectError: { code: "send-29", retryable: false, description: /White-listed/ } },
    {
      label: "a throttled later part is not retried: the first parts went out",
      message: { body: "x".repeat(400) },
      vendorResponses: refused({ "message-id": "P1", status: "0" }, { status: "1", "error-text": "Throughput Rate Exceeded" }),
      expectError: { code: "vonage-partial-send", retryable: false, description: /accepted 1 of 2 parts.*send-1: Throughput Rate Exceeded/ },
    },
    { label: "an outage is retried", vendorResponses: [{ status: 503, body: "Service Unavailable" }], expectError: { code: "http_503", retryable: true } },
    { label: "an answer that is not the SMS API's is not retried: it may have sent", vendorResponses: [{ status: 200, body: "<html></html>" }], expectError: { code: "vonage-unreadable", retryable: false } },
    { label: "media is refused before calling Vonage", message: { mediaUrls: ["https://example.test/a.jpg"] }, expectError: { code: "vonage-no-mms", retryable: false }, expectRequests: [] },
    { label: "a send without a sender is refused before calling Vonage", message: { from: undefined, messagingServiceId: "MG1" }, expectError: { code: "vonage-no-sender" }, expectRequests: [] },
  ],
});

describe("vonage: credentials and errors", () => {
  const stub = new StubVendor();
  beforeAll(() => stub.start());
  afterAll(() => stub.stop());

  it("tests the connection by asking for the balance", async () => {
    stub.reset([{ status: 200, body: JSON.stringify({ value: 10.28, autoReload: false }) }]);
    const result = await vonageAdapter.verifyCredentials(testContext(vonageAdapter, config(stub.url), stub.url) as never);
    expect(result).toEqual({ ok: true, detail: "Vonage accepted the API key abcd1234; the account balance is 10.28 EUR." });
    expect(stub.requests).toMatchObject([{ method: "GET", path: "/account/get-balance?api_key=abcd1234&api_secret=vonage-secret-1" }]);
  });

  it("says in words when the key or secret is refused", async () => {
    stub.reset([{ status: 401, body: JSON.stringify({ "error-code": "401", "error-code-label": "authentication failed" }) }]);
    const result = await vonageAdapter.verifyCredentials(testContext(vonageAdapter, config(stub.url), stub.url) as never);
    expect(result).toMatchObject({ ok: false, detail: expect.stringMatching(/refused the API key or secret/) });
  });

  it("signs as Vonage's SDKs do: & and = in values become _", () => {
    expect(signVonageParams({ a: "1", b: "2", timestamp: "1461605396" }, "secret", "md5hash")).toBe("6af838ef94998832dbfc29020b564830");
    for (const k of ["_", "&", "="]) expect(signVonageParams({ k, sig: "ignored" }, "my_secret_key_for_testing", "md5hash")).toBe("c3d6a686ab9c7e7408bb1c0506e9629a");
  });

  it("keeps send statuses and receipt codes apart in its error table", () => {
    expect(vonageAdapter.errorDescription("send-1")).toMatchObject({ retryable: true, link: "https://developer.vonage.com/en/api-errors/sms" });
    expect(vonageAdapter.errorDescription("dlr-9")).toMatchObject({ optOut: true });
    expect(vonageAdapter.errorDescription("dlr-1")?.description).toMatch(/Unknown/);
    expect(vonageAdapter.errorDescription("9")).toBeUndefined();
  });
});
