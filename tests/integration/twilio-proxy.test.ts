import { eq } from "drizzle-orm";
import twilio from "twilio";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db";
import { webhookEvents } from "@/db/schema/webhook-events";
import { saveVendorAccount } from "@/lib/vendors/accounts";
import { startApp, type RunningApp } from "../helpers/app";
import { ownerWithOrg } from "../helpers/fixtures";

/**
 * Behind a proxy, Twilio signs the public URL it called, not the address the app listens on:
 * the app checks X-Twilio-Signature against PUBLIC_URL, never against the Host or forwarded
 * headers a caller controls. Signatures are made here by the official `twilio` package.
 */
const PUBLIC = "https://hub.example.org";
const TWILIO = { accountSid: `AC${"5a1e".repeat(8)}`, authToken: "9d8c7b6a5f4e3d2c1b0a9d8c7b6a5f4e" };
let app: RunningApp;
let token: string;

beforeAll(async () => {
  app = await startApp({ PUBLIC_URL: PUBLIC });
  const { user, org } = await ownerWithOrg("Proxy");
  const account = await saveVendorAccount(
    org.id,
    { userId: user.id, label: "test" },
    { kind: "twilio", name: "Twilio", values: TWILIO },
  );
  token = account.webhookToken;
});

afterAll(async () => {
  await app?.stop();
});

function post(path: string, params: Record<string, string>, signedUrl: string, headers: Record<string, string> = {}) {
  return fetch(`${app.url}${path}`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "x-twilio-signature": twilio.getExpectedTwilioSignature(TWILIO.authToken, signedUrl, params),
      ...headers,
    },
    body: new URLSearchParams(params),
  });
}

describe("Twilio webhooks behind a proxy", () => {
  it("accept a signature over the public URL, query string included, and answer empty TwiML", async () => {
    const path = `/api/webhooks/twilio/${token}/inbound?source=proxy`;
    const params = {
      MessageSid: "SMproxy000000000000000000000000001",
      AccountSid: TWILIO.accountSid,
      From: "+14155550177",
      To: "+14155550100",
      Body: "via the proxy",
      NumMedia: "0",
    };
    const response = await post(path, params, `${PUBLIC}${path}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/xml/);
    expect(await response.text()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response></Response>');
    const [stored] = await db
      .select()
      .from(webhookEvents)
      .where(eq(webhookEvents.dedupeKey, `inbound:${params.MessageSid}`));
    expect(stored?.url).toBe(`${PUBLIC}${path}`);
  });

  it("refuse a signature over the address the app listens on, or over a forwarded host", async () => {
    const path = `/api/webhooks/twilio/${token}/inbound`;
    const params = {
      MessageSid: "SMproxy000000000000000000000000002",
      AccountSid: TWILIO.accountSid,
      From: "+14155550177",
      To: "+14155550100",
      Body: "direct",
      NumMedia: "0",
    };
    expect((await post(path, params, `${app.url}${path}`)).status).toBe(403);
    const forwarded = { "x-forwarded-host": "evil.example", "x-forwarded-proto": "https", host: "evil.example" };
    expect((await post(path, params, `https://evil.example${path}`, forwarded)).status).toBe(403);
    expect(
      await db
        .select()
        .from(webhookEvents)
        .where(eq(webhookEvents.dedupeKey, `inbound:${params.MessageSid}`)),
    ).toEqual([]);
    expect(app.output()).toContain(`webhook refused for account`);
  });
});
