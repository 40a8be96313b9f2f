import { describe, expect, it } from "vitest";
import { runVendorCases, testContext } from "@/tests/helpers/vendor-harness";
import { smssyncAdapter } from "./adapter";
import { SECRET_MISMATCH } from "./protocol";

const SECRET = "s3cret-from-the-app";
const config = { secret: SECRET, number: "+14155550100" };
const form = (fields: Record<string, string>) => ({
  headers: { "content-type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams(fields).toString(),
});
const sms = {
  from: "+14155550142",
  message: "Running late",
  secret: SECRET,
  sent_timestamp: "1767323045000",
  sent_to: "",
  message_id: "80",
  device_id: "1",
};
const json = (data: unknown) => ({ headers: { "content-type": "application/json" }, body: JSON.stringify(data) });

runVendorCases(smssyncAdapter, {
  config: () => config,
  incoming: [
    {
      label: "an incoming SMS with the secret becomes an inbound event to the phone's number, answered with success",
      action: "sync",
      request: form(sms),
      expectVerify: null,
      expectDedupeKey: "message:80",
      expectEvents: [
        {
          type: "inbound",
          from: "+14155550142",
          to: "+14155550100",
          body: "Running late",
          media: [],
          vendorMessageId: "80",
          receivedAt: new Date(1767323045000),
        },
      ],
      expectResponse: {
        status: 200,
        body: '{"payload":{"success":true,"error":null}}',
        headers: { "content-type": "application/json; charset=utf-8" },
      },
    },
    {
      label: "sent_to, when the phone knows its number, is the number texted",
      action: "sync",
      request: form({ ...sms, from: "(415) 555-0143", sent_to: "+1 415-555-0199" }),
      expectEvents: [expect.objectContaining({ from: "+14155550143", to: "+14155550199" })] as never,
    },
    {
      label: "the wrong secret is refused in the seed's words",
      action: "sync",
      request: form({ ...sms, secret: "guess" }),
      expectVerify: new RegExp(`^${SECRET_MISMATCH}$`),
    },
    {
      label: "no secret at all is refused",
      action: "sync",
      request: form({ ...sms, secret: "" }),
      expectVerify: new RegExp(SECRET_MISMATCH),
    },
    {
      label: "a task request carries the secret in its query",
      action: "sync",
      request: { method: "GET", query: { task: "send", secret: SECRET } },
      expectVerify: null,
      expectDedupeKey: null,
      expectEvents: [],
    },
    {
      label: "a missing message is named as the seed's server names it",
      action: "sync",
      request: form({ ...sms, message: "" }),
      expectParseError: /^The message variable was not set$/,
    },
    {
      label: "a missing message_id is named",
      action: "sync",
      request: form({ from: sms.from, message: "hi", secret: SECRET, sent_timestamp: "1" }),
      expectParseError: /^The message_id variable was not set$/,
    },
    {
      label: "delivery results become status events found by our message id",
      action: "sync",
      request: {
        method: "POST",
        query: { task: "result", secret: SECRET },
        ...json({
          message_result: [
            {
              uuid: "aada21b0-0615-4957-bcb3-000000000001",
              sent_result_code: 0,
              sent_result_message: "SMSSync Message Sent",
              delivered_result_code: 0,
              delivered_result_message: "SMS Delivered",
            },
          ],
        }),
      },
      expectEvents: [
        {
          type: "status",
          vendorMessageId: "aada21b0-0615-4957-bcb3-000000000001",
          messageId: "aada21b0-0615-4957-bcb3-000000000001",
          status: "SENT",
          vendorStatus: "SMSSync Message Sent",
        },
        {
          type: "status",
          vendorMessageId: "aada21b0-0615-4957-bcb3-000000000001",
          messageId: "aada21b0-0615-4957-bcb3-000000000001",
          status: "DELIVERED",
          vendorStatus: "SMS Delivered",
        },
      ],
    },
  ],
  outgoing: [
    {
      label: "send is never the way out for a phone that fetches its messages: a final error, no request",
      expectError: { code: "smssync_device_pull", retryable: false, description: /fetch their messages/ },
      expectRequests: [],
    },
  ],
});

describe("smssync: test connection", () => {
  const ctx = (lastDeviceContactAt: Date | null | undefined) => ({
    ...testContext(smssyncAdapter, config, "http://127.0.0.1:9"),
    lastDeviceContactAt,
  });

  it("reports when the phone last synced", async () => {
    const result = await smssyncAdapter.verifyCredentials(ctx(new Date("2026-01-02T02:59:05.000Z")) as never);
    expect(result).toEqual({ ok: true, detail: "The phone last synced 5 minutes ago (2026-01-02T02:59:05.000Z)." });
  });

  it("says so when the phone never has", async () => {
    expect(await smssyncAdapter.verifyCredentials(ctx(null) as never)).toMatchObject({
      ok: false,
      detail: expect.stringMatching(/has not synced yet/),
    });
  });
});
