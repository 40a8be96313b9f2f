import { describe, expect, it } from "vitest";
import { WebhookParseError } from "../errors";
import {
  failureAnswer,
  fieldsOf,
  parseResults,
  parseSentUuids,
  parseTimestamp,
  sendTaskAnswer,
  successAnswer,
  toDeviceMessage,
  uuidsAnswer,
  verifySecret,
} from "./protocol";

const A = "aada21b0-0615-4957-bcb3-0000000000aa";
const B = "1ba368bd-c467-4374-bf28-0000000000bb";

describe("SMSsync answers", () => {
  it("are the seed's exact JSON", () => {
    expect(successAnswer().body).toBe('{"payload":{"success":true,"error":null}}');
    expect(failureAnswer("The from variable was not set").body).toBe(
      '{"payload":{"success":false,"error":"The from variable was not set"}}',
    );
    expect(uuidsAnswer([]).body).toBe('{"message_uuids":[]}');
    expect(JSON.parse(sendTaskAnswer("k", [{ to: "+1", message: "m", uuid: A }]).body)).toEqual({
      payload: { success: true, task: "send", secret: "k", messages: [{ to: "+1", message: "m", uuid: A }] },
    });
  });

  it("carry queued replies on the answer to an incoming SMS, with the secret", () => {
    expect(JSON.parse(successAnswer({ secret: "k", messages: [{ to: "+1", message: "m", uuid: A }] }).body)).toEqual({
      payload: { success: true, error: null, task: "send", secret: "k", messages: [{ to: "+1", message: "m", uuid: A }] },
    });
  });

  it("are HTTP 200 whatever they say", () => {
    expect([successAnswer(), failureAnswer("no"), uuidsAnswer([])].map((a) => a.status)).toEqual([200, 200, 200]);
  });
});

describe("SMSsync requests", () => {
  it.each([
    [
      "form",
      { "content-type": "application/x-www-form-urlencoded" },
      "from=%2B1&message=a+b&message=second",
      { from: "+1", message: "a b" },
    ],
    [
      "JSON",
      { "content-type": "application/json" },
      '{"from":"+1","message":"a b","sent_timestamp":12}',
      { from: "+1", message: "a b", sent_timestamp: "12" },
    ],
    ["unreadable JSON", { "content-type": "application/json" }, "{oops", {}],
  ])("reads %s fields", (_label, headers, body, expected) => {
    expect(fieldsOf({ headers, body })).toEqual(expected);
  });

  it("checks the secret from the query or the fields", () => {
    const none = { headers: {}, body: "" };
    expect(verifySecret("k", { ...none, query: { secret: "k" } })).toBeNull();
    expect(verifySecret("k", { query: {}, headers: {}, body: "secret=k" })).toBeNull();
    expect(verifySecret("k", { ...none, query: { secret: "K" } })).toMatch(/does not match/);
    expect(verifySecret("k", { ...none, query: {} })).toMatch(/does not match/);
  });

  it.each([
    ["1767323045000", new Date(1767323045000)],
    ["123456789", new Date(123456789_000)],
    ["2026-01-02T03:04:05Z", new Date("2026-01-02T03:04:05Z")],
    ["yesterday", undefined],
  ])("reads the timestamp %s", (value, expected) => {
    expect(parseTimestamp(value)).toEqual(expected);
  });

  it("reads task=sent's queued uuids, once each", () => {
    expect(parseSentUuids(JSON.stringify({ queued_messages: [A, B, A, 7] }))).toEqual([A, B]);
    expect(() => parseSentUuids("{}")).toThrow(
      new WebhookParseError("The queued_messages variable was not set", "queued_messages"),
    );
  });

  it("maps every result of the seed's example", () => {
    const events = parseResults(
      JSON.stringify({
        message_result: [
          {
            uuid: "052bf515-ef6b-f424-c4ee",
            sent_result_code: 0,
            sent_result_message: "SMSSync Message Sent",
            delivered_result_code: -1,
            delivered_result_message: "",
          },
          {
            uuid: A,
            sent_result_code: 0,
            sent_result_message: "SMSSync Message Sent",
            delivered_result_code: 0,
            delivered_result_message: "SMS Delivered",
          },
          {
            uuid: B,
            sent_result_code: 1,
            sent_result_message: "Failed to send SMS - Maybe insufficient air time on the phone.",
            delivered_result_code: -1,
            delivered_result_message: "",
          },
          {
            uuid: "95df126b-ee80-4175-a6fb",
            sent_result_code: "4",
            sent_result_message: "No service",
            delivered_result_code: -1,
          },
          { uuid: "d1", sent_result_code: 0, delivered_result_code: 7 },
        ],
      }),
    );
    expect(events).toEqual([
      { type: "status", vendorMessageId: "052bf515-ef6b-f424-c4ee", status: "SENT", vendorStatus: "SMSSync Message Sent" },
      { type: "status", vendorMessageId: A, messageId: A, status: "SENT", vendorStatus: "SMSSync Message Sent" },
      { type: "status", vendorMessageId: A, messageId: A, status: "DELIVERED", vendorStatus: "SMS Delivered" },
      {
        type: "status",
        vendorMessageId: B,
        messageId: B,
        status: "FAILED",
        vendorStatus: "failed to send (code 1)",
        errorCode: "1",
        errorDescription: "Failed to send SMS - Maybe insufficient air time on the phone.",
      },
      {
        type: "status",
        vendorMessageId: "95df126b-ee80-4175-a6fb",
        status: "FAILED",
        vendorStatus: "failed to send (code 4)",
        errorCode: "4",
        errorDescription: "No service",
      },
      // A delivered code the spec does not define: no guess, the sent event stands alone.
      { type: "status", vendorMessageId: "d1", status: "SENT", vendorStatus: "sent" },
    ]);
  });

  it("names a result without a uuid", () => {
    expect(() => parseResults(JSON.stringify({ message_result: [{ sent_result_code: 0 }] }))).toThrow(
      /message_result\[0\]\.uuid is missing/,
    );
    expect(() => parseResults("[]")).toThrow(/The message_result variable was not set/);
  });

  it("hands the phone text only: media links go in the text", () => {
    expect(toDeviceMessage({ id: A, toE164: "+14155550142", body: "See", media: ["https://example.test/a.jpg"] })).toEqual({
      to: "+14155550142",
      message: "See\nhttps://example.test/a.jpg",
      uuid: A,
    });
  });
});
