import { and, asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db";
import { messages } from "@/db/schema/messages";
import { queueMessage } from "@/lib/messaging/send";
import { vonageTimestamp } from "@/sim/http";
import type { RecordedRequest, SentMessage, VonageAccount } from "@/sim/state";
import { vonageWebhook } from "@/sim/vonage-wire";
import {
  eventsOf,
  expectFailedAtFirstAttempt,
  expectImpostorTextRefused,
  expectInboundInConversation,
  expectRefusedAndLogged,
  expectRetriedThenFailed,
  findMessage,
  orgWithVendorAccount,
  pipelineForFile,
  sendUntilDelivered,
  simBaseUrls,
  waitForInbound,
  waitForStatus,
  waitForWebhooksProcessed,
  webhookUrl,
  type Pipeline,
  type VendorOrg,
} from "../helpers/sim-pipeline";

/**
 * Vonage end to end: the production build, a worker process and the real Vonage adapter
 * against the simulator's SMS API, with signed webhooks (HMAC-SHA256 `sig`). Sends carry
 * our id as client-ref and our status URL as callback; receipts come per part; inbound
 * texts come whole or as concat parts; forged signatures are refused and logged; outages
 * are retried and Vonage's refusals end the message.
 */
const VONAGE = {
  apiKey: "swb0vk01",
  apiSecret: "vonage-api-secret-1",
  signatureSecret: "vonage-signature-secret-1",
  signatureMethod: "sha256" as const,
};
const OUR_NUMBER = "+14155550100";
/** Vonage writes numbers as digits, without the +. */
const digits = (e164: string) => e164.replace(/^\+/, "");

let p: Pipeline;
let org: VendorOrg;

pipelineForFile(
  async (started) => {
    p = started;
    org = await orgWithVendorAccount("Vonage", "vonage", { ...VONAGE, ...simBaseUrls(p.sim).vonage }, [OUR_NUMBER]);
    // Delivery receipts go to the callback each send names; inbound texts to the Dashboard's inbound URL.
    p.sim.control.addAccount({
      vendor: "vonage",
      ...VONAGE,
      inboundUrl: webhookUrl(p.app, org.account, "inbound"),
      webhookMethod: "POST",
    });
  },
  // Some tests hold receipts back or reorder inbound parts.
  { reset: (started) => started.sim.control.setReports({ enabled: true, reorder: false }) },
);

/** Every /sms/json request the simulator received for one recipient. */
function sendsTo(to: string): RecordedRequest[] {
  return p.sim.control
    .requests({ vendor: "vonage" })
    .filter((r) => r.path === "/sms/json" && new URLSearchParams(r.body).get("to") === digits(to));
}

/** The parts the simulator accepted for one of our messages (Vonage answers one message-id per part). */
function partsOf(messageId: string): SentMessage[] {
  return p.sim.control.messages({ vendor: "vonage" }).filter((m) => m.extra["client-ref"] === messageId);
}

describe("sending through Vonage", () => {
  it("posts the SMS API form with client-ref and callback, and the signed receipt takes the message to DELIVERED", async () => {
    const to = "+14155550123";
    const body = "Your shift starts at 9. Reply YES to confirm.";
    const { message } = await queueMessage(org.orgId, { to, body });
    expect(message).toMatchObject({ status: "QUEUED", fromE164: OUR_NUMBER, encoding: "GSM7" });

    const delivered = await waitForStatus(message.id, "DELIVERED");

    const sends = sendsTo(to);
    expect(sends).toHaveLength(1);
    expect(sends[0]!.method).toBe("POST");
    expect(sends[0]!.headers["content-type"]).toMatch(/^application\/x-www-form-urlencoded/);
    expect(Object.fromEntries(new URLSearchParams(sends[0]!.body))).toEqual({
      api_key: VONAGE.apiKey,
      api_secret: VONAGE.apiSecret,
      from: digits(OUR_NUMBER),
      to: digits(to),
      text: body,
      type: "text",
      "status-report-req": "1",
      callback: webhookUrl(p.app, org.account, "status"),
      "client-ref": message.id,
    });

    const parts = partsOf(message.id);
    expect(parts).toHaveLength(1);
    expect(parts[0]!.id).toMatch(/^0A[0-9A-F]{15}$/);
    expect(delivered).toMatchObject({
      vendorMessageId: parts[0]!.id,
      attempts: 1,
      errorCode: null,
      errorDescription: null,
      segments: 1,
    });

    // The receipt reached our status webhook signed (sig, timestamp, nonce) and was answered 200.
    await p.sim.control.flush();
    const receipts = p.sim.control.callbacks({ vendor: "vonage", kind: "status" }).filter((c) => c.body.includes(parts[0]!.id));
    expect(receipts).toHaveLength(1);
    expect(receipts[0]!.url).toBe(webhookUrl(p.app, org.account, "status"));
    const receipt = new URLSearchParams(receipts[0]!.body);
    expect([receipt.get("status"), receipt.get("client-ref"), receipt.get("sig")?.length]).toEqual(["delivered", message.id, 64]);
    expect(receipts[0]!.response?.status).toBe(200);

    const history = (await eventsOf(message.id)).map((e) => `${e.status}:${e.vendorStatus}`);
    expect(history).toEqual(["SENDING:null", "SENT:accepted", "DELIVERED:delivered"]);
  });

  it("sends a text with characters outside GSM-7 as type unicode", async () => {
    const to = "+14155550124";
    const body = "See you at the café ☕ tomorrow";
    const { message } = await queueMessage(org.orgId, { to, body });
    expect(message.encoding).toBe("UCS2");
    await waitForStatus(message.id, "DELIVERED");
    const [send] = sendsTo(to);
    const form = new URLSearchParams(send!.body);
    expect([form.get("type"), form.get("text"), form.get("client-ref")]).toEqual(["unicode", body, message.id]);
  });

  it("retries a Vonage outage (503) with backoff, then marks the message FAILED with the adapter's words", async () => {
    const to = "+14155550170";
    p.sim.control.injectFault({ vendor: "vonage", operation: "send", status: 503, to: digits(to), times: "always" });
    const { message } = await queueMessage(org.orgId, { to, body: "Roster for next week is up" });

    const attempts = await expectRetriedThenFailed(message.id, () => sendsTo(to), {
      code: "http_503",
      description: "Vonage answered 503.",
    });
    expect(attempts.every((r) => new URLSearchParams(r.body).get("client-ref") === message.id)).toBe(true);
  });

  it("fails at the first attempt when Vonage refuses the recipient as barred (status 7)", async () => {
    const to = "+14155550171";
    p.sim.control.injectFault({ vendor: "vonage", operation: "send", code: "7", to: digits(to) });
    const { message } = await queueMessage(org.orgId, { to, body: "Are you still available on Friday?" });

    await expectFailedAtFirstAttempt(message.id, () => sendsTo(to), {
      code: "send-7",
      description: "Number barred: the recipient is on a block list and may not receive messages.",
    });
    expect(partsOf(message.id)).toEqual([]);
  });
});

describe("long messages through Vonage", () => {
  const LONG = `${"Shift update: the Saturday food bank shift now starts at 8am instead of 9am. ".repeat(3)}Reply YES to confirm.`;

  it("delivers a message Vonage split into parts once every part's receipt is in", async () => {
    expect(LONG.length).toBeGreaterThan(160);
    const to = "+14155550125";
    const { message } = await queueMessage(org.orgId, { to, body: LONG });
    expect(message.segments).toBe(2);

    const delivered = await waitForStatus(message.id, "DELIVERED");
    const parts = partsOf(message.id);
    expect(parts).toHaveLength(2);
    expect(new Set(parts.map((part) => part.id)).size).toBe(2);
    expect(delivered.segments).toBe(2);

    // One receipt per part, each answered and each applied: none may be left as "unknown message".
    await p.sim.control.flush();
    const receipts = p.sim.control.callbacks({ vendor: "vonage", kind: "status" }).filter((c) => c.body.includes(message.id));
    expect(receipts.map((c) => new URLSearchParams(c.body).get("messageId")).sort()).toEqual(parts.map((part) => part.id).sort());
    expect(receipts.map((c) => c.response?.status)).toEqual([200, 200]);
    await waitForWebhooksProcessed(org.account.id, "status", message.id, 2);
    expect((await findMessage(message.id))!.status).toBe("DELIVERED");
  });

  it("keeps a split message SENT until the last part's receipt arrives", async () => {
    // Receipts held back, so that this test delivers them one at a time, signed as Vonage signs them.
    p.sim.control.setReports({ enabled: false });
    const to = "+14155550126";
    const { message } = await queueMessage(org.orgId, { to, body: LONG });
    await waitForStatus(message.id, "SENT");
    const parts = partsOf(message.id);
    expect(parts).toHaveLength(2);
    const account = p.sim.control
      .accounts()
      .find((a): a is VonageAccount => a.vendor === "vonage" && a.apiKey === VONAGE.apiKey)!;

    const first = await postReceipt(account, parts[0]!, message.id);
    expect(first.status).toBe(200);
    await waitForWebhooksProcessed(org.account.id, "status", parts[0]!.id, 1);
    expect((await findMessage(message.id))!.status).toBe("SENT");

    const second = await postReceipt(account, parts[1]!, message.id);
    expect(second.status).toBe(200);
    await waitForStatus(message.id, "DELIVERED");
    await waitForWebhooksProcessed(org.account.id, "status", parts[1]!.id, 1);
  });
});

describe("receiving through Vonage", () => {
  it("stores an inbound text as an INBOUND message in the org's conversation with that contact", async () => {
    const from = "+14155550142";
    const body = "Can I swap my Tuesday shift?";
    const [answer] = await p.sim.control.inbound({ vendor: "vonage", account: VONAGE.apiKey, from, to: OUR_NUMBER, body });
    expect(answer!.url).toBe(webhookUrl(p.app, org.account, "inbound"));
    expect(answer!.response?.status).toBe(200);
    const vendorMessageId = new URLSearchParams(answer!.body).get("messageId")!;

    const stored = await waitForInbound(org.account.id, vendorMessageId);
    await expectInboundInConversation(org, stored, { from, to: OUR_NUMBER, body });
  });

  it("joins a long text that arrives as three concat parts, last part first, into one message", async () => {
    const from = "+14155550146";
    const body =
      "Hi, this is Dana. I can cover the Saturday morning shift at the food bank, but I need to leave by noon " +
      "for my kid's game. If someone can take 12 to 4, I'm happy to swap my Sunday slot with them. Thanks!";
    expect(body.length).toBeGreaterThan(160);
    p.sim.control.setReports({ reorder: true });
    const answers = await p.sim.control.inbound({
      vendor: "vonage",
      account: VONAGE.apiKey,
      from,
      to: OUR_NUMBER,
      body,
      parts: 3,
    });

    // The phone's network delivered the parts in reverse; each was accepted on its own.
    const fields = answers.map((a) => new URLSearchParams(a.body));
    expect(fields.map((f) => [f.get("concat"), f.get("concat-part"), f.get("concat-total")])).toEqual([
      ["true", "3", "3"],
      ["true", "2", "3"],
      ["true", "1", "3"],
    ]);
    expect(new Set(fields.map((f) => f.get("concat-ref"))).size).toBe(1);
    expect(answers.map((a) => a.response?.status)).toEqual([200, 200, 200]);
    expect(
      fields
        .map((f) => f.get("text"))
        .reverse()
        .join(""),
    ).toBe(body);

    await waitForWebhooksProcessed(org.account.id, "inbound", `msisdn=${digits(from)}`, 3);
    const stored = await db
      .select()
      .from(messages)
      .where(and(eq(messages.orgId, org.orgId), eq(messages.fromE164, from)))
      .orderBy(asc(messages.createdAt));
    expect(stored.map((m) => m.body)).toEqual([body]);
    expect(stored[0]).toMatchObject({
      orgId: org.orgId,
      direction: "INBOUND",
      status: "RECEIVED",
      toE164: OUR_NUMBER,
      flag: null,
    });
  });
});

describe("forged Vonage webhooks", () => {
  it("answers a wrong sig with 403, stores nothing, and logs the refusal", async () => {
    // Another Vonage account, signing with its own secret, calling our inbound URL.
    const impostor = { ...VONAGE, apiKey: "impostor1", signatureSecret: "someone-elses-secret" };
    p.sim.control.addAccount({ vendor: "vonage", ...impostor, inboundUrl: webhookUrl(p.app, org.account, "inbound") });

    const wrongSig = "sig does not match the parameters (sha256)";
    const answer = await expectImpostorTextRefused(p, org, "inbound", wrongSig, {
      vendor: "vonage",
      account: impostor.apiKey,
      from: "+14155550144",
    });
    expect(answer.notes).toEqual(["Vonage would retry: the hub answered 403"]);
    expect(new URLSearchParams(answer.body).get("sig")).toMatch(/^[0-9A-F]{64}$/);

    // A forged failure receipt for a real message, without any signature.
    const sent = await sendUntilDelivered(p, org, { to: "+14155550145", body: "Meeting moved to 3pm" });
    const forged = {
      messageId: sent.vendorMessageId!,
      status: "failed",
      "err-code": "9",
      "client-ref": sent.id,
      msisdn: "14155550145",
    };
    const unsigned = "missing sig parameter: this account expects Vonage to sign its webhooks";
    await expectRefusedAndLogged(p, org.account, "status", unsigned, () =>
      fetch(webhookUrl(p.app, org.account, "status"), {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(forged),
      }),
    );
    expect(await findMessage(sent.id)).toMatchObject({ status: "DELIVERED", errorCode: null });
  });
});

/**
 * A delivery receipt for one part, built and signed by the simulator's own Vonage wire code
 * (the fields the simulator's receipts carry), sent to the callback the send named.
 */
async function postReceipt(account: VonageAccount, part: SentMessage, messageId: string): Promise<Response> {
  const now = new Date();
  const callback = vonageWebhook(account, webhookUrl(p.app, org.account, "status"), "status", {
    msisdn: part.to,
    to: part.from ?? "",
    "network-code": "310999",
    messageId: part.id,
    price: "0.00570000",
    status: "delivered",
    scts: now.toISOString().replace(/\D/g, "").slice(2, 12),
    "err-code": "0",
    "api-key": account.apiKey,
    "message-timestamp": vonageTimestamp(now),
    "client-ref": messageId,
  });
  return fetch(callback.url, { method: callback.method, headers: callback.headers, body: callback.body });
}
