import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runVendorCases, StubVendor, testContext } from "@/tests/helpers/vendor-harness";
import type { VendorEvent } from "../types";
import { bandwidthAdapter } from "./adapter";

const MESSAGE_ID = "11111111-1111-4111-8111-111111111111";
const config = (stubUrl: string) => ({
  accountId: "9900000",
  username: "api-user",
  password: "api-password-1",
  applicationId: "93de2206-9669-4e07-948d-329f4b722ee2",
  callbackUsername: "bw-callbacks",
  callbackPassword: "callback-secret-1",
  apiBaseUrl: `${stubUrl}/api/v2`,
});
const basic = (user: string, password: string) => () => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}` });
const signed = basic("bw-callbacks", "callback-secret-1");
const outbound = (type: string, extra: object = {}) => ({
  type,
  time: "2026-01-02T03:04:05.000Z",
  description: "ok",
  to: "+15005550006",
  message: { id: "1589228074636lm4k2je7j7jklbn2", owner: "+15005550001", applicationId: "93de2206", time: "2026-01-02T03:04:00.000Z", segmentCount: 1, direction: "out", to: ["+15005550006"], from: "+15005550001", text: "", media: [], tag: MESSAGE_ID },
  ...extra,
});
const MEDIA = "https://messaging.bandwidth.com/api/v2/users/9900000/media/14762070468292kw2fuqty55yp2b2";
const received = {
  type: "message-received",
  time: "2026-01-02T03:04:05.000Z",
  description: "Incoming message received",
  to: "+15005550001",
  carrierName: "a field Bandwidth added later",
  message: { id: "14762070468292kw2fuqty55yp2b2", owner: "+15005550001", direction: "in", to: ["+15005550001"], from: "+15005550006", text: "STOP <b>now</b>", media: [`${MEDIA}/0/pic.jpg`, `${MEDIA}/1/0.smil`], segmentCount: 1 },
};
const status = (vendorStatus: string, extra: object = {}) =>
  ({ type: "status", vendorMessageId: "1589228074636lm4k2je7j7jklbn2", vendorStatus, errorCode: undefined, errorDescription: undefined, occurredAt: new Date("2026-01-02T03:04:05.000Z"), messageId: MESSAGE_ID, ...extra }) as VendorEvent;
const body = (...events: object[]) => JSON.stringify(events);

runVendorCases(bandwidthAdapter, {
  config,
  incoming: [
    {
      label: "a delivered callback with the application's basic auth is DELIVERED, routed by its tag",
      action: "callbacks",
      request: { body: body(outbound("message-delivered")) },
      sign: signed,
      expectVerify: null,
      expectDedupeKey: "callbacks:message-delivered:1589228074636lm4k2je7j7jklbn2:+15005550006",
      expectEvents: [status("message-delivered", { status: "DELIVERED" })],
      expectResponse: { status: 200, body: "" },
    },
    { label: "message-sending is SENT", action: "callbacks", request: { body: body(outbound("message-sending")) }, sign: signed, expectEvents: [status("message-sending", { status: "SENT" })] },
    {
      label: "message-failed carries Bandwidth's code and its table's description",
      action: "callbacks",
      request: { body: body(outbound("message-failed", { errorCode: 4720, description: "invalid-destination-address" })) },
      sign: signed,
      expectEvents: [status("message-failed", { status: "FAILED", errorCode: "4720", errorDescription: expect.stringMatching(/invalid/) })],
    },
    {
      label: "a failure code missing from the table keeps Bandwidth's own description",
      action: "callbacks",
      request: { body: body(outbound("message-failed", { errorCode: 4999, description: "something new" })) },
      sign: signed,
      expectEvents: [status("message-failed", { status: "FAILED", errorCode: "4999", errorDescription: "something new" })],
    },
    {
      label: "an inbound message keeps its text and media, without the SMIL layout, and ignores new fields",
      action: "callbacks",
      request: { body: body(received) },
      sign: signed,
      expectDedupeKey: "callbacks:message-received:14762070468292kw2fuqty55yp2b2:+15005550001",
      expectEvents: [{ type: "inbound", from: "+15005550006", to: "+15005550001", body: "STOP <b>now</b>", media: [`${MEDIA}/0/pic.jpg`], vendorMessageId: "14762070468292kw2fuqty55yp2b2", receivedAt: new Date("2026-01-02T03:04:05.000Z") }],
      expectResponse: { status: 200, body: "" },
    },
    {
      label: "one callback may carry several events; unknown event types are ignored",
      action: "callbacks",
      request: { body: body(outbound("message-delivered"), outbound("message-read"), received) },
      sign: signed,
      expectDedupeKey:
        "callbacks:message-delivered:1589228074636lm4k2je7j7jklbn2:+15005550006,message-read:1589228074636lm4k2je7j7jklbn2:+15005550006,message-received:14762070468292kw2fuqty55yp2b2:+15005550001",
      expectEvents: [status("message-delivered", { status: "DELIVERED" }), expect.objectContaining({ type: "inbound", vendorMessageId: "14762070468292kw2fuqty55yp2b2" })],
    },
    {
      label: "a retry of the same callback, spaced differently, has the same dedupe key",
      action: "callbacks",
      request: { body: JSON.stringify([outbound("message-delivered")], null, 2) },
      sign: signed,
      expectDedupeKey: "callbacks:message-delivered:1589228074636lm4k2je7j7jklbn2:+15005550006",
    },
    {
      label: "a tag that is not one of our ids is not taken for one",
      action: "callbacks",
      request: { body: body({ ...outbound("message-delivered"), message: { ...outbound("").message, tag: "test message" } }) },
      sign: signed,
      expectEvents: [status("message-delivered", { status: "DELIVERED", messageId: undefined })],
    },
    { label: "wrong callback credentials are refused", action: "callbacks", request: { body: body(outbound("message-delivered")) }, sign: basic("bw-callbacks", "guessed-password"), expectVerify: /does not match/ },
    { label: "the scheme's case does not matter", action: "callbacks", request: { headers: { authorization: `basic ${Buffer.from("bw-callbacks:callback-secret-1").toString("base64")}` }, body: body(outbound("message-delivered")) }, expectVerify: null },
    { label: "a bearer token is not basic auth", action: "callbacks", request: { headers: { authorization: "Bearer abc" }, body: body(outbound("message-delivered")) }, expectVerify: /not HTTP Basic/ },
    { label: "a callback without credentials is refused", action: "callbacks", request: { body: body(outbound("message-delivered")) }, expectVerify: /missing Authorization/ },
    {
      label: "until callback credentials are set, every callback is refused",
      action: "callbacks",
      config: { callbackUsername: undefined, callbackPassword: undefined },
      request: { body: body(outbound("message-delivered")) },
      sign: signed,
      expectVerify: /no callback username and password/,
    },
    { label: "a body that is not JSON is a parse error", action: "callbacks", request: { body: "type=message-delivered" }, sign: signed, expectParseError: /not JSON/, expectDedupeKey: null },
    { label: "an empty array is a parse error", action: "callbacks", request: { body: "[]" }, sign: signed, expectParseError: /empty/ },
    {
      label: "an event without a message id names the field",
      action: "callbacks",
      request: { body: body(outbound("message-delivered"), { type: "message-delivered", message: { from: "+15005550001" } }) },
      sign: signed,
      expectParseError: /^1\.message\.id: /,
    },
    {
      label: "an inbound message without a sender names the field",
      action: "callbacks",
      request: { body: body({ ...received, message: { ...received.message, from: undefined } }) },
      sign: signed,
      expectParseError: /message\.from: missing/,
    },
  ],
  outgoing: [
    {
      label: "a send names the application, tags our id and returns Bandwidth's id and segments",
      vendorResponses: [{ status: 202, body: JSON.stringify({ id: "1589228074636lm4k2je7j7jklbn2", owner: "+15005550001", time: "2026-01-02T03:04:05.000Z", segmentCount: 1, direction: "out", to: ["+15005550006"], from: "+15005550001", tag: MESSAGE_ID }) }],
      expectResult: { vendorMessageIds: ["1589228074636lm4k2je7j7jklbn2"], segments: 1 },
      expectRequests: [
        {
          method: "POST",
          path: "/api/v2/users/9900000/messages",
          headers: { authorization: `Basic ${Buffer.from("api-user:api-password-1").toString("base64")}`, "content-type": "application/json; charset=utf-8" },
          body: JSON.stringify({ applicationId: "93de2206-9669-4e07-948d-329f4b722ee2", to: ["+15005550006"], from: "+15005550001", text: "Hello from the harness", tag: MESSAGE_ID }),
        },
      ],
    },
    {
      label: "MMS media and a validity period travel as media and expiration",
      message: { mediaUrls: ["https://example.test/a.jpg"], validityPeriodSeconds: 600 },
      vendorResponses: [{ status: 202, body: JSON.stringify({ id: "BW-MMS-1", segmentCount: 1 }) }],
      expectResult: { vendorMessageIds: ["BW-MMS-1"], segments: 1 },
      expectRequests: [{ method: "POST", path: "/api/v2/users/9900000/messages", body: (sent) => expect(JSON.parse(sent)).toMatchObject({ media: ["https://example.test/a.jpg"], expiration: "2026-01-02T03:14:05.000Z" }) }],
    },
    {
      label: "a request Bandwidth refuses as invalid fails for good, in Bandwidth's words",
      vendorResponses: [
        {
          status: 400,
          body: JSON.stringify({ type: "request-validation", description: "Your request could not be accepted", fieldErrors: [{ fieldName: "to", description: "'+1500' must be replaced with a valid E164 formatted telephone number" }] }),
        },
      ],
      expectError: { code: "http_400", vendorCode: "request-validation", retryable: false, description: /could not be accepted; to: '\+1500' must be replaced with a valid E164/ },
    },
    {
      label: "refused credentials fail for good",
      vendorResponses: [{ status: 401, body: JSON.stringify({ type: "unauthorized", description: "Authentication Failed" }) }],
      expectError: { code: "http_401", retryable: false, description: /username or password.*Authentication Failed/ },
    },
    { label: "429 is retried", vendorResponses: [{ status: 429, headers: { "retry-after": "5" }, body: JSON.stringify({ type: "too-many-requests", description: "slow down" }) }], expectError: { code: "http_429", retryable: true } },
    { label: "an outage is retried", vendorResponses: [{ status: 503, body: "Service Unavailable" }], expectError: { code: "http_503", retryable: true } },
    { label: "an accepted send whose answer has no id is not retried: it may be delivered", vendorResponses: [{ status: 202, body: "<html>ok</html>" }], expectError: { code: "bandwidth-unreadable", retryable: false } },
    { label: "a send without a From number is refused before calling Bandwidth", message: { from: undefined, messagingServiceId: "MG1" }, expectError: { code: "bandwidth-no-sender", retryable: false }, expectRequests: [] },
  ],
});

describe("bandwidth: credentials and errors", () => {
  const stub = new StubVendor();
  beforeAll(() => stub.start());
  afterAll(() => stub.stop());

  it("tests the connection by listing one message, with the API user", async () => {
    stub.reset([{ status: 200, body: JSON.stringify({ totalCount: 0, pageInfo: {}, messages: [] }) }]);
    const result = await bandwidthAdapter.verifyCredentials(testContext(bandwidthAdapter, config(stub.url), stub.url) as never);
    expect(result).toEqual({ ok: true, detail: "Bandwidth accepted the API user for account 9900000." });
    expect(stub.requests).toMatchObject([{ method: "GET", path: "/api/v2/users/9900000/messages?limit=1", headers: { authorization: `Basic ${Buffer.from("api-user:api-password-1").toString("base64")}` } }]);
  });

  it.each([
    [401, /refused the API username or password/],
    [403, /may not use the Messaging API/],
    [404, /does not know account 9900000/],
    [500, /answered 500: unauthorized: Authentication Failed/],
  ])("says in words what a %i means", async (code, detail) => {
    stub.reset([{ status: code, body: JSON.stringify({ type: "unauthorized", description: "Authentication Failed" }) }]);
    const result = await bandwidthAdapter.verifyCredentials(testContext(bandwidthAdapter, config(stub.url), stub.url) as never);
    expect(result.ok).toBe(false);
    expect(result.detail).toMatch(detail);
  });

  it("knows its error table: 4775 opts out, 5xxx may be retried, links go to Bandwidth's docs", () => {
    expect(bandwidthAdapter.errorDescription("4775")).toMatchObject({ code: "4775", optOut: true, retryable: false });
    expect(bandwidthAdapter.errorDescription("5620")).toMatchObject({ retryable: true, link: "https://dev.bandwidth.com/docs/messaging/errors" });
    expect(bandwidthAdapter.errorDescription("9902")?.description).toMatch(/delivery receipt/);
    expect(bandwidthAdapter.errorDescription("1234")).toBeUndefined();
  });

  it("is fully configured only once callback credentials are set", () => {
    const parsed = bandwidthAdapter.configSchema.parse(config("http://127.0.0.1:9"));
    expect(bandwidthAdapter.fullyConfigured(parsed)).toBe(true);
    expect(bandwidthAdapter.fullyConfigured({ ...parsed, callbackPassword: undefined })).toBe(false);
    expect(bandwidthAdapter.configSchema.parse({ ...config(""), apiBaseUrl: undefined }).apiBaseUrl).toBe("https://messaging.bandwidth.com/api/v2");
  });
});
