import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runVendorCases, StubVendor, testContext } from "@/tests/helpers/vendor-harness";
import { templateAdapter } from "./adapter";

const seed = readFileSync(path.join(import.meta.dirname, "examples", "ringotel-seed.json"), "utf8");
const plivo = readFileSync(path.join(import.meta.dirname, "examples", "plivo.json"), "utf8");
const json = (body: unknown) => ({ headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
const ok = { status: 200, headers: { "content-type": "application/json" }, body: '{"result":"ok"}' };

runVendorCases(templateAdapter, {
  config: (stubUrl) => ({
    definition: seed,
    originOverride: stubUrl,
    "property:API key": "rk_live_123",
    "property:Server": "ns.example.com",
    "property:Domain": "acme.example",
  }),
  incoming: [
    {
      label: "a message event becomes an inbound text, recognised by its event_key",
      action: "events",
      request: json({ method: "message", params: { from: "+61855555555", to: "+61123456789", content: "Hello there!" } }),
      expectVerify: null,
      expectEvents: [
        {
          type: "inbound",
          from: "+61855555555",
          to: "+61123456789",
          body: "Hello there!",
          media: [],
          vendorMessageId: undefined,
        },
      ],
      expectResponse: ok,
    },
    {
      label: "a file event becomes an inbound MMS",
      action: "events",
      request: json({
        method: "file",
        params: {
          from: "+61855555555",
          to: "+61123456789",
          text: "Sending a file",
          url: "https://your.server.com/files/8a8d89798as9ud.jpeg",
        },
      }),
      expectEvents: [
        {
          type: "inbound",
          from: "+61855555555",
          to: "+61123456789",
          body: "Sending a file",
          media: ["https://your.server.com/files/8a8d89798as9ud.jpeg"],
          vendorMessageId: undefined,
        },
      ],
    },
    {
      label: "a delivered event becomes a delivery report",
      action: "events",
      request: json({ method: "delivered", params: { messageid: "9612c4e2-27f8-4463-a517-c6306ffdabff" } }),
      expectEvents: [
        {
          type: "status",
          vendorMessageId: "9612c4e2-27f8-4463-a517-c6306ffdabff",
          status: "DELIVERED",
          vendorStatus: "delivered",
        },
      ],
    },
    {
      label: "an unknown event_key is refused",
      action: "events",
      request: json({ method: "typing", params: {} }),
      expectParseError: /none of the definition's Webhook event models/,
    },
    {
      label: "a message event without its sender names the placeholder",
      action: "events",
      request: json({ method: "message", params: { to: "+6112", content: "x" } }),
      expectParseError: /no \$from\$/,
    },
    {
      label: "numbers written nationally or as digits without the + are read as phone numbers",
      action: "events",
      request: json({ method: "message", params: { from: "(415) 555-0100", to: "61491570111", content: "hi" } }),
      expectEvents: [{ type: "inbound", from: "+14155550100", to: "+61491570111", body: "hi", media: [], vendorMessageId: undefined }],
    },
    {
      label: "a sender that is not a phone number is refused, naming the field, not stored for the worker to choke on",
      action: "events",
      request: json({ method: "message", params: { from: "'; drop table messages; --", to: "+61123456789", content: "x" } }),
      expectParseError: /^from: not a phone number/,
    },
    {
      label: "our number, when given, must be a phone number too",
      action: "events",
      request: json({ method: "message", params: { from: "+61855555555", to: "reception", content: "x" } }),
      expectParseError: /^to: not a phone number/,
    },
    {
      label: "a body that is not JSON is refused",
      action: "events",
      request: { headers: { "content-type": "application/json" }, body: "{oops" },
      expectParseError: /not valid JSON/,
    },
    {
      label: "Plivo's form-encoded inbound and status callbacks map by Type and Status",
      action: "events",
      config: { definition: plivo },
      request: {
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "From=%2B14155550100&To=%2B14155550199&Type=sms&Text=Hi+there&MessageUUID=u-77",
      },
      expectEvents: [
        { type: "inbound", from: "+14155550100", to: "+14155550199", body: "Hi there", media: [], vendorMessageId: "u-77" },
      ],
    },
    {
      label: "Plivo's delivered status",
      action: "events",
      config: { definition: plivo },
      request: {
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "Status=delivered&MessageUUID=u-78&To=%2B1&From=%2B2",
      },
      expectEvents: [{ type: "status", vendorMessageId: "u-78", status: "DELIVERED", vendorStatus: "delivered" }],
    },
  ],
  outgoing: [
    {
      label: "SendMessage: the seed's request with placeholders filled, Bearer auth, the id from response_map",
      message: { body: 'He said "hi" & left' },
      vendorResponses: [{ status: 200, body: JSON.stringify({ data: { id: "9612c4e2" } }) }],
      expectRequests: [
        {
          method: "POST",
          path: "/webhook",
          headers: { authorization: "Bearer rk_live_123", "content-type": "application/json" },
          body: (body) =>
            expect(JSON.parse(body)).toEqual({
              from: "+15005550001",
              to: "+15005550006",
              extension: "",
              domain: expect.stringMatching(/^127\.0\.0\.1:\d+$/),
              content: 'He said "hi" & left',
            }),
        },
      ],
      expectResult: { vendorMessageIds: ["9612c4e2"] },
    },
    {
      label: "text and a picture: SendMessage, then SendFile with the media URL",
      message: { body: "Look", mediaUrls: ["https://cdn.example.com/a.jpg"] },
      vendorResponses: [
        { status: 200, body: JSON.stringify({ data: { id: "m-1" } }) },
        { status: 200, body: JSON.stringify({ data: { id: "f-1" } }) },
      ],
      expectRequests: [
        { method: "POST", path: "/webhook", body: /"content":"Look"/ },
        { method: "POST", path: "/webhook", body: /"media_url":"https:\/\/cdn\.example\.com\/a\.jpg"/ },
      ],
      expectResult: { vendorMessageIds: ["m-1", "f-1"] },
    },
    {
      label: "Plivo: Basic auth, the Auth ID in the path, the callback URL, message_uuid[0]",
      config: { definition: plivo, "property:Auth ID": "MAXXXXXXXX", "property:Auth Token": "tok-secret" },
      vendorResponses: [
        {
          status: 202,
          body: JSON.stringify({
            api_id: "a",
            message: "message(s) queued",
            message_uuid: ["db3ce55a-7f1d-11e1-8ea7-1231380bc196"],
          }),
        },
      ],
      expectRequests: [
        {
          method: "POST",
          path: "/v1/Account/MAXXXXXXXX/Message/",
          headers: { authorization: `Basic ${Buffer.from("MAXXXXXXXX:tok-secret").toString("base64")}` },
          body: (body) =>
            expect(JSON.parse(body)).toMatchObject({
              src: "+15005550001",
              dst: "+15005550006",
              url: expect.stringMatching(/\/api\/webhooks\/template\/wh_testtoken\/events$/),
              method: "POST",
            }),
        },
      ],
      expectResult: { vendorMessageIds: ["db3ce55a-7f1d-11e1-8ea7-1231380bc196"] },
    },
    {
      label: "a 503 is retryable",
      vendorResponses: [{ status: 503, body: "busy" }],
      expectError: { code: "http_503", retryable: true },
    },
    {
      label: "a 400 is final, with the vendor's words",
      vendorResponses: [{ status: 400, body: '{"error":"bad to"}' }],
      expectError: { code: "http_400", retryable: false, description: /bad to/ },
    },
    {
      label: "an answer without the id where response_map says is final",
      vendorResponses: [{ status: 200, body: "{}" }],
      expectError: { code: "no_message_id", retryable: false },
    },
  ],
});

describe("template: settings and Subscribe", () => {
  it("declares the definition's properties as fields, secret by name", () => {
    const fields = templateAdapter.dynamicFields({ definition: seed });
    expect(fields.map((f) => [f.name, f.secret])).toEqual([
      ["property:API key", true],
      ["property:Server", false],
      ["property:Domain", false],
    ]);
    expect(templateAdapter.dynamicFields({ definition: "{" })).toEqual([]);
    expect(
      templateAdapter.fullyConfigured({
        definition: seed,
        "property:API key": "k",
        "property:Server": "s",
        "property:Domain": "d",
      }),
    ).toBe(true);
    expect(templateAdapter.fullyConfigured({ definition: seed, "property:API key": "k" })).toBe(false);
  });

  it("refuses a definition at save with every problem by its path", () => {
    const parsed = templateAdapter.configSchema.safeParse({ definition: seed.replace('"$content$"', '"$body$"') });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues[0]!.message).toMatch(
      /^API\.SendMessage\.request_parameters\.content: unknown placeholder \$body\$/,
    );
  });

  it("Subscribe posts our events URL to the server the properties name", async () => {
    const stub = new StubVendor();
    await stub.start();
    try {
      stub.reset([{ status: 201, body: "{}" }]);
      const config = {
        definition: seed,
        originOverride: stub.url,
        "property:API key": "k-123",
        "property:Server": "ns.example.com",
        "property:Domain": "acme",
      };
      await templateAdapter.subscribe(testContext(templateAdapter, config, "https://sb.example.com") as never);
      const [request] = await stub.waitFor(1);
      expect(request).toMatchObject({
        method: "POST",
        path: "/ns-api/v2/subscriptions",
        headers: { authorization: "Bearer k-123" },
      });
      expect(JSON.parse(request!.body)).toEqual({
        domain: "acme",
        user: "*",
        model: "message",
        "post-url": "https://sb.example.com/api/webhooks/template/wh_testtoken/events",
      });
    } finally {
      await stub.stop();
    }
  });
});
