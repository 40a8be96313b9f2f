import { createHash, createHmac, verify } from "node:crypto";
import { XMLParser } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { startSimulator, type Simulator } from "@/sim/index";
import { simWithHubForFile, type Received } from "../helpers/sim-hub";

/**
 * MessageMedia in the simulator, met over HTTP as the adapters meet it: REST v1 with Basic and
 * HMAC (signed here as MessageMedia's guide and SDKs sign, written out independently of
 * sim/signatures.ts), batches, callbacks verified with node:crypto and the public key alone,
 * polling with confirmation, and the SOAP API's envelopes checked by parsing them.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the assertions walk the vendor's JSON and parsed XML freely
type Loose = any;

const SIGNED = { key: "mm-signed-key", secret: "mm-signed-secret" };
const POLLED = { key: "mm-polled-key", secret: "mm-polled-secret" };
const SOAP = { userId: "soap-user", password: "soap-password" };
const PHONE = "+61491570001";
const OURS = "+61491570157";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const M4U = "http://xml.m4u.com.au/2009";

let sim: Simulator;
let hubUrl = "";
let publicKeyPem = "";
let keyId = "";
const received = simWithHubForFile(async (started) => {
  ({ sim, hubUrl } = started);
  // The signing account goes through the HTTP control API: its answer carries the public key.
  const answer = await postJson("/_sim/accounts", {
    vendor: "messagemedia-rest",
    apiKey: SIGNED.key,
    apiSecret: SIGNED.secret,
    replyUrl: `${hubUrl}/mm/replies`,
    signing: true,
  });
  const account = (await answer.json()) as { signingKey: { publicKeyPem: string; keyId: string; digest: string } };
  expect(answer.status).toBe(201);
  expect(account.signingKey.digest).toBe("SHA224");
  publicKeyPem = account.signingKey.publicKeyPem;
  keyId = account.signingKey.keyId;
  sim.control.addAccount({ vendor: "messagemedia-rest", apiKey: POLLED.key, apiSecret: POLLED.secret });
  sim.control.addAccount({ vendor: "messagemedia-soap", ...SOAP, creditLimit: 500 });
});

const postJson = (path: string, body: unknown) => fetch(`${sim.url}${path}`, { method: "POST", body: JSON.stringify(body) });
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

type Auth =
  | { kind: "basic"; key: string; secret: string }
  | { kind: "hmac"; key: string; secret: string; style: "guide" | "sdk"; date?: Date };

/**
 * HMAC as MessageMedia documents it: "guide" is the API reference (hmac-sha256, "Date
 * Content-MD5 request-line", path as MessageMedia sees it); "sdk" is the official SDKs
 * (hmac-sha1, "date x-Content-MD5 request-line"), here signing the path as called.
 */
function authHeaders(auth: Auth, method: string, path: string, body?: string): Record<string, string> {
  if (auth.kind === "basic") return { authorization: basic(auth.key, auth.secret) };
  const date = (auth.date ?? new Date()).toUTCString();
  const md5 = body === undefined ? undefined : createHash("md5").update(body).digest("hex");
  const guide = auth.style === "guide";
  const [dateName, md5Name, hash] = guide ? ["Date", "Content-MD5", "sha256"] : ["date", "x-Content-MD5", "sha1"];
  const requestLine = `${method} ${guide ? path : `/messagemedia${path}`} HTTP/1.1`;
  const lines = [`${dateName}: ${date}`, ...(md5 ? [`${md5Name}: ${md5}`] : []), requestLine];
  const signature = createHmac(hash, auth.secret).update(lines.join("\n")).digest("base64");
  const names = [dateName, ...(md5 ? [md5Name] : []), "request-line"].join(" ");
  return {
    date,
    ...(md5 ? { [md5Name]: md5 } : {}),
    authorization: `hmac username="${auth.key}", algorithm="hmac-${hash}", headers="${names}", signature="${signature}"`,
  };
}

async function rest(method: string, path: string, body?: unknown, auth: Auth = { kind: "basic", ...SIGNED }) {
  const text = body === undefined ? undefined : JSON.stringify(body);
  const response = await fetch(`${sim.url}/messagemedia${path}`, {
    method,
    headers: { accept: "application/json", "content-type": "application/json", ...authHeaders(auth, method, path, text) },
    body: text,
  });
  const raw = await response.text();
  return { status: response.status, body: (raw ? JSON.parse(raw) : undefined) as Loose };
}

const sms = (extra: Record<string, unknown> = {}) => ({ content: "Shift offer: reply YES", destination_number: PHONE, ...extra });

/** What MessageMedia signs on a callback: request line, Date header, raw body; checked with the public key only. */
function verifiesWithPublicKey(request: Received): boolean {
  const signed = `${request.method} ${request.url} HTTP/1.1${request.headers.date}${request.body}`;
  return verify(
    "sha224",
    Buffer.from(signed),
    publicKeyPem,
    Buffer.from(String(request.headers["x-messagemedia-signature"]), "base64"),
  );
}

describe("MessageMedia REST authentication", () => {
  it("accepts Basic and both HMAC styles, and refuses wrong credentials with MessageMedia's 401", async () => {
    expect((await rest("POST", "/v1/messages", { messages: [sms()] })).status).toBe(202);
    for (const style of ["guide", "sdk"] as const) {
      expect((await rest("POST", "/v1/messages", { messages: [sms()] }, { kind: "hmac", ...SIGNED, style })).status).toBe(202);
      expect((await rest("GET", "/v1/replies", undefined, { kind: "hmac", ...POLLED, style })).status).toBe(200);
    }
    const refused = { message: "Invalid authentication credentials" };
    expect(
      await rest("POST", "/v1/messages", { messages: [sms()] }, { kind: "basic", key: SIGNED.key, secret: "wrong" }),
    ).toEqual({ status: 401, body: refused });
    expect(
      await rest("GET", "/v1/replies", undefined, { kind: "hmac", key: SIGNED.key, secret: "wrong", style: "guide" }),
    ).toEqual({ status: 401, body: refused });
    const stale = new Date(Date.now() - 10 * 60_000);
    expect((await rest("GET", "/v1/replies", undefined, { kind: "hmac", ...SIGNED, style: "guide", date: stale })).status).toBe(
      401,
    );
    const unsigned = await fetch(`${sim.url}/messagemedia/v1/replies`);
    expect([unsigned.status, await unsigned.json()]).toEqual([401, refused]);
  });

  it("refuses an HMAC request whose body does not match its Content-MD5", async () => {
    const body = JSON.stringify({ messages: [sms()] });
    const headers = authHeaders({ kind: "hmac", ...SIGNED, style: "guide" }, "POST", "/v1/messages", body);
    const tampered = await fetch(`${sim.url}/messagemedia/v1/messages`, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json" },
      body: body.replace("YES", "NO!"),
    });
    expect(tampered.status).toBe(401);
  });
});

describe("MessageMedia REST sending", () => {
  it("answers 202 with each message queued and its fields echoed", async () => {
    const metadata = { shift: "42" };
    const answer = await rest("POST", "/v1/messages", {
      messages: [sms({ source_number: OURS, metadata }), sms({ destination_number: "+61491570002", delivery_report: true })],
    });
    expect(answer.status).toBe(202);
    const [first, second] = answer.body.messages;
    expect(first).toMatchObject({
      ...sms(),
      source_number: OURS,
      metadata,
      format: "SMS",
      delivery_report: false,
      status: "queued",
    });
    expect(first.message_id).toMatch(UUID);
    expect(second).toMatchObject({ destination_number: "+61491570002", delivery_report: true, status: "queued" });
    await sim.control.flush();
    const fetched = await rest("GET", `/v1/messages/${first.message_id}`);
    expect(fetched.body).toMatchObject({ message_id: first.message_id, status: "delivered", metadata });
    expect((await rest("GET", "/v1/messages/00000000-0000-4000-8000-000000000000")).status).toBe(404);
  });

  it("takes 100 messages in a batch and refuses 101 without sending any", async () => {
    const before = sim.control.messages({ vendor: "messagemedia-rest" }).length;
    const hundred = Array.from({ length: 100 }, (_, i) => sms({ destination_number: `+6149157${String(i).padStart(4, "0")}` }));
    const accepted = await rest("POST", "/v1/messages", { messages: hundred });
    expect([accepted.status, accepted.body.messages.length]).toEqual([202, 100]);
    const refused = await rest("POST", "/v1/messages", { messages: [...hundred, sms()] });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toBe("Request failed to parse correctly. Please ensure input is valid and try again.");
    expect(refused.body.details[0]).toMatch(/^\/messages: /);
    expect(sim.control.messages({ vendor: "messagemedia-rest" }).length).toBe(before + 100);
  });

  it("fails the whole batch for one invalid message, naming the field", async () => {
    const before = sim.control.messages({ vendor: "messagemedia-rest" }).length;
    const answer = await rest("POST", "/v1/messages", { messages: [sms(), sms({ destination_number: "0412" })] });
    expect(answer).toEqual({
      status: 400,
      body: {
        message: "Request failed to parse correctly. Please ensure input is valid and try again.",
        details: [
          "/messages/1/destination_number: International address must be between 8 and 15 characters excluding the first '+', International address contains invalid characters.",
        ],
      },
    });
    const details = async (message: Record<string, unknown>) =>
      (await rest("POST", "/v1/messages", { messages: [message] })).body.details;
    expect(await details(sms({ callback_url: "https://invalid_.com/hook" }))).toEqual([
      "/messages/0/callbackUrl: Invalid callback url",
    ]);
    expect(await details(sms({ format: "MMS" }))).toEqual([expect.stringMatching(/^\/messages\/0\/media: /)]);
    expect(await details(sms({ format: "FAX" }))).toEqual([expect.stringMatching(/^\/messages\/0\/format: /)]);
    expect(await details({ destination_number: PHONE })).toEqual([expect.stringMatching(/^\/messages\/0\/content: /)]);
    const eleven = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, "v"]));
    expect(await details(sms({ metadata: eleven }))).toEqual([expect.stringMatching(/^\/messages\/0\/metadata: /)]);
    expect(await details(sms({ message_expiry_timestamp: "soon" }))).toEqual([
      expect.stringMatching(/^\/messages\/0\/message_expiry_timestamp: /),
    ]);
    expect(sim.control.messages({ vendor: "messagemedia-rest" }).length).toBe(before);
  });
});

describe("MessageMedia REST delivery reports", () => {
  it("pushes signed reports to callback_url: enroute, submitted, delivered", async () => {
    const callback = `${hubUrl}/mm/dlr?account=7`;
    const sent = await rest("POST", "/v1/messages", {
      messages: [sms({ source_number: OURS, callback_url: callback, delivery_report: true, metadata: { shift: "42" } })],
    });
    const messageId = sent.body.messages[0].message_id;
    await sim.control.flush();
    expect(received.map((r) => [r.method, r.url])).toEqual(Array(3).fill(["POST", "/mm/dlr?account=7"]));
    const reports = received.map((r) => JSON.parse(r.body) as Record<string, unknown>);
    expect(reports.map((r) => [r.status, r.error_code])).toEqual([
      ["enroute", "101"],
      ["submitted", "200"],
      ["delivered", "220"],
    ]);
    expect(reports[2]).toMatchObject({
      callback_url: callback,
      message_id: messageId,
      source_number: PHONE,
      destination_number: OURS,
      original_text: sms().content,
      metadata: { shift: "42" },
    });
    expect(new Set(reports.map((r) => r.delivery_report_id)).size).toBe(3);
    for (const request of received) {
      expect(request.headers).toMatchObject({
        "x-messagemedia-digest-type": "SHA224",
        "x-messagemedia-cipher-type": "RSA",
        "x-messagemedia-key-id": keyId,
      });
      expect(verifiesWithPublicKey(request)).toBe(true);
      expect(verifiesWithPublicKey({ ...request, body: `${request.body} ` })).toBe(false);
    }
  });

  it("reports an injected error code as failed or rejected, honouring duplicates and reordering", async () => {
    sim.control.injectFault({ vendor: "messagemedia-rest", code: "411", to: "+61491570003" });
    sim.control.injectFault({ vendor: "messagemedia-rest", code: "302", to: "+61491570004" });
    sim.control.setReports({ duplicate: true, reorder: true });
    const hook = `${hubUrl}/mm/dlr`;
    await rest("POST", "/v1/messages", {
      messages: [
        sms({ destination_number: "+61491570003", callback_url: hook, delivery_report: true }),
        sms({ destination_number: "+61491570004", callback_url: `${hook}2`, delivery_report: true }),
      ],
    });
    await sim.control.flush();
    const statuses = (url: string) =>
      received.filter((r) => r.url === url).map((r) => JSON.parse(r.body) as { status: string; error_code: string });
    expect(statuses("/mm/dlr").map((r) => `${r.status}:${r.error_code}`)).toEqual([
      "failed:411",
      "failed:411",
      "enroute:101",
      "enroute:101",
    ]);
    expect(statuses("/mm/dlr2").map((r) => r.status)).toEqual(["rejected", "rejected", "enroute", "enroute"]);
    expect(received.every(verifiesWithPublicKey)).toBe(true);
  });

  it("answers injected HTTP errors and slow answers", async () => {
    sim.control.injectFault({ vendor: "messagemedia-rest", status: 503 });
    const failed = await rest("POST", "/v1/messages", { messages: [sms()] });
    expect(failed.status).toBe(503);
    expect(failed.body.message).toEqual(expect.any(String));
    sim.control.injectFault({ vendor: "messagemedia-rest", operation: "fetch", delayMs: 150 });
    const started = Date.now();
    expect((await rest("GET", "/v1/delivery_reports")).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect((await rest("POST", "/v1/messages", { messages: [sms()] })).status).toBe(202);
  });

  it("keeps reports for polling when there is no callback_url, until they are confirmed", async () => {
    const auth: Auth = { kind: "basic", ...POLLED };
    await rest("POST", "/v1/messages", { messages: [sms({ delivery_report: true }), sms({ delivery_report: false })] }, auth);
    await sim.control.flush();
    const first = await rest("GET", "/v1/delivery_reports", undefined, auth);
    expect(first.body.delivery_reports.map((r: { status: string }) => r.status)).toEqual(["enroute", "submitted", "delivered"]);
    expect((await rest("GET", "/v1/delivery_reports", undefined, auth)).body).toEqual(first.body);
    const ids = first.body.delivery_reports.map((r: { delivery_report_id: string }) => r.delivery_report_id);
    const confirmed = await rest("POST", "/v1/delivery_reports/confirmed", { delivery_report_ids: ids.slice(0, 2) }, auth);
    expect(confirmed.status).toBe(202);
    expect(
      (await rest("GET", "/v1/delivery_reports", undefined, auth)).body.delivery_reports.map((r: { status: string }) => r.status),
    ).toEqual(["delivered"]);
    await rest(
      "POST",
      "/v1/delivery_reports/confirmed",
      { delivery_report_ids: ids },
      { kind: "hmac", ...POLLED, style: "guide" },
    );
    expect((await rest("GET", "/v1/delivery_reports", undefined, auth)).body).toEqual({ delivery_reports: [] });
    expect(received).toEqual([]);
  });
});

describe("MessageMedia REST replies", () => {
  it("delivers a reply to the answered message's callback_url, signed, with its metadata", async () => {
    const hook = `${hubUrl}/mm/message-hook`;
    const sent = await rest("POST", "/v1/messages", {
      messages: [sms({ source_number: OURS, callback_url: hook, metadata: { shift: "7" } })],
    });
    await sim.control.flush();
    received.length = 0;
    const [record] = await sim.control.inbound({ vendor: "messagemedia-rest", from: PHONE, to: OURS, body: "YES" });
    expect(record!.response?.status).toBe(200);
    expect(received).toHaveLength(1);
    const reply = JSON.parse(received[0]!.body) as Record<string, unknown>;
    expect(reply).toMatchObject({
      callback_url: hook,
      message_id: sent.body.messages[0].message_id,
      source_number: PHONE,
      destination_number: OURS,
      content: "YES",
      metadata: { shift: "7" },
    });
    expect(reply.reply_id).toMatch(UUID);
    expect(verifiesWithPublicKey(received[0]!)).toBe(true);
  });

  it("uses the account's reply URL when the message named no callback_url", async () => {
    const sent = await rest("POST", "/v1/messages", { messages: [sms({ destination_number: "+61491570009" })] });
    await sim.control.inbound({
      vendor: "messagemedia-rest",
      from: "+61491570009",
      to: OURS,
      body: "No thanks",
      inReplyTo: sent.body.messages[0].message_id,
    });
    expect(received.map((r) => r.url)).toEqual(["/mm/replies"]);
    expect(JSON.parse(received[0]!.body)).toMatchObject({
      account_id: SIGNED.key,
      message_id: sent.body.messages[0].message_id,
      content: "No thanks",
    });
    expect(verifiesWithPublicKey(received[0]!)).toBe(true);
  });

  it("keeps replies for GET /v1/replies when no URL is known; unconfirmed ones come back", async () => {
    const auth: Auth = { kind: "basic", ...POLLED };
    const sent = await rest(
      "POST",
      "/v1/messages",
      { messages: [sms({ destination_number: "+61491570010", metadata: { roster: "r1" } })] },
      auth,
    );
    await sim.control.inbound({ vendor: "messagemedia-rest", from: "+61491570010", to: OURS, body: "one" });
    await sim.control.inbound({ vendor: "messagemedia-rest", from: "+61491570010", to: OURS, body: "two" });
    const polled = await rest("GET", "/v1/replies", undefined, auth);
    expect(polled.body.replies).toHaveLength(2);
    expect(polled.body.replies[0]).toMatchObject({
      message_id: sent.body.messages[0].message_id,
      source_number: "+61491570010",
      destination_number: OURS,
      content: "one",
      metadata: { roster: "r1" },
      vendor_account_id: { account_id: POLLED.key },
    });
    expect((await rest("GET", "/v1/replies", undefined, { kind: "hmac", ...POLLED, style: "sdk" })).body).toEqual(polled.body);
    const [one, two] = polled.body.replies.map((r: { reply_id: string }) => r.reply_id);
    expect((await rest("POST", "/v1/replies/confirmed", { reply_ids: [one] }, auth)).status).toBe(202);
    expect((await rest("GET", "/v1/replies", undefined, auth)).body.replies.map((r: { reply_id: string }) => r.reply_id)).toEqual(
      [two],
    );
    await rest("POST", "/v1/replies/confirmed", { reply_ids: [two] }, auth);
    expect((await rest("GET", "/v1/replies", undefined, auth)).body).toEqual({ replies: [] });
    expect(received).toEqual([]);
  });
});

const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (name, path) => ["reply", "report", "error"].includes(name) || String(path).endsWith("recipients.recipient"),
});

function envelope(operation: string, inner: string, credentials = SOAP): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns="${M4U}">
 <soapenv:Header/>
 <soapenv:Body>
  <ns:${operation}>
   <ns:authentication><ns:userId>${credentials.userId}</ns:userId><ns:password>${credentials.password}</ns:password></ns:authentication>
   ${inner}
  </ns:${operation}>
 </soapenv:Body>
</soapenv:Envelope>`;
}

async function soap(body: string, action = "") {
  const response = await fetch(`${sim.url}/messagemedia-soap/`, {
    method: "POST",
    headers: {
      "content-type": "text/xml; charset=utf-8",
      ...(action ? { soapaction: `"http://xml.m4u.com.au/2009/${action}"` } : {}),
    },
    body,
  });
  expect(response.headers.get("content-type")).toContain("text/xml");
  const parsed = xml.parse(await response.text()) as Loose;
  const env = parsed["SOAP-ENV:Envelope"];
  expect(env["@_xmlns:SOAP-ENV"]).toBe("http://schemas.xmlsoap.org/soap/envelope/");
  return { status: response.status, body: env["SOAP-ENV:Body"] };
}

async function soapResult(operation: string, inner = "") {
  const answer = await soap(envelope(operation, inner), operation);
  expect(answer.status).toBe(200);
  const response = answer.body[`${operation}Response`];
  expect(response["@_xmlns"]).toBe(M4U);
  return response.result;
}

const checkReplies = (max?: number) =>
  soapResult(
    "checkReplies",
    `<ns:requestBody>${max === undefined ? "" : `<ns:maximumReplies>${max}</ns:maximumReplies>`}</ns:requestBody>`,
  );

describe("MessageMedia SOAP", () => {
  it("sends, reports, takes replies and confirms them, round trip", async () => {
    const before = await soapResult("checkUser");
    expect(before.accountDetails).toEqual({ "@_type": "daily", "@_creditLimit": "500", "@_creditRemaining": expect.any(String) });
    const sent = await soapResult(
      "sendMessages",
      `<ns:requestBody><ns:messages sendMode="normal">
        <ns:message format="SMS" sequenceNumber="1">
          <ns:origin>${OURS}</ns:origin>
          <ns:recipients><ns:recipient uid="11">61412345001</ns:recipient><ns:recipient uid="12">+61412345002</ns:recipient></ns:recipients>
          <ns:content>Roster for next week &amp; more</ns:content>
          <ns:deliveryReport>true</ns:deliveryReport>
          <ns:validityPeriod>24</ns:validityPeriod>
          <ns:tags><ns:tag name="team">kitchen</ns:tag></ns:tags>
        </ns:message>
        <ns:message sequenceNumber="2"><ns:recipients><ns:recipient uid="13">not-a-number</ns:recipient></ns:recipients><ns:content>x</ns:content></ns:message>
      </ns:messages></ns:requestBody>`,
    );
    expect(sent).toEqual({
      "@_sent": "2",
      "@_scheduled": "0",
      "@_failed": "1",
      accountDetails: {
        ...before.accountDetails,
        "@_creditRemaining": String(Number(before.accountDetails["@_creditRemaining"]) - 2),
      },
      errors: {
        error: [
          {
            "@_code": "invalidRecipient",
            "@_sequenceNumber": "2",
            recipients: { recipient: [{ "#text": "not-a-number", "@_uid": "13" }] },
          },
        ],
      },
    });
    const stored = sim.control.messages({ vendor: "messagemedia-soap" }).slice(-2);
    expect(stored.map((m) => [m.to, m.body, m.extra.uid, m.extra.tags])).toEqual([
      ["61412345001", "Roster for next week & more", "11", '{"team":"kitchen"}'],
      ["+61412345002", "Roster for next week & more", "12", '{"team":"kitchen"}'],
    ]);

    await sim.control.flush();
    const reports = await soapResult("checkReports", "<ns:requestBody/>");
    expect(reports["@_returned"]).toBe("2");
    expect(reports.reports.report.map((r: Record<string, string>) => [r["@_uid"], r["@_status"], r.recipient])).toEqual([
      ["11", "delivered", "61412345001"],
      ["12", "delivered", "+61412345002"],
    ]);
    expect(reports.reports.report[0].timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(await soapResult("checkReports", "<ns:requestBody/>")).toEqual(reports);
    const receipt = reports.reports.report[0]["@_receiptId"];
    const confirmed = await soapResult(
      "confirmReports",
      `<ns:requestBody><ns:reports><ns:report receiptId="${receipt}"/></ns:reports></ns:requestBody>`,
    );
    expect(confirmed).toEqual({ "@_confirmed": "1" });
    const left = await soapResult("checkReports", "<ns:requestBody><ns:maximumReports>10</ns:maximumReports></ns:requestBody>");
    expect([left["@_returned"], left["@_remaining"], left.reports.report[0]["@_uid"]]).toEqual(["1", "0", "12"]);

    await sim.control.inbound({ vendor: "messagemedia-soap", from: "+61412345001", to: OURS, body: "Yes please" });
    await sim.control.inbound({ vendor: "messagemedia-soap", from: "+61499999999", to: OURS, body: "Who is this?" });
    const firstPage = await checkReplies(1);
    expect(firstPage["@_returned"]).toBe("1");
    expect(firstPage["@_remaining"]).toBe("1");
    const [reply] = firstPage.replies.reply;
    expect(reply).toMatchObject({ "@_uid": "11", "@_format": "SMS", origin: "+61412345001", content: "Yes please" });
    expect(reply["@_receiptId"]).toMatch(/^\d+$/);
    const all = await checkReplies();
    expect(all.replies.reply.map((r: Record<string, string>) => [r["@_uid"], r.content])).toEqual([
      ["11", "Yes please"],
      ["0", "Who is this?"],
    ]);
    const ids = all.replies.reply.map((r: Record<string, string>) => `<ns:reply receiptId="${r["@_receiptId"]}"/>`).join("");
    expect(await soapResult("confirmReplies", `<ns:requestBody><ns:replies>${ids}</ns:replies></ns:requestBody>`)).toEqual({
      "@_confirmed": "2",
    });
    expect(await checkReplies()).toEqual({ "@_returned": "0", "@_remaining": "0", replies: "" });
  });

  it("answers wrong credentials with the authenticationFailed fault", async () => {
    const answer = await soap(envelope("checkUser", "", { userId: SOAP.userId, password: "wrong" }), "checkUser");
    expect(answer.status).toBe(500);
    expect(answer.body["SOAP-ENV:Fault"]).toEqual({
      faultcode: "SOAP-ENV:Client",
      faultstring: expect.any(String),
      detail: { faultResponse: { "@_xmlns": M4U, error: [{ "@_code": "authenticationFailed" }] } },
    });
  });

  it("answers malformed XML, unknown operations and missing elements with SOAP faults", async () => {
    const malformed = await soap(envelope("checkUser", "").replace("</ns:checkUser>", ""));
    expect(malformed.status).toBe(500);
    expect(malformed.body["SOAP-ENV:Fault"]).toMatchObject({
      faultcode: "SOAP-ENV:Client",
      detail: { faultResponse: { error: [{ "@_code": "invalidDataFormat" }] } },
    });
    const unknown = await soap(envelope("sendFax", ""));
    expect(unknown.body["SOAP-ENV:Fault"]).toMatchObject({
      faultcode: "SOAP-ENV:Client",
      faultstring: "Unknown operation sendFax",
    });
    const missing = await soap(
      envelope(
        "sendMessages",
        `<ns:requestBody><ns:messages><ns:message><ns:recipients><ns:recipient>61412345001</ns:recipient></ns:recipients></ns:message></ns:messages></ns:requestBody>`,
      ),
    );
    expect(missing.body["SOAP-ENV:Fault"]).toMatchObject({
      faultstring: expect.stringContaining("content"),
      detail: { faultResponse: { error: [{ "@_code": "invalidDataFormat" }] } },
    });
    const soap12 = await soap(`<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Body/></e:Envelope>`);
    expect(soap12.body["SOAP-ENV:Fault"].faultcode).toBe("SOAP-ENV:VersionMismatch");
  });

  it("applies injected faults: HTTP errors, blocked recipients, daily limits and failed reports", async () => {
    const message = (number: string, uid: number) =>
      `<ns:requestBody><ns:messages><ns:message><ns:recipients><ns:recipient uid="${uid}">${number}</ns:recipient></ns:recipients><ns:content>Hi</ns:content><ns:deliveryReport>true</ns:deliveryReport></ns:message></ns:messages></ns:requestBody>`;
    sim.control.injectFault({ vendor: "messagemedia-soap", status: 503 });
    const down = await soap(envelope("sendMessages", message("61412345001", 1)));
    expect([down.status, down.body["SOAP-ENV:Fault"].faultcode]).toEqual([503, "SOAP-ENV:Server"]);
    sim.control.injectFault({ vendor: "messagemedia-soap", code: "recipientBlocked", to: "61412345066" });
    const blocked = await soapResult("sendMessages", message("61412345066", 66));
    expect(blocked.errors.error[0]).toMatchObject({
      "@_code": "recipientBlocked",
      recipients: { recipient: [{ "#text": "61412345066", "@_uid": "66" }] },
    });
    sim.control.injectFault({ vendor: "messagemedia-soap", code: "perDayMessageLimit" });
    const limited = await soap(envelope("sendMessages", message("61412345001", 1)));
    expect(limited.body["SOAP-ENV:Fault"].detail.faultResponse.error[0]["@_code"]).toBe("perDayMessageLimit");
    sim.control.injectFault({ vendor: "messagemedia-soap", code: "4001", async: true, to: "61412345077" });
    expect((await soapResult("sendMessages", message("61412345077", 77)))["@_sent"]).toBe("1");
    await sim.control.flush();
    const reports = (await soapResult("checkReports", "<ns:requestBody/>")).reports.report as Record<string, string>[];
    expect(reports.find((r) => r["@_uid"] === "77")?.["@_status"]).toBe("failed");
    expect(sim.control.requests({ vendor: "messagemedia-soap" }).at(-1)).toMatchObject({
      api: "messagemedia-soap",
      method: "POST",
      path: "/",
    });
  });
});

describe("MessageMedia demo accounts", () => {
  it("are registered at start and after a reset", async () => {
    const own = await startSimulator({ delayMs: 5 });
    try {
      for (const round of [1, 2]) {
        const replies = await fetch(`${own.url}/messagemedia/v1/replies`, {
          headers: { authorization: basic("SimMessageMediaKey01", "SimMessageMediaSecret0123456789") },
        });
        expect([round, replies.status]).toEqual([round, 200]);
        const check = await fetch(`${own.url}/messagemedia-soap/`, {
          method: "POST",
          headers: { "content-type": "text/xml" },
          body: envelope("checkUser", "", { userId: "sim-m4u-user", password: "sim-m4u-password" }),
        });
        expect([round, check.status]).toEqual([round, 200]);
        own.control.reset();
      }
      const described = (await (await fetch(`${own.url}/_sim`)).json()) as { baseUrls: Record<string, string> };
      expect(described.baseUrls).toMatchObject({
        "api.messagemedia.com": `${own.url}/messagemedia`,
        "soap.m4u.com.au": `${own.url}/messagemedia-soap`,
      });
    } finally {
      await own.stop();
    }
  });
});
