import { createHmac } from "node:crypto";
import twilio from "twilio";
import { describe, expect, it } from "vitest";
import type { Simulator } from "@/sim/index";
import { simWithHubForFile } from "../helpers/sim-hub";

/**
 * The vendor simulator over HTTP, as the adapters and the hub meet it: vendors' own 401s,
 * Twilio's answer shape, signed callbacks checked with the published algorithms (written
 * out here or taken from the official `twilio` package, independently of sim/signatures.ts),
 * injected errors, inbound texts reaching a webhook server, and the request record.
 */
const TWILIO = { accountSid: `AC${"ab12".repeat(8)}`, authToken: "0123456789abcdef0123456789abcdef" };
const BANDWIDTH = { accountId: "5550001", username: "bw-user", password: "bw-password", applicationId: "app-1" };
const VONAGE = { apiKey: "vk123", apiSecret: "vs-secret", signatureSecret: "vonage-signature-secret" };

let sim: Simulator;
let hubUrl = "";
const received = simWithHubForFile(
  async (started) => {
    ({ sim, hubUrl } = started);
    sim.control.addAccount({ vendor: "twilio", ...TWILIO, inboundUrl: `${hubUrl}/twilio/inbound` });
    sim.control.addAccount({
      vendor: "bandwidth",
      ...BANDWIDTH,
      callbackUrl: `${hubUrl}/bandwidth`,
      callbackUsername: "hub",
      callbackPassword: "hub-callback-pw",
    });
    sim.control.addAccount({
      vendor: "vonage",
      ...VONAGE,
      signatureMethod: "sha256",
      inboundUrl: `${hubUrl}/vonage/inbound`,
      dlrUrl: `${hubUrl}/vonage/dlr`,
    });
  },
  (req, res) => {
    // Twilio wants TwiML back from an inbound webhook; Bandwidth and Vonage any 2xx.
    if (req.url === "/twilio/inbound")
      res.writeHead(200, { "content-type": "text/xml" }).end('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    else res.writeHead(req.url === "/bandwidth" ? 204 : 200).end();
  },
);

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
const postJson = (path: string, body: unknown) => fetch(`${sim.url}${path}`, { method: "POST", body: JSON.stringify(body) });
const US = { To: "+14155550123", From: "+14155550100" };

function twilioSend(params: Record<string, string>, token = TWILIO.authToken) {
  return fetch(`${sim.url}/twilio/2010-04-01/Accounts/${TWILIO.accountSid}/Messages.json`, {
    method: "POST",
    headers: { authorization: basic(TWILIO.accountSid, token), "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ ...US, ...params }),
  });
}

function bandwidthSend(message: Record<string, unknown>, user = BANDWIDTH.username, accountId = BANDWIDTH.accountId) {
  return fetch(`${sim.url}/bandwidth/api/v2/users/${accountId}/messages`, {
    method: "POST",
    headers: { authorization: basic(user, BANDWIDTH.password), "content-type": "application/json" },
    body: JSON.stringify(message),
  });
}

function vonageSend(params: Record<string, string>) {
  const fields = { api_key: VONAGE.apiKey, api_secret: VONAGE.apiSecret, to: "14155550123", from: "Sim", text: "hi", ...params };
  return fetch(`${sim.url}/vonage/sms/json`, { method: "POST", body: new URLSearchParams(fields) });
}

/** Twilio's own validator (the official helper library): params as Twilio signed them, repeated names as arrays. */
function twilioSignatureValid(token: string, signature: string, url: string, params: URLSearchParams): boolean {
  const fields: Record<string, string | string[]> = {};
  for (const name of new Set(params.keys())) {
    const values = params.getAll(name);
    fields[name] = values.length === 1 ? values[0]! : values;
  }
  return twilio.validateRequest(token, signature, url, fields);
}

/** Vonage's published check (as its SDKs do it): sorted "&name=value" with & and = as _, HMAC-SHA256 hex, any case. */
function vonageSignatureValid(params: Record<string, string>): boolean {
  const { sig = "", ...rest } = params;
  const data = Object.keys(rest)
    .sort()
    .map((k) => `&${k}=${rest[k]!.replace(/[&=]/g, "_")}`)
    .join("");
  return sig.toLowerCase() === createHmac("sha256", VONAGE.signatureSecret).update(data).digest("hex");
}

describe("credentials", () => {
  it("answers wrong credentials with each vendor's own refusal", async () => {
    const twilio = await twilioSend({ Body: "hi" }, "wrong-token");
    expect([twilio.status, twilio.headers.get("www-authenticate")]).toEqual([401, 'Basic realm="Twilio API"']);
    expect(await twilio.json()).toEqual({
      code: 20003,
      detail: "Your AccountSid or AuthToken was incorrect.",
      message: "Authenticate",
      more_info: "https://www.twilio.com/docs/errors/20003",
      status: 401,
    });
    const wrong = await bandwidthSend({}, "nobody");
    expect([wrong.status, await wrong.json()]).toEqual([401, { type: "unauthorized", description: "Authentication Failed" }]);
    const otherAccount = await bandwidthSend({}, BANDWIDTH.username, "9999999");
    expect([otherAccount.status, await otherAccount.json()]).toEqual([403, { type: "forbidden", description: "Access Denied" }]);
    const vonage = await vonageSend({ api_secret: "nope" });
    expect([vonage.status, await vonage.json()]).toEqual([
      200,
      { "message-count": "1", messages: [{ status: "4", "error-text": "Bad Credentials" }] },
    ]);
  });
});

describe("a Twilio send", () => {
  it("answers with Twilio's message resource, records the exact request, and reports it signed", async () => {
    sim.control.clearRequests();
    const statusCallback = `${hubUrl}/twilio/status?account=a1`;
    const response = await twilioSend({ Body: "Hello 👋", StatusCallback: statusCallback });
    expect(response.status).toBe(201);
    const message = (await response.json()) as Record<string, unknown>;
    expect(message).toMatchObject({
      account_sid: TWILIO.accountSid,
      api_version: "2010-04-01",
      body: "Hello 👋",
      direction: "outbound-api",
      error_code: null,
      error_message: null,
      from: US.From,
      num_media: "0",
      num_segments: "1",
      status: "queued",
      to: US.To,
    });
    expect(message.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(message.date_created).toMatch(/^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0000$/);

    const recorded = (await (await fetch(`${sim.url}/_sim/requests?vendor=twilio`)).json()) as {
      path: string;
      headers: Record<string, string>;
      body: string;
    }[];
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({ method: "POST", path: `/2010-04-01/Accounts/${TWILIO.accountSid}/Messages.json` });
    expect(recorded[0]!.headers.authorization).toBe(basic(TWILIO.accountSid, TWILIO.authToken));
    expect(Object.fromEntries(new URLSearchParams(recorded[0]!.body))).toEqual({
      ...US,
      Body: "Hello 👋",
      StatusCallback: statusCallback,
    });
    expect((await fetch(`${sim.url}/_sim/requests`, { method: "DELETE" })).status).toBe(204);
    expect(sim.control.requests()).toEqual([]);

    await sim.control.flush();
    const callbacks = received.filter((r) => r.url === "/twilio/status?account=a1");
    expect(callbacks.map((c) => new URLSearchParams(c.body).get("MessageStatus"))).toEqual(["sent", "delivered"]);
    for (const callback of callbacks) {
      const params = new URLSearchParams(callback.body);
      expect(callback.headers["content-type"]).toMatch(/^application\/x-www-form-urlencoded/);
      expect([params.get("MessageSid"), params.get("AccountSid")]).toEqual([message.sid, TWILIO.accountSid]);
      const signature = String(callback.headers["x-twilio-signature"]);
      expect(twilioSignatureValid(TWILIO.authToken, signature, statusCallback, params)).toBe(true);
      expect(twilioSignatureValid("another-token", signature, statusCallback, params)).toBe(false);
      params.set("MessageStatus", "failed");
      expect(twilioSignatureValid(TWILIO.authToken, signature, statusCallback, params)).toBe(false);
    }
    const fetched = await fetch(
      `${sim.url}/twilio/2010-04-01/Accounts/${TWILIO.accountSid}/Messages/${String(message.sid)}.json`,
      {
        headers: { authorization: basic(TWILIO.accountSid, TWILIO.authToken) },
      },
    );
    expect(await fetched.json()).toMatchObject({ sid: message.sid, status: "delivered" });
  });

  it("duplicates and reorders reports when asked", async () => {
    sim.control.setReports({ duplicate: true, reorder: true });
    await twilioSend({ To: "+14155550124", Body: "twice", StatusCallback: `${hubUrl}/twilio/status` });
    await sim.control.flush();
    expect(received.map((r) => new URLSearchParams(r.body).get("MessageStatus"))).toEqual([
      "delivered",
      "delivered",
      "sent",
      "sent",
    ]);
    // A duplicate is the vendor's retry of one request: the same body, signature and idempotency token.
    const [first, again] = received;
    expect(again!.body).toBe(first!.body);
    expect(again!.headers["x-twilio-signature"]).toBe(first!.headers["x-twilio-signature"]);
    expect(again!.headers["i-twilio-idempotency-token"]).toBe(first!.headers["i-twilio-idempotency-token"]);
  });

  it("keeps each message's report delay when the delay changes between sends, and flush waits for every report", async () => {
    const statusCallback = `${hubUrl}/twilio/status`;
    const started = performance.now();
    try {
      sim.control.setReports({ delayMs: 300 });
      expect((await twilioSend({ To: "+14155550125", Body: "slow", StatusCallback: statusCallback })).status).toBe(201);
      sim.control.setReports({ delayMs: 20 });
      expect((await twilioSend({ To: "+14155550126", Body: "quick", StatusCallback: statusCallback })).status).toBe(201);
      await sim.control.flush();
    } finally {
      sim.control.setReports({ delayMs: 20 });
    }
    const reports = received.map((r) => new URLSearchParams(r.body)).map((p) => `${p.get("To")} ${p.get("MessageStatus")}`);
    expect(reports).toEqual(["+14155550126 sent", "+14155550126 delivered", "+14155550125 sent", "+14155550125 delivered"]);
    // The slow message's two reports came 300 ms apart, after its own 300 ms.
    expect(performance.now() - started).toBeGreaterThanOrEqual(590);
  });
});

describe("Bandwidth and Vonage reports", () => {
  it("reports a Bandwidth send with its tag under Basic auth, and a Vonage send with a signed receipt", async () => {
    const sent = await bandwidthSend({
      applicationId: BANDWIDTH.applicationId,
      to: [US.To],
      from: US.From,
      text: "hi",
      tag: "msg-1",
    });
    expect(sent.status).toBe(202);
    const { id } = (await sent.json()) as { id: string };
    const vonage = (await (await vonageSend({ "client-ref": "msg-2" })).json()) as { messages: { "message-id": string }[] };
    await sim.control.flush();
    const bandwidth = received.find((r) => r.url === "/bandwidth")!;
    expect(bandwidth.headers.authorization).toBe(basic("hub", "hub-callback-pw"));
    expect(JSON.parse(bandwidth.body)).toMatchObject([
      { type: "message-delivered", to: US.To, message: { id, tag: "msg-1", direction: "out" } },
    ]);
    const receipt = Object.fromEntries(new URLSearchParams(received.find((r) => r.url === "/vonage/dlr")!.body));
    const messageId = vonage.messages[0]!["message-id"];
    expect(receipt).toMatchObject({
      messageId,
      status: "delivered",
      "err-code": "0",
      "client-ref": "msg-2",
      msisdn: "14155550123",
    });
    expect(vonageSignatureValid(receipt)).toBe(true);
    expect(vonageSignatureValid({ ...receipt, status: "failed" })).toBe(false);
  });
});

describe("injected errors", () => {
  it("answers Twilio 429 (20429), opt-out 21610, and reports 30003 later", async () => {
    expect((await postJson("/_sim/faults", { vendor: "twilio", status: 429 })).status).toBe(201);
    const limited = await twilioSend({ Body: "a" });
    const tooMany = {
      code: 20429,
      message: "Too Many Requests",
      more_info: "https://www.twilio.com/docs/errors/20429",
      status: 429,
    };
    expect([limited.status, await limited.json()]).toEqual([429, tooMany]);

    sim.control.injectFault({ vendor: "twilio", code: 21610, to: "+14155550126", times: "always" });
    for (let i = 0; i < 2; i++) {
      const optedOut = await twilioSend({ To: "+14155550126", Body: "b" });
      const body = expect.objectContaining({ code: 21610, status: 400, more_info: "https://www.twilio.com/docs/errors/21610" });
      expect([optedOut.status, await optedOut.json()]).toEqual([400, body]);
    }
    expect((await twilioSend({ To: "+14155550127", Body: "c" })).status).toBe(201);

    sim.control.injectFault({ vendor: "twilio", code: "30003" });
    expect((await twilioSend({ To: "+14155550128", Body: "d", StatusCallback: `${hubUrl}/twilio/status` })).status).toBe(201);
    await sim.control.flush();
    const last = new URLSearchParams(received.at(-1)!.body);
    expect([last.get("MessageStatus"), last.get("ErrorCode")]).toEqual(["undelivered", "30003"]);
  });

  it("answers Bandwidth 429 and Vonage throttling in their own words, and slowly when asked", async () => {
    sim.control.injectFault({ vendor: "bandwidth", status: 429 });
    const bandwidth = await bandwidthSend({ applicationId: BANDWIDTH.applicationId, to: [US.To], from: US.From, text: "hi" });
    expect([bandwidth.status, await bandwidth.json()]).toEqual([
      429,
      expect.objectContaining({ type: "max-message-queue-size-exceeded" }),
    ]);

    sim.control.injectFault({ vendor: "vonage", code: "1", delayMs: 300 });
    const started = Date.now();
    const vonage = await vonageSend({});
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    const throttled = { to: "14155550123", status: "1", "error-text": expect.stringMatching(/Throughput Rate Exceeded/) };
    expect(await vonage.json()).toEqual({ "message-count": "1", messages: [throttled] });
  });
});

describe("a phone texting one of our numbers", () => {
  it("reaches the hub as a signed Twilio form POST with its media hosted", async () => {
    const response = await postJson("/_sim/inbound", {
      vendor: "twilio",
      from: "+14155550199",
      to: US.From,
      body: "STOP",
      media: ["image/png"],
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject([{ response: { status: 200 }, notes: [] }]);
    expect(received).toHaveLength(1);
    const params = new URLSearchParams(received[0]!.body);
    expect(Object.fromEntries(params)).toMatchObject({
      From: "+14155550199",
      To: US.From,
      Body: "STOP",
      NumMedia: "1",
      SmsStatus: "received",
      AccountSid: TWILIO.accountSid,
      MediaContentType0: "image/png",
    });
    const signature = String(received[0]!.headers["x-twilio-signature"]);
    expect(twilioSignatureValid(TWILIO.authToken, signature, `${hubUrl}/twilio/inbound`, params)).toBe(true);
    const media = await fetch(params.get("MediaUrl0")!);
    expect([media.status, media.headers.get("content-type")]).toEqual([200, "image/png"]);
  });

  it("reaches the hub as a Bandwidth message-received array with the application's Basic credentials", async () => {
    await sim.control.inbound({ vendor: "bandwidth", from: "+14155550199", to: US.From, body: "hello", parts: 2 });
    expect(received[0]!.headers.authorization).toBe(basic("hub", "hub-callback-pw"));
    const message = {
      owner: US.From,
      direction: "in",
      to: [US.From],
      from: "+14155550199",
      text: "hello",
      segmentCount: 2,
      applicationId: "app-1",
    };
    const event = { type: "message-received", time: expect.any(String), description: "Incoming message received", to: US.From };
    expect(JSON.parse(received[0]!.body)).toEqual([{ ...event, message: expect.objectContaining(message) }]);
  });

  it("reaches the hub as Vonage concat parts, each signed with the signature secret", async () => {
    const text = "one two & three = four, five six";
    await sim.control.inbound({ vendor: "vonage", from: "+14155550199", to: US.From, body: text, parts: 3 });
    const parts = received.map((r) => Object.fromEntries(new URLSearchParams(r.body)));
    const expected = ["1", "2", "3"].map((n) => [n, "3", "14155550199", "14155550100"]);
    expect(parts.map((p) => [p["concat-part"], p["concat-total"], p.msisdn, p.to])).toEqual(expected);
    expect(parts.map((p) => p.text).join("")).toBe(text);
    expect(new Set(parts.map((p) => p["concat-ref"])).size).toBe(1);
    expect(parts.map(vonageSignatureValid)).toEqual([true, true, true]);
  });

  it("refuses a phone the simulator cannot route, naming the field", async () => {
    const bad = await postJson("/_sim/inbound", { vendor: "twilio", from: "not a phone", to: US.From });
    expect([bad.status, await bad.json()]).toEqual([
      400,
      expect.objectContaining({ fieldErrors: { from: expect.stringMatching(/E\.164/) } }),
    ]);
  });
});
