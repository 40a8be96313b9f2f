import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createVendorHttp, type VendorRequestRecord } from "@/lib/vendors/http";
import { runVendorCases, StubVendor, testContext, type OutgoingCase } from "@/tests/helpers/vendor-harness";
import type { OutboundMessage, VendorContext } from "../types";
import { messageMediaSoapAdapter, validityPeriodCode } from "./adapter";
import { messageMediaSoapConfigSchema, type MessageMediaSoapConfig } from "./config";
import {
  accountDetails,
  expectedRequest,
  expectRequest,
  fault,
  PASSWORD,
  readRequest,
  response,
  soapHeaders,
  USER,
  xml,
} from "./test-fixtures";

const config = (stubUrl: string) => ({ username: USER, password: PASSWORD, soapUrl: `${stubUrl}/soap/` });
const sent = (attrs = `sent="1" scheduled="0" failed="0"`, errors = "") => [
  xml(200, response("sendMessages", `<result ${attrs}>${accountDetails}${errors}</result>`)),
];
const refusedRecipient = (code: string) =>
  sent(
    `sent="0" scheduled="0" failed="1"`,
    `<errors><error code="${code}" sequenceNumber="1"><recipients><recipient uid="4242">+15005550006</recipient></recipients></error></errors>`,
  );
const message = (parts: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  "api:messages": {
    "@_sendMode": "normal",
    "api:message": { "@_format": "SMS", "@_sequenceNumber": "1", ...parts, "api:deliveryReport": "true", ...extra },
  },
});
const recipient = { "api:recipients": { "api:recipient": { "#text": "+15005550006", "@_uid": "4242" } } };
const asSent = (requestBody: unknown) => (body: string) =>
  expect(readRequest(body)).toEqual(expectedRequest("sendMessages", requestBody));
const soapRequest = (body?: string | ((body: string) => void)) => ({
  method: "POST",
  path: "/soap/",
  headers: soapHeaders("sendMessages"),
  body,
});

// The exact bytes of the simplest send: declaration, SOAP 1.1 envelope, the m4u body, credentials first.
const EXACT_SEND =
  `<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:api="http://xml.m4u.com.au/2009">` +
  `<soap:Body><api:sendMessages><api:authentication><api:userId>${USER}</api:userId><api:password>${PASSWORD}</api:password></api:authentication>` +
  `<api:requestBody><api:messages sendMode="normal"><api:message format="SMS" sequenceNumber="1"><api:origin>+15005550001</api:origin>` +
  `<api:recipients><api:recipient uid="4242">+15005550006</api:recipient></api:recipients><api:content>Hello from the harness</api:content>` +
  `<api:deliveryReport>true</api:deliveryReport></api:message></api:messages></api:requestBody></api:sendMessages></soap:Body></soap:Envelope>`;

const outgoing: OutgoingCase[] = [
  {
    label: "a send posts one SMS to the SOAP endpoint, its uid our numericId, which becomes the vendor id",
    vendorResponses: sent(),
    expectRequests: [soapRequest(EXACT_SEND)],
    expectResult: { vendorMessageIds: ["4242"] },
  },
  {
    label: "without a From number the configured source number is the origin; a validity period goes in MessageMedia's code",
    config: { sourceNumber: "+61491570156" },
    message: { from: undefined, validityPeriodSeconds: 3600, numericId: 2_147_483_647 },
    vendorResponses: sent(),
    expectRequests: [
      soapRequest(
        asSent(
          message(
            {
              "api:origin": "+61491570156",
              "api:recipients": { "api:recipient": { "#text": "+15005550006", "@_uid": "2147483647" } },
              "api:content": "Hello from the harness",
            },
            { "api:validityPeriod": "11" },
          ),
        ),
      ),
    ],
    expectResult: { vendorMessageIds: ["2147483647"] },
  },
  {
    label: "with no number at all the origin is left out (MessageMedia's shared numbers), and the text is escaped",
    message: { from: undefined, body: `Tom & Jerry <3 "quotes" 'too' ]]>` },
    vendorResponses: sent(),
    expectRequests: [soapRequest(asSent(message({ ...recipient, "api:content": `Tom & Jerry <3 "quotes" 'too' ]]>` })))],
    expectResult: { vendorMessageIds: ["4242"] },
  },
  {
    label: "an answer whose elements carry a prefix instead of a default namespace reads the same",
    vendorResponses: [
      xml(
        200,
        `<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="http://xml.m4u.com.au/2009"><SOAP-ENV:Body><ns1:sendMessagesResponse><ns1:result sent="1" scheduled="0" failed="0"><ns1:accountDetails type="daily" creditLimit="5" creditRemaining="4"/></ns1:result></ns1:sendMessagesResponse></SOAP-ENV:Body></SOAP-ENV:Envelope>`,
      ),
    ],
    expectResult: { vendorMessageIds: ["4242"] },
  },
  {
    label: "a recipient MessageMedia refuses is a final failure in its words",
    vendorResponses: refusedRecipient("invalidRecipient"),
    expectError: {
      code: "invalidRecipient",
      vendorCode: "invalidRecipient",
      retryable: false,
      optOut: false,
      description: /refused the message to \+15005550006\. The recipient's number is not valid \(invalidRecipient\)/,
    },
  },
  {
    label: "a blocked recipient has opted out",
    vendorResponses: refusedRecipient("recipientBlocked"),
    expectError: { code: "recipientBlocked", retryable: false, optOut: true, description: /blocked numbers/ },
  },
  {
    label: "an error code MessageMedia adds later is still final, named as given",
    vendorResponses: refusedRecipient("somethingNew"),
    expectError: { code: "somethingNew", retryable: false, description: /refused the message to \+15005550006: somethingNew/ },
  },
  {
    label: "refused credentials (a SOAP Fault with authenticationFailed, HTTP 500) say to check them, and are not retried",
    vendorResponses: [xml(500, fault("SOAP-ENV:Client", "Invalid user ID or password", "authenticationFailed"))],
    expectError: {
      code: "authenticationFailed",
      retryable: false,
      description: /refused the user ID or password: Invalid user ID or password \(authenticationFailed\).*SOAP API, not REST/,
    },
  },
  {
    label: "the daily limit is final: retrying within the day changes nothing",
    vendorResponses: [xml(500, fault("SOAP-ENV:Client", "Daily limit reached", "perDayMessageLimit"))],
    expectError: { code: "perDayMessageLimit", retryable: false, description: /Daily limit reached/ },
  },
  {
    label: "a Server fault is MessageMedia's trouble: retried, with its faultstring",
    vendorResponses: [xml(500, fault("SOAP-ENV:Server", "Internal error, please try again"))],
    expectError: {
      code: "soap-server-fault",
      retryable: true,
      description: /SOAP Server fault: Internal error, please try again/,
    },
  },
  {
    label: "a Client fault without a code is final",
    vendorResponses: [xml(500, fault("SOAP-ENV:Client", "Bad request"))],
    expectError: { code: "soap-client-fault", retryable: false, description: /Bad request/ },
  },
  {
    label: "a 200 that is not XML may have sent the message: not retried, said plainly",
    vendorResponses: [xml(200, "<html><body>Oops")],
    expectError: { code: "messagemedia-soap-unreadable", retryable: false, description: /malformed XML.*may have been sent/ },
  },
  {
    label: "a SOAP 1.2 envelope is not the SOAP 1.1 the API speaks",
    vendorResponses: [xml(200, `<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body/></env:Envelope>`)],
    expectError: { code: "messagemedia-soap-unreadable", retryable: false, description: /not SOAP 1\.1's/ },
  },
  {
    label: "a response element outside the m4u namespace is not the answer documented",
    vendorResponses: [
      xml(
        200,
        `<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Body><sendMessagesResponse><result sent="1" scheduled="0" failed="0"/></sendMessagesResponse></SOAP-ENV:Body></SOAP-ENV:Envelope>`,
      ),
    ],
    expectError: { code: "messagemedia-soap-unreadable", retryable: false, description: /in namespace \(none\)/ },
  },
  {
    label: "a result without its counts is unreadable",
    vendorResponses: [xml(200, response("sendMessages", `<result>${accountDetails}</result>`))],
    expectError: { code: "messagemedia-soap-unreadable", retryable: false, description: /sent and failed counts/ },
  },
  {
    label: "HTTP 503 without an envelope is retried",
    vendorResponses: [{ status: 503, body: "Service Unavailable", headers: { "content-type": "text/plain" } }],
    expectError: { code: "http_503", retryable: true, description: /HTTP 503/ },
  },
  {
    label: "HTTP 429 is retried after the time MessageMedia asks",
    vendorResponses: [{ status: 429, body: "", headers: { "retry-after": "30" } }],
    expectError: { code: "http_429", retryable: true },
  },
  {
    label: "pictures cannot go by SOAP, and nothing is sent",
    message: { mediaUrls: ["https://example.com/cat.jpg"] },
    expectRequests: [],
    expectError: { code: "messagemedia-soap-no-mms", retryable: false },
  },
];

runVendorCases(messageMediaSoapAdapter, { config, outgoing });

const stub = new StubVendor();
beforeAll(() => stub.start());
afterAll(() => stub.stop());

function ctxFor(
  password: string,
  log: VendorRequestRecord[],
  extra: Partial<MessageMediaSoapConfig> = {},
): VendorContext<MessageMediaSoapConfig> {
  const base = testContext(messageMediaSoapAdapter, { ...config(stub.url), password, ...extra }, stub.url);
  // As production builds it: every secret of the account handed to the logging HTTP (lib/vendors/context.ts).
  return {
    ...base,
    http: createVendorHttp({ secrets: [password], record: (entry) => void log.push(entry) }),
  } as VendorContext<MessageMediaSoapConfig>;
}
const outbound: OutboundMessage = {
  id: "11111111-1111-4111-8111-111111111111",
  to: "+15005550006",
  from: "+15005550001",
  body: "Hi",
  mediaUrls: [],
  numericId: 7,
};

describe("messagemedia-soap: the password in the request log", () => {
  it.each([
    ["a plain password", PASSWORD, "<api:password>[redacted]</api:password>"],
    [
      "one XML would escape, sent as CDATA so its bytes are the secret's",
      `p&ss<wo>rd"'`,
      "<api:password><![CDATA[[redacted]]]></api:password>",
    ],
  ])("is redacted for %s, while MessageMedia gets it exactly", async (_label, password, loggedAs) => {
    stub.reset(sent());
    const log: VendorRequestRecord[] = [];
    await messageMediaSoapAdapter.send(ctxFor(password, log), outbound);
    const [request] = stub.requests;
    expect(readRequest(request!.body)).toMatchObject(expectedRequest("sendMessages", expect.anything(), password));
    expect(log).toHaveLength(1);
    const logged = JSON.stringify(log[0]);
    expect(logged).not.toContain(password);
    expect(logged).not.toContain(password.replace(/&/g, "&amp;").replace(/</g, "&lt;"));
    expect(log[0]!.requestBody).toContain(loggedAs);
    expect(log[0]!.requestBody).toContain(`<api:userId>${USER}</api:userId>`);
  });

  it("refuses a password no XML text can carry verbatim, and one too short to redact", () => {
    expect(messageMediaSoapConfigSchema.safeParse({ username: USER, password: "a]]>b-long" }).error?.issues[0]?.message).toBe(
      "The password cannot contain ]]>",
    );
    expect(messageMediaSoapConfigSchema.safeParse({ username: USER, password: "abc" }).success).toBe(false);
  });
});

describe("messagemedia-soap: send, transport", () => {
  it("waits as long as a 429's Retry-After asks", async () => {
    stub.reset([{ status: 429, body: "Too Many Requests", headers: { "retry-after": "30" } }]);
    await expect(messageMediaSoapAdapter.send(ctxFor(PASSWORD, []), outbound)).rejects.toMatchObject({
      code: "http_429",
      retryable: true,
      retryAfterSeconds: 30,
    });
  });

  it("retries a Client fault that comes with 503, after its Retry-After", async () => {
    stub.reset([xml(503, fault("SOAP-ENV:Client", "Too busy"), { "retry-after": "12" })]);
    await expect(messageMediaSoapAdapter.send(ctxFor(PASSWORD, []), outbound)).rejects.toMatchObject({
      code: "soap-client-fault",
      retryable: true,
      retryAfterSeconds: 12,
    });
  });

  it("retries a network failure", async () => {
    const unreachable = ctxFor(PASSWORD, [], { soapUrl: "http://127.0.0.1:9/soap/" });
    await expect(messageMediaSoapAdapter.send(unreachable, outbound)).rejects.toMatchObject({ code: "network", retryable: true });
  });
});

describe("messagemedia-soap: verifyCredentials (checkUser)", () => {
  const ctx = () => ctxFor(PASSWORD, []);

  it("names the user and the credit it found", async () => {
    stub.reset([
      xml(
        200,
        response(
          "checkUser",
          `<result>\n    <accountDetails type="daily" creditLimit="500" creditRemaining="499"/>\n  </result>`,
        ),
      ),
    ]);
    expect(await messageMediaSoapAdapter.verifyCredentials(ctx())).toEqual({
      ok: true,
      detail: `MessageMedia accepted user ID ${USER} on the SOAP API: 499 of its 500 daily message credits remain.`,
    });
    expectRequest(stub.requests[0]!, "checkUser");
    expect(stub.requests).toHaveLength(1);
  });

  it("says plainly when MessageMedia refuses the credentials", async () => {
    stub.reset([xml(500, fault("SOAP-ENV:Client", "Authentication failed", "authenticationFailed"))]);
    const result = await messageMediaSoapAdapter.verifyCredentials(ctx());
    expect(result.ok).toBe(false);
    expect(result.detail).toMatch(
      /^MessageMedia refused the user ID or password: Authentication failed \(authenticationFailed\)\. Check them, and that this MessageMedia account is set up for the SOAP API, not REST\.$/,
    );
  });

  it("reports an answer without account details, an HTTP error and an unreachable endpoint as not ok", async () => {
    stub.reset([xml(200, response("checkUser", "<result/>"))]);
    expect(await messageMediaSoapAdapter.verifyCredentials(ctx())).toMatchObject({
      ok: false,
      detail: /without the account's credit details/,
    });
    stub.reset([{ status: 404, body: "Not Found" }]);
    expect(await messageMediaSoapAdapter.verifyCredentials(ctx())).toMatchObject({
      ok: false,
      detail: /HTTP 404.*check the SOAP endpoint/,
    });
    const unreachable = ctxFor(PASSWORD, [], { soapUrl: "http://127.0.0.1:9/soap/" });
    expect(await messageMediaSoapAdapter.verifyCredentials(unreachable)).toMatchObject({
      ok: false,
      detail: /Could not reach the vendor/,
    });
  });
});

describe("messagemedia-soap: settings", () => {
  it("is configured with a user ID and password, and polls as often as set", () => {
    const parsed = messageMediaSoapConfigSchema.parse({ username: USER, password: PASSWORD });
    expect(parsed).toMatchObject({ pollIntervalSeconds: 60, soapUrl: "https://soap.m4u.com.au/" });
    expect(messageMediaSoapAdapter.fullyConfigured(parsed)).toBe(true);
    const interval = (stored: Record<string, unknown>) =>
      messageMediaSoapAdapter.pollIntervalSeconds(stored as MessageMediaSoapConfig);
    expect(interval({ ...parsed, pollIntervalSeconds: 15 })).toBe(15);
    // The stored settings, unparsed: a string from an older form, or none at all, still poll.
    expect(interval({ username: USER, pollIntervalSeconds: "120" })).toBe(120);
    expect(interval({ username: USER })).toBe(60);
    const refused = (pollIntervalSeconds: string) =>
      !messageMediaSoapConfigSchema.safeParse({ username: USER, password: PASSWORD, pollIntervalSeconds }).success;
    expect(refused("5")).toBe(true);
    expect(refused("3601")).toBe(true);
    expect(refused("90.5")).toBe(true);
    expect(messageMediaSoapAdapter.capabilities).toMatchObject({
      inboundPolling: true,
      deliveryReports: true,
      inboundWebhook: false,
      mms: false,
    });
    expect(messageMediaSoapAdapter.webhooks).toEqual({});
  });

  it("describes MessageMedia's error codes and report statuses", () => {
    expect(messageMediaSoapAdapter.errorDescription("authenticationFailed")).toMatchObject({
      code: "authenticationFailed",
      retryable: false,
    });
    expect(messageMediaSoapAdapter.errorDescription("recipientBlocked")).toMatchObject({ optOut: true });
    expect(messageMediaSoapAdapter.errorDescription("expired")?.description).toMatch(/expired before it could be delivered/);
    expect(messageMediaSoapAdapter.errorDescription("nope")).toBeUndefined();
  });
});

describe("messagemedia-soap: validity period", () => {
  // GSM 03.40's relative validity period, as MessageMedia's clients name it: 1 = 10 minutes, 11 = 1 hour, 167 = 1 day, 169 = 3 days, 173 = 1 week.
  it.each([
    [60, 0],
    [600, 1],
    [3600, 11],
    [6 * 3600, 71],
    [12 * 3600, 143],
    [12 * 3600 + 1, 144],
    [86_400, 167],
    [2 * 86_400, 168],
    [3 * 86_400, 169],
    [7 * 86_400, 173],
    [30 * 86_400, 196],
    [31 * 86_400, 197],
    [10 * 365 * 86_400, 255],
  ])("%i seconds is code %i, lasting at least as long", (seconds, code) => {
    expect(validityPeriodCode(seconds)).toBe(code);
  });
});
