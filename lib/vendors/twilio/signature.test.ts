import { createHmac } from "node:crypto";
import twilio from "twilio";
import { describe, expect, it } from "vitest";
import { formParams, twilioSignature, validTwilioSignature } from "./signature";

// The worked example on Twilio's "Webhooks security" page, with its published signature.
const DOC_URL = "https://mycompany.com/myapp.php?foo=1&bar=2";
const DOC_PARAMS = { CallSid: "CA1234567890ABCDE", Caller: "+12349013030", Digits: "1234", From: "+12349013030", To: "+18005551212" };
const DOC_SIGNATURE = "0/KCTR6DLpKmkAf8muzZqo1nDgQ=";
const TOKEN = "s3cr3t";

describe("X-Twilio-Signature", () => {
  it("reproduces the signature Twilio publishes for its worked example", () => {
    expect(twilioSignature("12345", DOC_URL, DOC_PARAMS)).toBe(DOC_SIGNATURE);
    expect(validTwilioSignature("12345", DOC_SIGNATURE, DOC_URL, DOC_PARAMS)).toBe(true);
  });

  it("reads a form body into the parameters Twilio signed, whatever their order and encoding", () => {
    const body = "To=%2B18005551212&CallSid=CA1234567890ABCDE&Digits=1234&From=%2B12349013030&Caller=%2B12349013030";
    expect(validTwilioSignature("12345", DOC_SIGNATURE, DOC_URL, formParams(body))).toBe(true);
    expect(formParams("Body=two+words%21&MediaUrl=a&MediaUrl=b")).toEqual({ Body: ["two words!"], MediaUrl: ["a", "b"] });
  });

  it("refuses another token, another URL, a changed parameter, and a truncated signature", () => {
    expect(validTwilioSignature("54321", DOC_SIGNATURE, DOC_URL, DOC_PARAMS)).toBe(false);
    expect(validTwilioSignature("12345", DOC_SIGNATURE, "https://mycompany.com/myapp.php?foo=1&bar=3", DOC_PARAMS)).toBe(false);
    expect(validTwilioSignature("12345", DOC_SIGNATURE, DOC_URL, { ...DOC_PARAMS, Digits: "9999" })).toBe(false);
    expect(validTwilioSignature("12345", DOC_SIGNATURE.slice(0, -1), DOC_URL, DOC_PARAMS)).toBe(false);
    expect(validTwilioSignature("12345", "", DOC_URL, DOC_PARAMS)).toBe(false);
  });

  it("signs a repeated parameter once per distinct value, values sorted", () => {
    const url = "https://example.com/hook";
    const data = `${url}BodyhiMediaUrlhttps://a.example/1MediaUrlhttps://b.example/2`;
    const expected = createHmac("sha1", TOKEN).update(data).digest("base64");
    expect(twilioSignature(TOKEN, url, { MediaUrl: ["https://b.example/2", "https://a.example/1", "https://b.example/2"], Body: "hi" })).toBe(expected);
  });

  it("accepts the default port spelled out or left off, either way round", () => {
    const withPort = twilioSignature(TOKEN, "https://example.com:443/path?test=param", {});
    const withoutPort = twilioSignature(TOKEN, "https://example.com/path?test=param", {});
    expect(validTwilioSignature(TOKEN, withPort, "https://example.com/path?test=param", {})).toBe(true);
    expect(validTwilioSignature(TOKEN, withoutPort, "https://example.com:443/path?test=param", {})).toBe(true);
    // Another port is another URL.
    expect(validTwilioSignature(TOKEN, twilioSignature(TOKEN, "https://example.com:8443/path?test=param", {}), "https://example.com/path?test=param", {})).toBe(false);
  });

  it("accepts a quote in the query escaped or not, as the URL parser normalises it", () => {
    const signed = twilioSignature(TOKEN, "https://example.com/path?test=param%27WithQuote", {});
    expect(validTwilioSignature(TOKEN, signed, "https://example.com/path?test=param'WithQuote", {})).toBe(true);
    expect(validTwilioSignature(TOKEN, twilioSignature(TOKEN, "https://example.com/path?test=param'WithQuote", {}), "https://example.com/path?test=param'WithQuote", {})).toBe(true);
  });
});

// The official helper library (a dev dependency): its signatures verify here, and ours verify there.
describe("interoperates with the twilio package", () => {
  const cases: [string, string, Record<string, string | string[]>][] = [
    ["the documented example", DOC_URL, DOC_PARAMS],
    ["an inbound MMS", "https://hub.example.org/api/webhooks/twilio/wh_x/inbound", { MessageSid: "SM1", Body: "a + b & c é", NumMedia: "2", MediaUrl0: "https://x/1", MediaUrl1: "https://x/2" }],
    ["a repeated parameter", "http://127.0.0.1:3000/api/webhooks/twilio/wh_x/status?attempt=2", { MessageStatus: "delivered", Tag: ["b", "a"] }],
  ];
  it.each(cases)("%s", (_label, url, params) => {
    const theirs = twilio.getExpectedTwilioSignature(TOKEN, url, params);
    expect(twilioSignature(TOKEN, url, params)).toBe(theirs);
    expect(validTwilioSignature(TOKEN, theirs, url, params)).toBe(true);
    expect(twilio.validateRequest(TOKEN, twilioSignature(TOKEN, url, params), url, params)).toBe(true);
    expect(twilio.validateRequest(TOKEN, twilioSignature("another-token", url, params), url, params)).toBe(false);
  });
});
