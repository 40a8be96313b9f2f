import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StubVendor, TEST_ACCOUNT, testContext, type StubResponse } from "@/tests/helpers/vendor-harness";
import type { VendorContext } from "../types";
import { twilioAdapter } from "./adapter";
import type { TwilioConfig } from "./config";

const ACCOUNT_SID = "AC0123456789abcdef0123456789abcdef";
const AUTH_TOKEN = "f00dfacef00dfacef00dfacef00dface";
const BASIC = `Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString("base64")}`;
const ACCOUNT = `/2010-04-01/Accounts/${ACCOUNT_SID}`;
const PN = "PN0123456789abcdef0123456789abcdef";
const MG = "MG0123456789abcdef0123456789abcdef";

const stub = new StubVendor();
beforeAll(() => stub.start());
afterAll(() => stub.stop());

function ctx(config: Partial<TwilioConfig> = {}, requiredCountry?: string): VendorContext<TwilioConfig> {
  const base = testContext(twilioAdapter, { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, apiBaseUrl: stub.url, messagingBaseUrl: stub.url, lookupBaseUrl: stub.url, ...config }, stub.url);
  return { ...base, requiredCountry } as VendorContext<TwilioConfig>;
}
const json = (status: number, body: unknown): StubResponse => ({ status, body: JSON.stringify(body) });
const twilioError = (status: number, code: number, message: string) => json(status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });
const requests = () => stub.requests.map((r) => `${r.method} ${r.path}`);
const inventory = twilioAdapter.inventory;

describe("twilio numbers", () => {
  it("searches local numbers by area code, SMS-enabled, reading SMS/MMS in either case", async () => {
    stub.reset([
      json(200, {
        available_phone_numbers: [
          { friendly_name: "(212) 555-0101", phone_number: "+12125550101", locality: "New York", region: "NY", iso_country: "US", capabilities: { voice: true, SMS: true, MMS: false } },
          { phone_number: "+12125550102", capabilities: { voice: false, sms: true, mms: true } },
          { friendly_name: "no number" },
        ],
      }),
    ]);
    const found = await inventory.search(ctx(), { areaCode: "212", limit: 3 });
    expect(found).toEqual([
      { e164: "+12125550101", locality: "New York", region: "NY", capabilities: { sms: true, mms: false, voice: true } },
      { e164: "+12125550102", locality: undefined, region: undefined, capabilities: { sms: true, mms: true, voice: false } },
    ]);
    expect(requests()).toEqual([`GET ${ACCOUNT}/AvailablePhoneNumbers/US/Local.json?AreaCode=212&SmsEnabled=true&PageSize=3`]);
    expect(stub.requests[0]!.headers.authorization).toBe(BASIC);
  });

  it("searches a Canadian area code in Canada, and refuses a malformed one without asking", async () => {
    stub.reset([json(200, { available_phone_numbers: [] })]);
    await inventory.search(ctx(), { areaCode: "416", limit: 5 });
    expect(requests()).toEqual([`GET ${ACCOUNT}/AvailablePhoneNumbers/CA/Local.json?AreaCode=416&SmsEnabled=true&PageSize=5`]);
    stub.reset([]);
    await expect(inventory.search(ctx(), { areaCode: "12", limit: 5 })).rejects.toMatchObject({ code: "21451", retryable: false });
    expect(stub.requests).toHaveLength(0);
  });

  it("buys a number with our inbound webhook as its SMS URL", async () => {
    stub.reset([json(201, { sid: PN, phone_number: "+12125550101", capabilities: { voice: true, sms: true, mms: true } })]);
    const bought = await inventory.buy(ctx(), "+12125550101");
    expect(bought).toEqual({ e164: "+12125550101", locality: undefined, region: undefined, capabilities: { sms: true, mms: true, voice: true }, vendorNumberId: PN, senderType: "LONG_CODE" });
    const [request] = stub.requests;
    expect(`${request!.method} ${request!.path}`).toBe(`POST ${ACCOUNT}/IncomingPhoneNumbers.json`);
    expect(request!.body).toBe(
      `PhoneNumber=%2B12125550101&SmsUrl=${encodeURIComponent(`${stub.url}/api/webhooks/twilio/${TEST_ACCOUNT.webhookToken}/inbound`)}&SmsMethod=POST`,
    );
    stub.reset([json(201, { sid: PN, phone_number: "+18885550100", capabilities: { sms: true } })]);
    expect((await inventory.buy(ctx(), "+18885550100")).senderType).toBe("TOLL_FREE");
  });

  it("passes on Twilio's refusal to sell a number", async () => {
    stub.reset([twilioError(400, 21422, "PhoneNumber is not available")]);
    await expect(inventory.buy(ctx(), "+12125550101")).rejects.toMatchObject({ code: "21422", retryable: false, description: /not available to buy/ });
  });

  it("releases by SID, finds the SID when we have none, and treats a number Twilio no longer has as released", async () => {
    stub.reset([{ status: 204, body: "" }]);
    await inventory.release(ctx(), { e164: "+12125550101", vendorNumberId: PN });
    expect(requests()).toEqual([`DELETE ${ACCOUNT}/IncomingPhoneNumbers/${PN}.json`]);

    stub.reset([json(200, { incoming_phone_numbers: [{ sid: PN, phone_number: "+12125550101" }] }), { status: 204, body: "" }]);
    await inventory.release(ctx(), { e164: "+12125550101", vendorNumberId: null });
    expect(requests()).toEqual([`GET ${ACCOUNT}/IncomingPhoneNumbers.json?PhoneNumber=%2B12125550101`, `DELETE ${ACCOUNT}/IncomingPhoneNumbers/${PN}.json`]);

    stub.reset([json(200, { incoming_phone_numbers: [] })]);
    await inventory.release(ctx(), { e164: "+12125550101", vendorNumberId: null });
    expect(requests()).toHaveLength(1);

    stub.reset([twilioError(404, 20404, "The requested resource was not found")]);
    await expect(inventory.release(ctx(), { e164: "+12125550101", vendorNumberId: PN })).resolves.toBeUndefined();
    stub.reset([twilioError(500, 20500, "Internal Server Error")]);
    await expect(inventory.release(ctx(), { e164: "+12125550101", vendorNumberId: PN })).rejects.toMatchObject({ retryable: true });
  });

  it("lists every page of the account's numbers, following next_page_uri on the API", async () => {
    const next = `${ACCOUNT}/IncomingPhoneNumbers.json?PageSize=1000&Page=1&PageToken=PA1`;
    stub.reset([
      json(200, { incoming_phone_numbers: [{ sid: PN, phone_number: "+12125550101", capabilities: { sms: true } }], next_page_uri: next }),
      json(200, { incoming_phone_numbers: [{ sid: "PN2", phone_number: "+18005550100", capabilities: { sms: true, mms: true } }], next_page_uri: null }),
    ]);
    const owned = await inventory.list(ctx());
    expect(owned.map((n) => [n.e164, n.vendorNumberId, n.senderType])).toEqual([
      ["+12125550101", PN, "LONG_CODE"],
      ["+18005550100", "PN2", "TOLL_FREE"],
    ]);
    expect(requests()).toEqual([`GET ${ACCOUNT}/IncomingPhoneNumbers.json?PageSize=1000`, `GET ${next}`]);
  });

  it("adds a number to a Messaging Service on the messaging API", async () => {
    stub.reset([json(201, { sid: PN, service_sid: MG, phone_number: "+12125550101" })]);
    await inventory.addToMessagingService(ctx(), { e164: "+12125550101", vendorNumberId: PN }, MG);
    expect(requests()).toEqual([`POST /v1/Services/${MG}/PhoneNumbers`]);
    expect(stub.requests[0]!.body).toBe(`PhoneNumberSid=${PN}`);
    expect(stub.requests[0]!.headers.authorization).toBe(BASIC);

    stub.reset([twilioError(409, 80104, "PhoneNumber has already been added to Service")]);
    await expect(inventory.addToMessagingService(ctx(), { e164: "+12125550101", vendorNumberId: PN }, MG)).resolves.toBeUndefined();
    stub.reset([twilioError(409, 21712, "Phone Number or Short Code is associated with another Messaging Service.")]);
    await expect(inventory.addToMessagingService(ctx(), { e164: "+12125550101", vendorNumberId: PN }, MG)).rejects.toMatchObject({ code: "21712", description: /another Messaging Service/ });
    stub.reset([]);
    await expect(inventory.addToMessagingService(ctx(), { e164: "+12125550101", vendorNumberId: PN }, "MG../../x")).rejects.toMatchObject({ code: "21705" });
    expect(stub.requests).toHaveLength(0);
  });
});

describe("twilio lookup", () => {
  const answer = (body: object): StubResponse => json(200, { country_code: "US", phone_number: "+15005550006", valid: true, ...body });
  const lti = (type: string | null, carrier: string | null = null, error_code: number | null = null) => ({ line_type_intelligence: { type, carrier_name: carrier, error_code, mobile_country_code: null, mobile_network_code: null } });

  it.each([
    ["a mobile", answer(lti("mobile", "T-Mobile USA, Inc.")), { statusCode: 0, lineType: "mobile", carrier: "T-Mobile USA, Inc." }],
    ["a landline", answer(lti("landline", "Verizon")), { statusCode: -1, lineType: "landline", carrier: "Verizon" }],
    ["a non-fixed VoIP number", answer(lti("nonFixedVoip", "Bandwidth/13 - Bandwidth.com - SVR")), { statusCode: 0, lineType: "voip", carrier: "Bandwidth/13 - Bandwidth.com - SVR" }],
    ["a pager", answer(lti("pager")), { statusCode: -2, lineType: "unknown" }],
    ["a type Twilio adds later", answer(lti("satellite")), { statusCode: 0, lineType: "unknown" }],
    ["an invalid number", json(200, { valid: false, validation_errors: ["TOO_SHORT"], line_type_intelligence: null }), { statusCode: -2, lineType: "unknown" }],
    ["a line type Twilio could not tell", answer(lti(null, null, 60600)), { statusCode: -4, lineType: "unknown" }],
    ["credentials Twilio refuses", twilioError(401, 20003, "Authenticate"), { statusCode: -4, lineType: "unknown" }],
    ["a number Twilio does not know", twilioError(404, 20404, "Not found"), { statusCode: -2, lineType: "unknown" }],
  ] as const)("maps %s", async (_label, response, expected) => {
    stub.reset([response]);
    expect(await twilioAdapter.lookup(ctx(), "+15005550006")).toEqual(expected);
    expect(requests()).toEqual(["GET /v2/PhoneNumbers/+15005550006?Fields=line_type_intelligence"]);
  });

  it("answers -3 outside PHONE_NUMBER_COUNTRY, and leaves a number that is not E.164 unasked", async () => {
    stub.reset([answer(lti("mobile", "Rogers"))]);
    expect((await twilioAdapter.lookup(ctx({}, "CA"), "+15005550006")).statusCode).toBe(-3);
    stub.reset([]);
    expect(await twilioAdapter.lookup(ctx(), "5551234")).toEqual({ statusCode: -2, lineType: "unknown" });
    expect(stub.requests).toHaveLength(0);
  });

  it("throws what is worth retrying, so the lookup job tries again", async () => {
    stub.reset([twilioError(503, 20503, "Service Unavailable")]);
    await expect(twilioAdapter.lookup(ctx(), "+15005550006")).rejects.toMatchObject({ retryable: true });
  });
});

describe("twilio account", () => {
  it("tests the connection against the account resource", async () => {
    stub.reset([json(200, { sid: ACCOUNT_SID, friendly_name: "Campaign HQ", status: "active", type: "Full" })]);
    expect(await twilioAdapter.verifyCredentials(ctx())).toEqual({ ok: true, detail: "Connected to the Twilio account “Campaign HQ” (Full); it is active and can send." });
    expect(requests()).toEqual([`GET ${ACCOUNT}.json`]);
    stub.reset([twilioError(401, 20003, "Authenticate")]);
    expect(await twilioAdapter.verifyCredentials(ctx())).toMatchObject({ ok: false, detail: expect.stringMatching(/^Twilio refused these credentials/) });
    stub.reset([json(200, { friendly_name: "Old", status: "suspended" })]);
    expect(await twilioAdapter.verifyCredentials(ctx())).toMatchObject({ ok: false, detail: expect.stringMatching(/is suspended/) });
    expect(await twilioAdapter.verifyCredentials(ctx({ apiBaseUrl: "http://127.0.0.1:9" }))).toMatchObject({ ok: false, detail: expect.stringMatching(/Could not reach/) });
  });

  it("gives a send error Twilio's link and Retry-After", async () => {
    stub.reset([{ ...twilioError(429, 20429, "Too Many Requests"), headers: { "retry-after": "7" } }]);
    const message = { id: "m1", to: "+15005550006", from: "+15005550001", body: "hi", mediaUrls: [], numericId: 1 };
    await expect(twilioAdapter.send(ctx(), message)).rejects.toMatchObject({ retryable: true, retryAfterSeconds: 7, link: "https://www.twilio.com/docs/api/errors/20429" });
    stub.reset([twilioError(400, 30003, "Unreachable destination handset")]);
    await expect(twilioAdapter.send(ctx(), message)).rejects.toMatchObject({ retryable: false, link: "https://www.twilio.com/docs/api/errors/30003" });
  });

  it("describes codes from its table, links any other Twilio code, and names the configured service", () => {
    expect(twilioAdapter.errorDescription("21610")).toMatchObject({ optOut: true, retryable: false, link: "https://www.twilio.com/docs/api/errors/21610" });
    expect(twilioAdapter.errorDescription("30005")?.description).toMatch(/Unknown destination handset/);
    expect(twilioAdapter.errorDescription("12345")).toMatchObject({ link: "https://www.twilio.com/docs/api/errors/12345", retryable: false });
    expect(twilioAdapter.errorDescription("constructor")).toBeUndefined();
    expect(twilioAdapter.messagingServiceFor(ctx({ messagingServiceSid: MG }))).toBe(MG);
    expect(twilioAdapter.messagingServiceFor(ctx())).toBeUndefined();
  });
});
