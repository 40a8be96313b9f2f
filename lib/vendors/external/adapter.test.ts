import { describe, expect, it } from "vitest";
import { runVendorCases, StubVendor, TEST_ACCOUNT, testContext } from "@/tests/helpers/vendor-harness";
import type { VendorEvent } from "../types";
import { externalAdapter } from "./adapter";

const MESSAGE_ID = "11111111-1111-4111-8111-111111111111";
const OUR = "+15005550001";
const TRICKY = 'He said "hi" & <b>\nbye 👋';
const json = (data: unknown) => [{ status: 200, body: JSON.stringify(data) }];
const form = (params: Record<string, string>) => new URLSearchParams(params).toString();
const inbound = (extra: object = {}) =>
  ({
    type: "inbound",
    from: "+250788123123",
    to: OUR,
    body: "Love is patient. Love is kind.",
    media: [],
    receivedAt: undefined,
    ...extra,
  }) as VendorEvent;
const status = (s: "SENT" | "DELIVERED" | "FAILED", vendorStatus: string, extra: object = {}) =>
  ({
    type: "status",
    vendorMessageId: MESSAGE_ID,
    status: s,
    vendorStatus,
    errorDescription: undefined,
    messageId: MESSAGE_ID,
    ...extra,
  }) as VendorEvent;
const seedReceive = { from: "+250788123123", text: "Love is patient. Love is kind.", date: "2012-04-23T18:25:43.511Z" };
const formHeaders = { "content-type": "application/x-www-form-urlencoded" };
const jsonHeaders = { "content-type": "application/json" };
const words = "The quick brown fox jumps over the lazy dog and keeps running far past the old red barn at dawn";

// The stub gateway's URL, for cases that set a send URL of their own (read when the case runs).
let stub = "";

runVendorCases(externalAdapter, {
  config: (stubUrl) => {
    stub = stubUrl;
    return { number: OUR, sendUrl: `${stubUrl}/send` };
  },
  incoming: [
    {
      label: "the seed's receive, a form POST with from, text and date, is an inbound text to our number",
      action: "receive",
      request: { headers: formHeaders, body: form(seedReceive) },
      expectVerify: null,
      expectDedupeKey: null,
      expectEvents: [inbound({ receivedAt: new Date("2012-04-23T18:25:43.511Z") })],
      expectResponse: { status: 200, body: '{"message":"Message Accepted"}', headers: { "content-type": "application/json" } },
    },
    {
      label: "a receive by GET reads the query, with courier's sender for from",
      action: "receive",
      request: { method: "GET", query: { sender: "+250788123123", text: "Love is patient. Love is kind." } },
      expectEvents: [inbound()],
    },
    {
      label: "a receive by JSON reads the same; a to, when sent, is believed",
      action: "receive",
      request: { headers: jsonHeaders, body: JSON.stringify({ ...seedReceive, to: "+15005550002", extra: { nested: 1 } }) },
      expectEvents: [inbound({ to: "+15005550002", receivedAt: new Date("2012-04-23T18:25:43.511Z") })],
    },
    {
      label: "a date with an offset and nanoseconds, as Go writes RFC 3339, is read; courier's time is taken for date",
      action: "receive",
      request: { method: "GET", query: { from: "+250788123123", text: "x", time: "2017-06-23T14:30:00.500000000+02:00" } },
      expectEvents: [inbound({ body: "x", receivedAt: new Date("2017-06-23T12:30:00.500Z") })],
    },
    {
      label: "digits without the + are read as international; national numbers in the org's country",
      action: "receive",
      request: { method: "GET", query: { from: "250788123123", to: "(500) 555-0001", text: "" } },
      expectEvents: [inbound({ body: "", to: OUR })],
    },
    {
      label: "a receive without from names the field",
      action: "receive",
      request: { headers: formHeaders, body: form({ text: "hello" }) },
      expectParseError: /^from: missing \(the sender's phone number\)$/,
    },
    {
      label: "a from that is not a number names the field",
      action: "receive",
      request: { method: "GET", query: { from: "MTN", text: "Join" } },
      expectParseError: /^from: not a phone number/,
    },
    {
      label: "a date that is not ISO 8601 names the field",
      action: "receive",
      request: { method: "GET", query: { from: "+250788123123", text: "Join", date: "20170623T123000Z" } },
      expectParseError: /^date: not an ISO 8601 date and time, like 2012-04-23T18:25:43.511Z$/,
    },
    {
      label: "a day the month does not have is refused, not rolled over",
      action: "receive",
      request: { method: "GET", query: { from: "+250788123123", text: "Join", date: "2017-02-30T12:30:00Z" } },
      expectParseError: /^date: not an ISO 8601/,
    },
    {
      label: "a date without a zone is refused: it would be read in the server's",
      action: "receive",
      request: { method: "GET", query: { ...seedReceive, date: "2017-06-23T12:30:00" } },
      expectParseError: /^date:/,
    },
    {
      label: "a JSON body that is not JSON is a parse error",
      action: "receive",
      request: { headers: jsonHeaders, body: "{from:" },
      expectParseError: /body is not JSON/,
    },
    {
      label: "a multipart body says what to send instead",
      action: "receive",
      request: { headers: { "content-type": "multipart/form-data; boundary=x" }, body: "--x\r\n" },
      expectParseError: /multipart\/form-data is not taken/,
    },
    {
      label: "delivered by GET with our id is DELIVERED, found by our id",
      action: "delivered",
      request: { method: "GET", query: { id: MESSAGE_ID } },
      expectVerify: null,
      expectDedupeKey: `delivered:${MESSAGE_ID}`,
      expectEvents: [status("DELIVERED", "delivered")],
      expectResponse: { status: 200, body: '{"message":"Status Update Accepted"}' },
    },
    {
      label: "sent by form POST is SENT",
      action: "sent",
      request: { headers: formHeaders, body: form({ id: MESSAGE_ID }) },
      expectDedupeKey: `sent:${MESSAGE_ID}`,
      expectEvents: [status("SENT", "sent")],
    },
    {
      label: "failed by JSON POST is FAILED, in words",
      action: "failed",
      request: { headers: jsonHeaders, body: JSON.stringify({ id: MESSAGE_ID }) },
      expectEvents: [status("FAILED", "failed", { errorDescription: "The gateway reported that the message failed." })],
    },
    {
      label: "courier's uuid is taken for id",
      action: "delivered",
      request: { method: "GET", query: { uuid: MESSAGE_ID } },
      expectEvents: [status("DELIVERED", "delivered")],
    },
    {
      label: "an id that is the gateway's own is looked up as the vendor's id, not taken for ours",
      action: "delivered",
      request: { method: "GET", query: { id: "GW-77" } },
      expectEvents: [status("DELIVERED", "delivered", { vendorMessageId: "GW-77", messageId: undefined })],
    },
    {
      label: "a status without an id names the field",
      action: "delivered",
      request: { method: "GET", query: {} },
      expectDedupeKey: null,
      expectParseError: /^id: missing/,
    },
    {
      label: "with a secret set, a call without it is refused",
      action: "receive",
      config: { secret: "gateway-secret-1" },
      request: { headers: formHeaders, body: form(seedReceive) },
      expectVerify: /^missing secret/,
    },
    {
      label: "with a secret set, a wrong one is refused",
      action: "delivered",
      config: { secret: "gateway-secret-1" },
      request: { method: "GET", query: { id: MESSAGE_ID, secret: "gateway-secret-2" } },
      expectVerify: /the secret does not match/,
    },
    {
      label: "the secret is taken from the X-Secret header",
      action: "receive",
      config: { secret: "gateway-secret-1" },
      request: { headers: { ...formHeaders, "X-Secret": "gateway-secret-1" }, body: form(seedReceive) },
      expectVerify: null,
      expectEvents: [inbound({ receivedAt: new Date("2012-04-23T18:25:43.511Z") })],
    },
    {
      label: "the secret is taken from a secret parameter, in the query or the body",
      action: "delivered",
      config: { secret: "gateway-secret-1" },
      request: { headers: jsonHeaders, body: JSON.stringify({ id: MESSAGE_ID, secret: "gateway-secret-1" }) },
      expectVerify: null,
    },
  ],
  outgoing: [
    {
      label: "by default, a JSON POST exactly as the seed shows it, our id as the gateway's",
      vendorResponses: json({ ok: true }),
      expectResult: { vendorMessageIds: [MESSAGE_ID] },
      expectRequests: [
        {
          method: "POST",
          path: "/send",
          headers: { "content-type": "application/json" },
          body: `{ "id": "${MESSAGE_ID}", "text": "Hello from the harness", "to": "+15005550006", "to_no_plus": "15005550006", "from": "+15005550001", "from_no_plus": "15005550001", "channel": "${TEST_ACCOUNT.id}" }`,
        },
      ],
    },
    {
      label: "JSON escapes quotes, newlines and keeps emoji; a variable inside a string is escaped without quotes",
      config: { bodyTemplate: '{"msg": "Text: {{text}}", "to": {{to_no_plus}}, "raw": {{text}}}' },
      message: { body: TRICKY },
      expectRequests: [
        {
          method: "POST",
          path: "/send",
          body: (body) => {
            expect(body).toBe(
              String.raw`{"msg": "Text: He said \"hi\" & <b>\nbye 👋", "to": "15005550006", "raw": "He said \"hi\" & <b>\nbye 👋"}`,
            );
            expect(JSON.parse(body)).toEqual({ msg: `Text: ${TRICKY}`, to: "15005550006", raw: TRICKY });
          },
        },
      ],
    },
    {
      label: "a form body is URL-encoded, RapidPro's default fields",
      config: { contentType: "form" },
      message: { body: TRICKY },
      expectRequests: [
        {
          method: "POST",
          path: "/send",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: (body) => {
            expect(body).toBe(
              `id=${MESSAGE_ID}&text=He+said+%22hi%22+%26+%3Cb%3E%0Abye+%F0%9F%91%8B&to=%2B15005550006&to_no_plus=15005550006&from=%2B15005550001&from_no_plus=15005550001&channel=${TEST_ACCOUNT.id}`,
            );
            expect(new URLSearchParams(body).get("text")).toBe(TRICKY);
          },
        },
      ],
    },
    {
      label: "an XML body escapes ampersands, angle brackets, quotes and newlines as entities",
      config: { contentType: "xml", bodyTemplate: '<sms to="{{to}}" note="{{text}}"><body>{{text}}</body></sms>' },
      message: { body: TRICKY },
      expectRequests: [
        {
          method: "POST",
          path: "/send",
          headers: { "content-type": "text/xml; charset=utf-8" },
          body: '<sms to="+15005550006" note="He said &quot;hi&quot; &amp; &lt;b&gt;&#10;bye 👋"><body>He said &quot;hi&quot; &amp; &lt;b&gt;&#10;bye 👋</body></sms>',
        },
      ],
    },
    {
      label: "the default XML body carries every field",
      config: { contentType: "xml" },
      expectRequests: [
        {
          method: "POST",
          path: "/send",
          body: `<?xml version="1.0" encoding="UTF-8"?><message><id>${MESSAGE_ID}</id><text>Hello from the harness</text><to>+15005550006</to><to_no_plus>15005550006</to_no_plus><from>+15005550001</from><from_no_plus>15005550001</from_no_plus><channel>${TEST_ACCOUNT.id}</channel></message>`,
        },
      ],
    },
    {
      label: "configured headers carry variables on one line; the Authorization value is the secret field's",
      config: {
        headers: "X-Channel: {{channel}}\n\nX-Text: {{text}}\nContent-Type: application/vnd.gateway+json",
        authorizationHeader: "Token abc123",
      },
      message: { body: "a\nb 👋" },
      expectRequests: [
        {
          method: "POST",
          path: "/send",
          headers: {
            "x-channel": TEST_ACCOUNT.id,
            "x-text": "a b %F0%9F%91%8B",
            authorization: "Token abc123",
            "content-type": "application/vnd.gateway+json",
          },
        },
      ],
    },
    {
      label: "a GET puts URL-encoded variables in the URL and sends no body",
      config: {
        method: "GET",
        get sendUrl() {
          return `${stub}/send/{{to_no_plus}}?to={{to}}&text={{text}}&from={{from_no_plus}}`;
        },
      },
      message: { body: TRICKY },
      expectRequests: [
        {
          method: "GET",
          path: "/send/15005550006?to=%2B15005550006&text=He%20said%20%22hi%22%20%26%20%3Cb%3E%0Abye%20%F0%9F%91%8B&from=15005550001",
          body: "",
        },
      ],
    },
    {
      label: "a PUT sends the body as a POST would",
      config: { method: "PUT", contentType: "form", bodyTemplate: "t={{text}}" },
      expectRequests: [{ method: "PUT", path: "/send", body: "t=Hello+from+the+harness" }],
    },
    {
      label: "an answer containing the expected text passes the check",
      config: { responseContains: "SUCCESS" },
      vendorResponses: [{ status: 200, body: "SUCCESS id=5" }],
      expectResult: { vendorMessageIds: [MESSAGE_ID] },
    },
    {
      label: "an answer without the expected text fails for good, saying what came back",
      config: { responseContains: "SUCCESS" },
      vendorResponses: [{ status: 200, body: "FAILED:\n no credit" }],
      expectError: {
        code: "external-response-check",
        retryable: false,
        description: /^The gateway's answer does not contain "SUCCESS" \(HTTP 200: "FAILED: no credit"\)\.$/,
      },
    },
    {
      label: "a status other than the one expected fails for good",
      config: { responseStatus: "200" },
      vendorResponses: [{ status: 201, body: "" }],
      expectError: {
        code: "external-response-status",
        retryable: false,
        description: /^The gateway answered HTTP 201: an empty body, expected HTTP 200\.$/,
      },
    },
    {
      label: "a 400 fails for good with an excerpt of the answer",
      vendorResponses: [{ status: 400, body: JSON.stringify({ error: "invalid number", detail: "x".repeat(300) }) }],
      expectError: {
        code: "external-response-status",
        retryable: false,
        description: /^The gateway answered HTTP 400: "\{"error":"invalid number","detail":"x+…", expected HTTP 2xx\.$/,
      },
    },
    {
      label: "a JSON check passes and the gateway's id is taken from its answer",
      config: { responseJsonPath: "$.status", responseJsonValue: "ok", vendorIdJsonPath: "$.messages[0].id" },
      vendorResponses: json({ status: "ok", messages: [{ id: "GW-77" }] }),
      expectResult: { vendorMessageIds: ["GW-77"] },
    },
    {
      label: "a numeric id in the answer is kept as text",
      config: { vendorIdJsonPath: "data.id" },
      vendorResponses: json({ data: { id: 9001 } }),
      expectResult: { vendorMessageIds: ["9001"] },
    },
    {
      label: "a JSON value other than the one expected fails for good",
      config: { responseJsonPath: "$.status", responseJsonValue: "ok" },
      vendorResponses: json({ status: "rejected" }),
      expectError: {
        code: "external-response-check",
        retryable: false,
        description: /has \$\.status = "rejected", expected "ok" \(HTTP 200: /,
      },
    },
    {
      label: "a JSON check of an answer that is not JSON fails for good",
      config: { responseJsonPath: "$.status" },
      vendorResponses: [{ status: 200, body: "<html>ok</html>" }],
      expectError: {
        code: "external-response-check",
        retryable: false,
        description: /is not JSON, so \$\.status cannot be checked \(HTTP 200: "<html>ok<\/html>"\)/,
      },
    },
    {
      label: "a JSON check of a missing value fails",
      config: { responseJsonPath: "$.status" },
      vendorResponses: json({ state: "ok" }),
      expectError: { code: "external-response-check", description: /has no \$\.status/ },
    },
    {
      label: "an accepted answer without the gateway's id keeps our id: the message went",
      config: { vendorIdJsonPath: "$.id" },
      vendorResponses: [{ status: 202, body: "queued" }],
      expectResult: { vendorMessageIds: [MESSAGE_ID] },
    },
    {
      label: "a 503 is retried",
      vendorResponses: [{ status: 503, body: "Service Unavailable" }],
      expectError: { code: "http_503", retryable: true, description: /HTTP 503: "Service Unavailable"/ },
    },
    {
      label: "a 429 is retried after the gateway's Retry-After",
      vendorResponses: [{ status: 429, body: "slow down", headers: { "retry-after": "7" } }],
      expectError: { code: "http_429", retryable: true, description: /HTTP 429/ },
    },
    {
      label: "a gateway that cannot be reached is retried",
      config: { sendUrl: "http://127.0.0.1:1/send" },
      expectError: { code: "network", retryable: true },
    },
    {
      label: "with a maximum length, a long text goes in parts split at spaces, each with our id",
      config: { maxLength: 60, contentType: "form", bodyTemplate: "id={{id}}&text={{text}}" },
      message: { body: words },
      expectResult: { vendorMessageIds: [MESSAGE_ID] },
      expectRequests: [
        {
          method: "POST",
          path: "/send",
          body: (body) =>
            expect(Object.fromEntries(new URLSearchParams(body))).toEqual({
              id: MESSAGE_ID,
              text: "The quick brown fox jumps over the lazy dog and keeps",
            }),
        },
        {
          method: "POST",
          path: "/send",
          body: (body) => expect(new URLSearchParams(body).get("text")).toBe("running far past the old red barn at dawn"),
        },
      ],
    },
    {
      label: "a later part refused is not retried: the first part went",
      config: { maxLength: 60 },
      message: { body: words },
      vendorResponses: [
        { status: 200, body: "{}" },
        { status: 500, body: "oops" },
      ],
      expectError: {
        code: "external-partial-send",
        retryable: false,
        description: /^The gateway took 1 of 2 parts, then refused the next: The gateway answered HTTP 500/,
      },
    },
    {
      label: "media goes as links after the text: a gateway takes text only",
      config: { contentType: "form", bodyTemplate: "text={{text}}" },
      message: { body: "See this", mediaUrls: ["https://example.com/a.jpg"] },
      expectRequests: [{ method: "POST", path: "/send", body: "text=See+this%0Ahttps%3A%2F%2Fexample.com%2Fa.jpg" }],
    },
    {
      label: "a message through a messaging service goes from our number",
      message: { from: undefined },
      expectRequests: [{ method: "POST", path: "/send", body: /"from": "\+15005550001", "from_no_plus": "15005550001"/ }],
    },
  ],
});

describe("external: test connection", () => {
  it("asks only whether the gateway's host answers, and says nothing was sent", async () => {
    const gateway = new StubVendor();
    await gateway.start();
    try {
      gateway.reset([{ status: 404, body: "not here" }]);
      const ctx = testContext(externalAdapter, { number: OUR, sendUrl: `${gateway.url}/api/send?to={{to}}` }, gateway.url);
      const result = await externalAdapter.verifyCredentials(ctx as Parameters<typeof externalAdapter.verifyCredentials>[0]);
      expect(result).toEqual({
        ok: true,
        detail: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+ answered \(HTTP 404\)\. Nothing was sent/),
      });
      expect(gateway.requests.map((r) => `${r.method} ${r.path}`)).toEqual(["GET /"]);
    } finally {
      await gateway.stop();
    }
  });

  it("says when the gateway cannot be reached", async () => {
    const ctx = testContext(externalAdapter, { number: OUR, sendUrl: "http://127.0.0.1:1/send" }, "http://127.0.0.1:1");
    const result = await externalAdapter.verifyCredentials(ctx as Parameters<typeof externalAdapter.verifyCredentials>[0]);
    expect(result).toEqual({ ok: false, detail: expect.stringMatching(/^Could not reach the vendor/) });
  });
});
