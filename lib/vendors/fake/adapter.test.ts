import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { runVendorCases, TEST_ACCOUNT, testContext } from "@/tests/helpers/vendor-harness";
import { fakeAdapter, fakeLookup } from "./adapter";

const sign = (secret: string) => (_ctx: unknown, request: { body: string }) => ({
  "x-fake-signature": createHmac("sha256", secret).update(request.body).digest("hex"),
});
const statusBody = JSON.stringify({ vendorMessageId: "FK1", status: "delivered", at: "2026-01-02T03:04:05.000Z" });
const inboundBody = JSON.stringify({ id: "FKIN1", from: "+15005550006", to: "+15005550001", body: "<b>hi</b> STOP", media: [] });

runVendorCases(fakeAdapter, {
  config: () => ({ deliveryDelayMs: 0 }),
  incoming: [
    {
      label: "a signed delivery report becomes a DELIVERED status event",
      action: "status",
      request: { body: statusBody },
      sign: sign(TEST_ACCOUNT.webhookToken),
      expectVerify: null,
      expectEvents: [{ type: "status", vendorMessageId: "FK1", status: "DELIVERED", vendorStatus: "delivered", errorCode: undefined, errorDescription: undefined, occurredAt: new Date("2026-01-02T03:04:05.000Z") }],
      expectResponse: { status: 200, body: '{"ok":true}' },
    },
    {
      label: "the configured secret signs instead of the token when set",
      action: "status",
      config: { webhookSecret: "a-much-longer-secret" },
      request: { body: statusBody },
      sign: sign("a-much-longer-secret"),
      expectVerify: null,
    },
    {
      label: "a report signed with the wrong secret is refused",
      action: "status",
      request: { body: statusBody },
      sign: sign("not-the-secret"),
      expectVerify: /does not match/,
    },
    {
      label: "an unsigned report is refused",
      action: "status",
      request: { body: statusBody },
      expectVerify: /missing x-fake-signature/,
    },
    {
      label: "a failed report carries the vendor's code and description",
      action: "status",
      request: { body: JSON.stringify({ vendorMessageId: "FK2", status: "failed", errorCode: "FAKE-13", errorDescription: "Unreachable" }) },
      sign: sign(TEST_ACCOUNT.webhookToken),
      expectEvents: [{ type: "status", vendorMessageId: "FK2", status: "FAILED", vendorStatus: "failed", errorCode: "FAKE-13", errorDescription: "Unreachable", occurredAt: undefined }],
    },
    {
      label: "a malformed report names the field at fault",
      action: "status",
      request: { body: JSON.stringify({ vendorMessageId: "FK3", status: "teleported" }) },
      sign: sign(TEST_ACCOUNT.webhookToken),
      expectParseError: /status/,
    },
    {
      label: "a body that is not JSON is a parse error",
      action: "status",
      request: { body: "status=delivered" },
      sign: sign(TEST_ACCOUNT.webhookToken),
      expectParseError: /not JSON/,
    },
    {
      label: "an inbound message keeps its text as sent and dedupes by the vendor's id",
      action: "inbound",
      request: { body: inboundBody },
      sign: sign(TEST_ACCOUNT.webhookToken),
      expectDedupeKey: "inbound:FKIN1",
      expectEvents: [{ type: "inbound", from: "+15005550006", to: "+15005550001", body: "<b>hi</b> STOP", media: [], vendorMessageId: "FKIN1", receivedAt: undefined }],
      expectResponse: { status: 200, body: '{"ok":true}' },
    },
    {
      label: "an inbound message from a number that is not E.164 is refused",
      action: "inbound",
      request: { body: JSON.stringify({ id: "x", from: "5551234", to: "+15005550001", body: "hi" }) },
      sign: sign(TEST_ACCOUNT.webhookToken),
      expectParseError: /from must be E\.164/,
    },
  ],
  outgoing: [
    {
      label: "a send returns a vendor id and reports delivery to our status webhook, signed",
      expectResult: (result) => expect(result.vendorMessageIds[0]).toMatch(/^FK[0-9a-f]{32}$/),
      expectRequests: [
        {
          method: "POST",
          path: `/api/webhooks/fake/${TEST_ACCOUNT.webhookToken}/status`,
          headers: { "content-type": "application/json", "x-fake-signature": /^[0-9a-f]{64}$/ },
          body: (body) => expect(JSON.parse(body)).toMatchObject({ status: "delivered", vendorMessageId: expect.stringMatching(/^FK/) }),
        },
      ],
    },
    {
      label: "a message containing autorespond also gets a reply through the inbound webhook",
      message: { body: "please autorespond" },
      expectRequests: [
        { method: "POST", path: /\/status$/ },
        { method: "POST", path: /\/inbound$/, body: (body) => expect(JSON.parse(body)).toMatchObject({ from: "+15005550006", to: "+15005550001", body: "Automatic reply to: please autorespond" }) },
      ],
    },
    {
      label: "recipients ending in 21 fail as opted out at the carrier",
      message: { to: "+15005550021" },
      expectError: { code: "FAKE-21610", retryable: false, optOut: true, description: /opted out/ },
      expectRequests: [],
    },
    {
      label: "recipients ending in 13 fail with the vendor's code and description, not retryable",
      message: { to: "+15005550013" },
      expectError: { code: "FAKE-13", vendorCode: "FAKE-13", retryable: false, description: /ending in 13/ },
      expectRequests: [],
    },
  ],
});

describe("fake vendor lookups and numbers", () => {
  const ctx = testContext(fakeAdapter, { deliveryDelayMs: 0 }, "http://127.0.0.1:9");

  it.each([
    ["+12025550100", 0, "mobile"],
    ["+12025550107", -1, "landline"],
    ["+12025550108", -2, "unknown"],
    ["+12025550109", -4, "unknown"],
    ["+1555", -2, "unknown"],
  ])("looks up %s as status %i (%s)", (e164, statusCode, lineType) => {
    expect(fakeLookup(ctx as never, e164)).toMatchObject({ statusCode, lineType });
  });

  it("answers -3 for numbers outside PHONE_NUMBER_COUNTRY", () => {
    expect(fakeLookup({ ...ctx, requiredCountry: "CA" } as never, "+12025550100").statusCode).toBe(-3);
    expect(fakeLookup({ ...ctx, requiredCountry: "US" } as never, "+12025550100").statusCode).toBe(0);
  });

  it("searches, buys and lists numbers deterministically", async () => {
    const found = await fakeAdapter.inventory.search(ctx as never, { areaCode: "212", limit: 3 });
    expect(found.map((n) => n.e164)).toEqual(["+12125550100", "+12125550101", "+12125550102"]);
    const bought = await fakeAdapter.inventory.buy(ctx as never, found[0]!.e164);
    expect(bought.vendorNumberId).toMatch(/^PNFAKE/);
    await expect(fakeAdapter.inventory.search(ctx as never, { areaCode: "12", limit: 1 })).rejects.toMatchObject({ code: "FAKE-AREA" });
    const owned = await fakeAdapter.inventory.list(ctx as never);
    expect(owned).toHaveLength(2);
    expect(await fakeAdapter.inventory.list(ctx as never)).toEqual(owned);
  });
});

describe("fake vendor with a ledger", () => {
  runVendorCases(fakeAdapter, {
    config: (stubUrl) => ({ deliveryDelayMs: 60_000, ledgerUrl: stubUrl }),
    outgoing: [
      {
        label: "records the send in the ledger and takes its id",
        vendorResponses: [{ status: 201, body: JSON.stringify({ id: "FKLEDGER1" }) }],
        expectResult: { vendorMessageIds: ["FKLEDGER1"] },
        expectRequests: [
          {
            method: "POST",
            path: "/messages",
            body: (body) => expect(JSON.parse(body)).toEqual({ clientRef: "11111111-1111-4111-8111-111111111111", to: "+15005550006", from: "+15005550001", body: "Hello from the harness", media: [] }),
          },
        ],
      },
      {
        label: "a ledger outage is a retryable error",
        vendorResponses: [{ status: 503, body: "down" }],
        expectError: { code: "http_503", retryable: true },
      },
    ],
  });
});
