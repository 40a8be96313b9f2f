import { and, eq, inArray } from "drizzle-orm";
import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db";
import { contacts } from "@/db/schema/contacts";
import { messageEvents } from "@/db/schema/message-events";
import { messages } from "@/db/schema/messages";
import { orgs } from "@/db/schema/orgs";
import { vendorRequestLogs } from "@/db/schema/vendor-request-logs";
import { webhookEvents } from "@/db/schema/webhook-events";
import { queueMessage } from "@/lib/messaging/send";
import { addNumber } from "@/lib/numbers";
import { saveVendorAccount, setDefaultVendorAccount } from "@/lib/vendors/accounts";
import { spawnTs, startApp, stopProcess, type RunningApp } from "../helpers/app";
import { ownerWithOrg } from "../helpers/fixtures";
import { until } from "../helpers/sim-pipeline";

let app: RunningApp;
let worker: ChildProcess;
let orgId: string;

beforeAll(async () => {
  app = await startApp();
  worker = spawnTs("workers/run.ts", [], { PUBLIC_URL: app.url });
  const { user, org } = await ownerWithOrg("Pipeline");
  orgId = org.id;
  const actor = { userId: user.id, label: "test" };
  const account = await saveVendorAccount(org.id, actor, { kind: "fake", name: "Fake", values: { deliveryDelayMs: 50 } });
  await setDefaultVendorAccount(org.id, account.id, actor);
  await addNumber(org.id, actor, { vendorAccountId: account.id, e164: "+12125550100" });
  await addNumber(org.id, actor, { vendorAccountId: account.id, e164: "+14155550100" });
});

afterAll(async () => {
  await stopProcess(worker);
  await app?.stop();
});

describe("the send pipeline with the fake vendor", () => {
  it("queues, sends, and applies the delivery report that arrives through the webhook", async () => {
    const { message } = await queueMessage(orgId, { to: "(415) 555-0123", body: "Your shift starts at 9" });
    expect(message.status).toBe("QUEUED");
    expect(message.fromE164).toBe("+14155550100"); // the local number for a 415 contact
    const delivered = await until(async () => {
      const [row] = await db.select().from(messages).where(eq(messages.id, message.id));
      return row?.status === "DELIVERED" ? row : null;
    }, "delivery");
    expect(delivered.vendorMessageId).toMatch(/^FK/);
    const history = await db.select().from(messageEvents).where(eq(messageEvents.messageId, message.id));
    expect(history.map((e) => e.status)).toEqual(expect.arrayContaining(["SENDING", "SENT", "DELIVERED"]));
  });

  it("gets the autorespond reply into the same conversation", async () => {
    const { message } = await queueMessage(orgId, { to: "+14155550124", body: "please autorespond" });
    const reply = await until(async () => {
      const [row] = await db.select().from(messages).where(and(eq(messages.conversationId, message.conversationId!), eq(messages.direction, "INBOUND")));
      return row;
    }, "the reply");
    expect(reply.body).toBe("Automatic reply to: please autorespond");
    expect(reply.toE164).toBe(message.fromE164);
  });

  it("fails recipients ending in 13 with the vendor's description", async () => {
    const { message } = await queueMessage(orgId, { to: "+14155550113", body: "hello" });
    const failed = await until(async () => {
      const [row] = await db.select().from(messages).where(eq(messages.id, message.id));
      return row?.status === "FAILED" ? row : null;
    }, "failure");
    expect(failed.errorCode).toBe("FAKE-13");
    expect(failed.errorDescription).toMatch(/ending in 13/);
  });

  it("returns the same message for the same idempotency key", async () => {
    const first = await queueMessage(orgId, { to: "+14155550125", body: "once", idempotencyKey: "k-1" });
    const second = await queueMessage(orgId, { to: "+14155550125", body: "once", idempotencyKey: "k-1" });
    expect(second.created).toBe(false);
    expect(second.message.id).toBe(first.message.id);
  });

  it("opts a contact out on STOP and refuses to send to them", async () => {
    const { message } = await queueMessage(orgId, { to: "+14155550126", body: "hi" });
    await until(async () => (await db.select().from(messages).where(eq(messages.id, message.id)))[0]?.status === "DELIVERED", "delivery");
    const response = await postFakeInbound(message.fromE164, "+14155550126", "Stop");
    expect(response.status).toBe(200);
    await until(async () => (await db.select().from(contacts).where(and(eq(contacts.orgId, orgId), eq(contacts.e164, "+14155550126"))))[0]?.optedOutAt, "opt-out");
    await expect(queueMessage(orgId, { to: "+14155550126", body: "still there?" })).rejects.toMatchObject({ status: 409 });
  });

  it("opts the contact out when the vendor says they opted out (like Twilio 21610)", async () => {
    const { message } = await queueMessage(orgId, { to: "+14155550121", body: "hello" });
    // Waits for a final status, so that a delivery fails here rather than waiting out the deadline.
    const failed = await until(async () => {
      const [row] = await db.select().from(messages).where(eq(messages.id, message.id));
      return row?.status === "FAILED" || row?.status === "DELIVERED" ? row : null;
    }, "a final status");
    expect(failed.status).toBe("FAILED");
    // The opt-out follows the status change, in the same job: wait for it rather than race it.
    const contact = await until(async () => {
      const [row] = await db.select().from(contacts).where(and(eq(contacts.orgId, orgId), eq(contacts.e164, "+14155550121")));
      return row?.optedOutAt ? row : null;
    }, "the contact to be opted out");
    expect(contact.optedOutAt).not.toBeNull();
  });

  it("keeps an inbound message to a number the org does not have, flagged", async () => {
    const response = await postFakeInbound("+19995550100", "+14155550127", "Is this the right number?", "IN-unknown-1");
    expect(response.status).toBe(200);
    const stored = await until(async () => (await db.select().from(messages).where(eq(messages.vendorMessageId, "IN-unknown-1")))[0], "the stored message");
    expect(stored.flag).toBe("unknown_number");
    expect(stored.conversationId).not.toBeNull();
  });

  it("stores a message once when the vendor delivers the same webhook twice", async () => {
    const first = await postFakeInbound("+12125550100", "+14155550128", "YES", "IN-dup-1");
    const second = await postFakeInbound("+12125550100", "+14155550128", "YES", "IN-dup-1");
    expect([first.status, second.status]).toEqual([200, 200]);
    await until(async () => (await db.select().from(messages).where(eq(messages.vendorMessageId, "IN-dup-1")))[0], "the message");
    await new Promise((r) => setTimeout(r, 500));
    expect(await db.select().from(messages).where(eq(messages.vendorMessageId, "IN-dup-1"))).toHaveLength(1);
    expect(await db.select().from(webhookEvents).where(eq(webhookEvents.dedupeKey, "inbound:IN-dup-1"))).toHaveLength(1);
  });

  it("answers HELP with the org's reply, and START opts back in", async () => {
    await db.update(orgs).set({ features: { helpReply: "Pipeline Org: reply STOP to opt out.", optOutConfirmation: "You're unsubscribed." } }).where(eq(orgs.id, orgId));
    await postFakeInbound("+12125550100", "+14155550129", "help", "IN-help-1");
    const reply = await until(async () => (await db.select().from(messages).where(and(eq(messages.toE164, "+14155550129"), eq(messages.direction, "OUTBOUND"))))[0], "the HELP reply");
    expect(reply.body).toBe("Pipeline Org: reply STOP to opt out.");
    await postFakeInbound("+12125550100", "+14155550129", "STOP", "IN-stop-2");
    await until(async () => (await db.select().from(contacts).where(and(eq(contacts.orgId, orgId), eq(contacts.e164, "+14155550129"))))[0]?.optedOutAt, "opt-out");
    const confirmation = await until(async () => (await db.select().from(messages).where(and(eq(messages.toE164, "+14155550129"), eq(messages.body, "You're unsubscribed."))))[0], "the confirmation");
    expect(confirmation.status).not.toBe("FAILED");
    await postFakeInbound("+12125550100", "+14155550129", "START", "IN-start-2");
    await until(async () => (await db.select().from(contacts).where(and(eq(contacts.orgId, orgId), eq(contacts.e164, "+14155550129"))))[0]?.optedOutAt === null, "opt-in");
  });

  it("answers bad webhook requests with a clear 4xx and stores none of them", async () => {
    const { vendorAccounts } = await import("@/db/schema/vendor-accounts");
    const [account] = await db.select().from(vendorAccounts).where(eq(vendorAccounts.orgId, orgId)).limit(1);
    const base = `${app.url}/api/webhooks/fake/${account!.webhookToken}`;
    const { createHmac } = await import("node:crypto");
    const signed = (body: string) => ({ "content-type": "application/json", "x-fake-signature": createHmac("sha256", account!.webhookToken).update(body).digest("hex") });
    const cases: [string, Promise<Response>, number, RegExp][] = [
      ["unknown token", fetch(`${app.url}/api/webhooks/fake/wh_nosuchtoken123/inbound`, { method: "POST", body: "{}" }), 404, /Unknown webhook/],
      ["unknown kind", fetch(`${app.url}/api/webhooks/carrier-pigeon/${account!.webhookToken}/inbound`, { method: "POST", body: "{}" }), 404, /Unknown webhook/],
      ["unknown action", fetch(`${base}/teleport`, { method: "POST", body: "{}" }), 404, /Unknown webhook action/],
      ["wrong method", fetch(`${base}/inbound`), 405, /Use POST/],
      ["malformed JSON, signed", fetch(`${base}/inbound`, { method: "POST", headers: signed("{not json"), body: "{not json" }), 400, /not JSON/],
      ["a field of the wrong type, signed", fetch(`${base}/inbound`, { method: "POST", headers: signed('{"id":"x","from":5,"to":"+12125550100","body":"hi"}'), body: '{"id":"x","from":5,"to":"+12125550100","body":"hi"}' }), 400, /from/],
      ["an oversized body", fetch(`${base}/inbound`, { method: "POST", body: "x".repeat(1_100_000) }), 413, /too large/],
    ];
    for (const [label, pending, status, message] of cases) {
      const response = await pending;
      expect(response.status, label).toBe(status);
      expect(await response.text(), label).toMatch(message);
    }
    // By body: the fake vendor's delivery reports for earlier sends may be stored meanwhile.
    const sent = ["{}", "{not json", '{"id":"x","from":5,"to":"+12125550100","body":"hi"}', "x".repeat(1_100_000)];
    expect(await db.select({ id: webhookEvents.id }).from(webhookEvents).where(inArray(webhookEvents.body, sent))).toEqual([]);
    const URL_MASKED = /^http:\/\/[\w.]+:\d+\/api\/webhooks\/fake\/\[token\]\/inbound$/;
    // The signed ones came from the vendor: kept raw on the account's Logs tab, token masked, with the reason.
    const kept = await db.select().from(vendorRequestLogs).where(eq(vendorRequestLogs.vendorAccountId, account!.id));
    const unread = kept.filter((log) => log.method === "POST ← vendor").map((log) => [log.url, log.requestBody, log.status, log.error]);
    expect(unread).toEqual(
      expect.arrayContaining([
        [expect.stringMatching(URL_MASKED), "{not json", 400, expect.stringMatching(/^Not understood: .*not JSON/)],
        [expect.stringMatching(URL_MASKED), sent[2], 400, expect.stringMatching(/^Not understood: .*from/)],
      ]),
    );
    expect(unread).toHaveLength(2);
  });

  it("refuses unsigned webhooks with 403 and stores nothing", async () => {
    const [account] = await db.select().from((await import("@/db/schema/vendor-accounts")).vendorAccounts).limit(1);
    // A body of its own: the fake vendor's delivery reports may land meanwhile, and they are stored.
    const body = JSON.stringify({ id: `unsigned-${Date.now()}`, from: "+14155550111", to: "+12125550100", body: "hi" });
    const response = await fetch(`${app.url}/api/webhooks/fake/${account!.webhookToken}/inbound`, { method: "POST", body });
    expect(response.status).toBe(403);
    expect(await db.select().from(webhookEvents).where(eq(webhookEvents.body, body))).toEqual([]);
  });
});

async function postFakeInbound(to: string, from: string, body: string, id = `IN${Date.now()}${Math.random()}`): Promise<Response> {
  const { vendorAccounts } = await import("@/db/schema/vendor-accounts");
  const [account] = await db.select().from(vendorAccounts).where(eq(vendorAccounts.orgId, orgId)).limit(1);
  const { createHmac } = await import("node:crypto");
  const payload = JSON.stringify({ id, from, to, body });
  const signature = createHmac("sha256", account!.webhookToken).update(payload).digest("hex");
  return fetch(`${app.url}/api/webhooks/fake/${account!.webhookToken}/inbound`, { method: "POST", headers: { "content-type": "application/json", "x-fake-signature": signature }, body: payload });
}
