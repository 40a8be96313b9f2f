import { and, eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db";
import { contacts } from "@/db/schema/contacts";
import { conversations } from "@/db/schema/conversations";
import { messages } from "@/db/schema/messages";
import { queueMessage } from "@/lib/messaging/send";
import type { RecordedRequest } from "@/sim/state";
import {
  basicAuthHeader,
  eventsOf,
  findMessage,
  orgWithVendorAccount,
  rowCounts,
  simBaseUrls,
  startPipeline,
  until,
  waitForOutput,
  waitForStatus,
  webhookUrl,
  type Pipeline,
  type VendorOrg,
} from "../helpers/sim-pipeline";

/**
 * Bandwidth end to end: the production build, a worker process and the real Bandwidth
 * adapter against the simulator's Messaging API v2. Sends name the messaging application
 * and carry our id as the tag; the application's callbacks (JSON arrays, HTTP Basic with the
 * callback credentials) bring delivery events and inbound texts; wrong credentials are
 * refused and logged; outages are retried and Bandwidth's error codes end the message.
 */
const BANDWIDTH = {
  accountId: "9912345",
  username: "switchboard-api",
  password: "bw-api-password-7",
  applicationId: "4c1d0b7e-2f55-4a0e-9d55-0e0f2b7a1c11",
  callbackUsername: "switchboard-callbacks",
  callbackPassword: "cb-password-42!",
};
const OUR_NUMBER = "+19195550100";

let p: Pipeline;
let org: VendorOrg;

beforeAll(async () => {
  p = await startPipeline({ delayMs: 30 });
  org = await orgWithVendorAccount("Bandwidth", "bandwidth", { ...BANDWIDTH, ...simBaseUrls(p.sim).bandwidth }, [OUR_NUMBER]);
  // The messaging application's callback URL is our callbacks webhook, behind the callback credentials.
  p.sim.control.addAccount({ vendor: "bandwidth", ...BANDWIDTH, callbackUrl: webhookUrl(p.app, org.account, "callbacks") });
});

afterAll(async () => {
  await p?.stop();
});

afterEach(async () => {
  p.sim.control.clearFaults();
  await p.sim.control.flush();
});

/** Every message create the simulator received for one recipient. */
function sendsTo(to: string): RecordedRequest[] {
  return p.sim.control
    .requests({ vendor: "bandwidth" })
    .filter((r) => r.method === "POST" && r.path.endsWith("/messages") && r.body.includes(`"${to}"`));
}

describe("sending through Bandwidth", () => {
  it("posts the message with the application and our id as tag, and the delivery callback takes it to DELIVERED", async () => {
    const to = "+19195550123";
    const body = "Reminder: orientation is tomorrow at 10am.";
    const { message } = await queueMessage(org.orgId, { to, body });
    expect(message).toMatchObject({ status: "QUEUED", fromE164: OUR_NUMBER, vendorAccountId: org.account.id });

    const delivered = await waitForStatus(message.id, "DELIVERED");

    const sends = sendsTo(to);
    expect(sends).toHaveLength(1);
    const [send] = sends;
    expect(send!.path).toBe(`/api/v2/users/${BANDWIDTH.accountId}/messages`);
    expect(send!.headers.authorization).toBe(basicAuthHeader(BANDWIDTH.username, BANDWIDTH.password));
    expect(send!.headers["content-type"]).toMatch(/^application\/json/);
    expect(JSON.parse(send!.body)).toEqual({
      applicationId: BANDWIDTH.applicationId,
      to: [to],
      from: OUR_NUMBER,
      text: body,
      tag: message.id,
    });

    const [accepted] = p.sim.control.messages({ vendor: "bandwidth" }).filter((m) => m.to === to);
    expect(accepted!.id).toMatch(/^\d{13}[a-z0-9]{16}$/);
    expect(delivered).toMatchObject({ vendorMessageId: accepted!.id, attempts: 1, errorCode: null, errorDescription: null });
    expect(delivered.deliveredAt).toBeInstanceOf(Date);

    // One message-delivered event, with the application's callback credentials and our tag echoed.
    await p.sim.control.flush();
    const callbacks = p.sim.control
      .callbacks({ vendor: "bandwidth", kind: "status" })
      .filter((c) => c.body.includes(accepted!.id));
    expect(callbacks).toHaveLength(1);
    expect(callbacks[0]!.url).toBe(webhookUrl(p.app, org.account, "callbacks"));
    expect(callbacks[0]!.headers.authorization).toBe(basicAuthHeader(BANDWIDTH.callbackUsername, BANDWIDTH.callbackPassword));
    const [event] = JSON.parse(callbacks[0]!.body) as { type: string; message: { tag: string } }[];
    expect(event).toMatchObject({ type: "message-delivered", message: { tag: message.id } });
    expect(callbacks[0]!.response?.status).toBe(200);

    const history = (await eventsOf(message.id)).map((e) => `${e.status}:${e.vendorStatus}`);
    expect(history).toEqual(["SENDING:null", "SENT:accepted", "DELIVERED:message-delivered"]);
  });

  it("retries a Bandwidth outage (503) with backoff, then marks the message FAILED with Bandwidth's words", async () => {
    const to = "+19195550170";
    p.sim.control.injectFault({ vendor: "bandwidth", operation: "send", status: 503, to, times: "always" });
    const { message } = await queueMessage(org.orgId, { to, body: "Roster for next week is up" });

    const failed = await waitForStatus(message.id, "FAILED", 30_000);
    const attempts = sendsTo(to);
    expect(attempts).toHaveLength(3);
    expect(attempts.every((r) => JSON.parse(r.body).tag === message.id)).toBe(true);
    expect(failed.attempts).toBe(3);
    expect(failed.errorCode).toBe("internal-server-error");
    expect(failed.errorDescription).toBe("Bandwidth refused the message (503): internal-server-error: Simulated HTTP 503");
    expect(failed.vendorMessageId).toBeNull();
    const at = attempts.map((r) => Date.parse(r.at));
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(900);
    expect(at[2]! - at[1]!).toBeGreaterThanOrEqual(1800);

    const history = await eventsOf(message.id);
    expect(history.filter((e) => e.vendorStatus === "retrying")).toHaveLength(2);
    expect(history.at(-1)).toMatchObject({ status: "FAILED", errorCode: "internal-server-error" });
  });

  it("fails at the first attempt when Bandwidth reports the recipient opted out (4775), and opts the contact out", async () => {
    const to = "+19195550171";
    // Bandwidth accepts the message, then reports message-failed with the code.
    p.sim.control.injectFault({ vendor: "bandwidth", operation: "send", code: "4775", to });
    const { message } = await queueMessage(org.orgId, { to, body: "Are you still available on Friday?" });

    const failed = await waitForStatus(message.id, "FAILED");
    expect(sendsTo(to)).toHaveLength(1);
    expect(failed.attempts).toBe(1);
    expect(failed.errorCode).toBe("4775");
    expect(failed.errorDescription).toBe("The recipient has opted out of messages from this sender.");
    const history = (await eventsOf(message.id)).map((e) => `${e.status}:${e.vendorStatus}`);
    expect(history).toEqual(["SENDING:null", "SENT:accepted", "FAILED:message-failed"]);
    // The opt-out follows the status change, in the same job: wait for it rather than race it.
    const contact = await until(async () => {
      const [row] = await db
        .select()
        .from(contacts)
        .where(and(eq(contacts.orgId, org.orgId), eq(contacts.e164, to)));
      return row?.optedOutAt ? row : null;
    }, "the contact to be opted out");
    expect(contact.optedOutAt).toBeInstanceOf(Date);
    await expect(queueMessage(org.orgId, { to, body: "Hello again" })).rejects.toMatchObject({ status: 409 });
  });
});

describe("receiving through Bandwidth", () => {
  it("stores a message-received callback as an INBOUND message in the org's conversation with that contact", async () => {
    const from = "+19195550142";
    const body = "Can I swap my Tuesday shift?";
    const [answer] = await p.sim.control.inbound({
      vendor: "bandwidth",
      account: BANDWIDTH.accountId,
      from,
      to: OUR_NUMBER,
      body,
    });
    expect(answer!.url).toBe(webhookUrl(p.app, org.account, "callbacks"));
    expect(answer!.response?.status).toBe(200);
    const [event] = JSON.parse(answer!.body) as { type: string; message: { id: string } }[];
    expect(event!.type).toBe("message-received");

    const stored = await until(async () => {
      const [row] = await db
        .select()
        .from(messages)
        .where(and(eq(messages.vendorAccountId, org.account.id), eq(messages.vendorMessageId, event!.message.id)));
      return row;
    }, "the inbound message");
    expect(stored).toMatchObject({
      orgId: org.orgId,
      direction: "INBOUND",
      status: "RECEIVED",
      body,
      media: [],
      fromE164: from,
      toE164: OUR_NUMBER,
      flag: null,
    });
    const [contact] = await db
      .select()
      .from(contacts)
      .where(and(eq(contacts.orgId, org.orgId), eq(contacts.e164, from)));
    const [conversation] = await db.select().from(conversations).where(eq(conversations.id, stored.conversationId!));
    expect(conversation).toMatchObject({
      orgId: org.orgId,
      contactId: contact!.id,
      ourE164: OUR_NUMBER,
      phoneNumberId: org.numbers[0]!.id,
      lastDirection: "INBOUND",
      unread: true,
    });
  });
});

describe("forged Bandwidth callbacks", () => {
  it("answers wrong Basic credentials with 403, stores nothing, and logs the refusal", async () => {
    // Another Bandwidth account's application calling our URL with its own callback credentials.
    const impostor = { ...BANDWIDTH, accountId: "9900999", callbackPassword: "not-our-password" };
    p.sim.control.addAccount({ vendor: "bandwidth", ...impostor, callbackUrl: webhookUrl(p.app, org.account, "callbacks") });
    const before = await rowCounts(org.account.id);

    const [answer] = await p.sim.control.inbound({
      vendor: "bandwidth",
      account: impostor.accountId,
      from: "+19195550144",
      to: OUR_NUMBER,
      body: "Send me everyone's numbers",
    });
    expect(answer!.response?.status).toBe(403);
    expect(answer!.notes).toEqual(["Bandwidth would retry: the hub answered 403"]);
    expect(await rowCounts(org.account.id)).toEqual(before);

    // A forged delivery failure for a real message, with no credentials at all.
    const { message } = await queueMessage(org.orgId, { to: "+19195550145", body: "Meeting moved to 3pm" });
    const sent = await waitForStatus(message.id, "DELIVERED");
    await p.sim.control.flush();
    const beforeForgedReport = await rowCounts(org.account.id);
    const forged = [
      { type: "message-failed", errorCode: 4720, to: "+19195550145", message: { id: sent.vendorMessageId, tag: message.id } },
    ];
    const response = await fetch(webhookUrl(p.app, org.account, "callbacks"), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(forged),
    });
    expect(response.status).toBe(403);
    expect(await rowCounts(org.account.id)).toEqual(beforeForgedReport);
    expect(await findMessage(message.id)).toMatchObject({ status: "DELIVERED", errorCode: null });

    const refused = `[webhook] webhook refused for account ${org.account.id} (bandwidth/callbacks): `;
    await waitForOutput(p.app.output, `${refused}the Authorization header does not match the callback username and password`);
    await waitForOutput(p.app.output, `${refused}missing Authorization header`);
  });
});
