import { and, count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db";
import { messages, type Message } from "@/db/schema/messages";
import { orgs } from "@/db/schema/orgs";
import { vendorAccounts } from "@/db/schema/vendor-accounts";
import { webhookEvents } from "@/db/schema/webhook-events";
import { queueMessage } from "@/lib/messaging/send";
import { addNumber } from "@/lib/numbers";
import { saveVendorAccount, setDefaultVendorAccount } from "@/lib/vendors/accounts";
import { PASSWORD, ownerWithOrg } from "../helpers/fixtures";
import { HttpSession } from "../helpers/http-session";
import {
  eventsOf,
  expectInboundInConversation,
  findMessage,
  pipelineForFile,
  rowCounts,
  waitForInbound,
  waitForStatus,
  webhookUrl,
  type Pipeline,
  type VendorOrg,
} from "../helpers/sim-pipeline";

/**
 * SMSsync end to end, as the Android app speaks it to the production build with a real worker:
 * texts the phone receives land in conversations (once per message_id), refusals say why in the
 * seed's words and store nothing, and outbound messages wait for the phone, which fetches them
 * (task=send), acknowledges them (task=sent) and reports on them (task=result). The worker never
 * calls a vendor for this account: there is none to call.
 */
const SECRET = "front-desk-phone-secret";
const OUR_NUMBER = "+14155550100";
const CONFIRMATION = "You are unsubscribed from Front Desk texts. Reply START to resubscribe.";

let p: Pipeline;
let org: VendorOrg & { slug: string; email: string };

pipelineForFile(async (started) => {
  p = started;
  const { user, org: made } = await ownerWithOrg("SMSsync");
  const actor = { userId: user.id, label: "test" };
  const account = await saveVendorAccount(made.id, actor, {
    kind: "smssync",
    name: "Front desk phone",
    values: { secret: SECRET, number: OUR_NUMBER },
  });
  await setDefaultVendorAccount(made.id, account.id, actor);
  const number = await addNumber(made.id, actor, { vendorAccountId: account.id, e164: OUR_NUMBER });
  const [current] = await db.select({ features: orgs.features }).from(orgs).where(eq(orgs.id, made.id));
  await db
    .update(orgs)
    .set({ features: { ...current!.features, optOutConfirmation: CONFIRMATION } })
    .where(eq(orgs.id, made.id));
  org = { orgId: made.id, actor, account, numbers: [{ id: number.id, e164: number.e164 }], slug: made.slug, email: user.email };
});

type Answer = { status: number; contentType: string | null; body: string; data: Record<string, unknown> };

function syncUrl(): string {
  return webhookUrl(p.app, org.account, "sync");
}

async function answerOf(response: Response): Promise<Answer> {
  const body = await response.text();
  return {
    status: response.status,
    contentType: response.headers.get("content-type"),
    body,
    data: JSON.parse(body) as Record<string, unknown>,
  };
}

/** The app's POST of an SMS the phone received, form-encoded. */
async function postIncoming(fields: Record<string, string>): Promise<Answer> {
  return answerOf(
    await fetch(syncUrl(), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields).toString(),
    }),
  );
}

function sms(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    from: "+14155550142",
    message: "Running 10 minutes late",
    secret: SECRET,
    sent_timestamp: String(Date.parse("2026-01-02T03:04:05.000Z")),
    sent_to: "",
    message_id: crypto.randomUUID(),
    device_id: "1",
    ...overrides,
  };
}

/** A task request, with the secret in the query as the seed's server reads it. */
async function task(method: "GET" | "POST", name: string, json?: unknown, secret = SECRET): Promise<Answer> {
  return answerOf(
    await fetch(`${syncUrl()}?task=${name}&secret=${encodeURIComponent(secret)}`, {
      method,
      ...(json === undefined ? {} : { headers: { "content-type": "application/json" }, body: JSON.stringify(json) }),
    }),
  );
}

/** What task=send offers: the messages as the phone gets them. */
async function offered(): Promise<{ to: string; message: string; uuid: string }[]> {
  const answer = await task("GET", "send");
  expect(answer.data).toMatchObject({ payload: { success: true, task: "send", secret: SECRET } });
  return (answer.data.payload as { messages: { to: string; message: string; uuid: string }[] }).messages;
}

async function queueAndWaitForPhone(to: string, body: string): Promise<Message> {
  const { message } = await queueMessage(org.orgId, { to, body });
  // The worker's part: SENDING, waiting for the phone, with no lease for the sweep to take back.
  return waitForStatus(message.id, "SENDING");
}

async function lastDeviceContact(): Promise<Date | null> {
  const [row] = await db
    .select({ at: vendorAccounts.lastDeviceContactAt })
    .from(vendorAccounts)
    .where(eq(vendorAccounts.id, org.account.id));
  return row!.at;
}

const SUCCESS = '{"payload":{"success":true,"error":null}}';
const WRONG_SECRET =
  '{"payload":{"success":false,"error":"The secret value sent from the device does not match the one on the server"}}';

describe("texts the phone receives", () => {
  it("stores an incoming SMS in the conversation with its sender, dated when the phone got it, and answers success", async () => {
    const before = new Date();
    const text = sms({ message: "Can I swap my Tuesday shift?" });
    const answer = await postIncoming(text);
    expect(answer).toMatchObject({ status: 200, contentType: "application/json; charset=utf-8", body: SUCCESS });

    const stored = await waitForInbound(org.account.id, text.message_id!);
    await expectInboundInConversation(org, stored, {
      from: "+14155550142",
      to: OUR_NUMBER,
      body: "Can I swap my Tuesday shift?",
    });
    expect(stored.createdAt).toEqual(new Date("2026-01-02T03:04:05.000Z"));
    expect((await lastDeviceContact())!.getTime()).toBeGreaterThanOrEqual(before.getTime() - 1000);

    // Kept raw with its processing job, as every webhook is, but never with the secret in clear.
    const [raw] = await db
      .select()
      .from(webhookEvents)
      .where(and(eq(webhookEvents.vendorAccountId, org.account.id), eq(webhookEvents.dedupeKey, `message:${text.message_id}`)));
    expect(raw).toMatchObject({ action: "sync", method: "POST" });
    expect(raw!.body).not.toContain(SECRET);
    expect(new URLSearchParams(raw!.body).get("message")).toBe("Can I swap my Tuesday shift?");
  });

  it("stores an SMS the phone sends again (same message_id) once", async () => {
    const text = sms({ message: "Is parking validated?" });
    for (let i = 0; i < 3; i++) expect((await postIncoming(text)).body).toBe(SUCCESS);
    await waitForInbound(org.account.id, text.message_id!);
    const [stored] = await db
      .select({ n: count() })
      .from(messages)
      .where(and(eq(messages.vendorAccountId, org.account.id), eq(messages.vendorMessageId, text.message_id!)));
    expect(stored!.n).toBe(1);
    const [raw] = await db
      .select({ n: count() })
      .from(webhookEvents)
      .where(and(eq(webhookEvents.vendorAccountId, org.account.id), eq(webhookEvents.dedupeKey, `message:${text.message_id}`)));
    expect(raw!.n).toBe(1);
  });

  it("takes the seed's own multipart test request (curl -F)", async () => {
    const text = sms({ message: "sample text message", sent_timestamp: "123456789" });
    const form = new FormData();
    for (const [name, value] of Object.entries(text)) form.append(name, value);
    const answer = await answerOf(await fetch(syncUrl(), { method: "POST", body: form }));
    expect(answer.body).toBe(SUCCESS);
    const stored = await waitForInbound(org.account.id, text.message_id!);
    expect(stored).toMatchObject({ body: "sample text message", fromE164: "+14155550142", toE164: OUR_NUMBER });
  });

  it("refuses the wrong secret with the seed's reason, and stores nothing", async () => {
    const before = await rowCounts(org.account.id);
    const answer = await postIncoming(sms({ secret: "not-the-secret" }));
    expect(answer).toMatchObject({ status: 200, body: WRONG_SECRET });
    expect((await task("GET", "send", undefined, "not-the-secret")).body).toBe(WRONG_SECRET);
    expect(await rowCounts(org.account.id)).toEqual(before);
  });

  it("refuses an SMS missing a field, naming it, and stores nothing", async () => {
    const before = await rowCounts(org.account.id);
    const { message: _message, ...noMessage } = sms();
    expect((await postIncoming(noMessage)).data).toEqual({
      payload: { success: false, error: "The message variable was not set" },
    });
    expect((await postIncoming(sms({ from: "" }))).data).toEqual({
      payload: { success: false, error: "The from variable was not set" },
    });
    const { message_id: _id, ...noId } = sms();
    expect((await postIncoming(noId)).data).toEqual({
      payload: { success: false, error: "The message_id variable was not set" },
    });
    expect(await rowCounts(org.account.id)).toEqual(before);
  });
});

describe("texts the phone sends", () => {
  it("waits for the phone, offers until acknowledged, and takes the phone's delivery results", async () => {
    const first = await queueAndWaitForPhone("+14155550161", "Your shift starts at 9.");
    const second = await queueAndWaitForPhone("+14155550162", "Bring your badge tomorrow.");
    for (const message of [first, second]) {
      expect(message).toMatchObject({ leaseUntil: null, deviceOfferedAt: null, vendorMessageId: null, fromE164: OUR_NUMBER });
      expect((await eventsOf(message.id)).map((e) => `${e.status}:${e.vendorStatus}`)).toEqual(["SENDING:awaiting device"]);
    }

    const both = [
      { to: "+14155550161", message: "Your shift starts at 9.", uuid: first.id },
      { to: "+14155550162", message: "Bring your badge tomorrow.", uuid: second.id },
    ];
    expect(await offered()).toEqual(both);
    expect((await findMessage(first.id))!.deviceOfferedAt).toBeInstanceOf(Date);
    // Not acknowledged: the phone may never have got the answer, so it gets them again.
    expect(await offered()).toEqual(both);

    const acknowledged = await task("POST", "sent", { queued_messages: [first.id] });
    expect(acknowledged.data).toEqual({ message_uuids: [first.id] });
    expect(await findMessage(first.id)).toMatchObject({ status: "SENT", vendorMessageId: first.id });
    expect(await offered()).toEqual([both[1]]);
    // A retried acknowledgement answers the same and changes nothing; a stranger's uuid is not ours to confirm.
    expect((await task("POST", "sent", { queued_messages: [first.id, "95df126b-ee80-4175-a6fb"] })).data).toEqual({
      message_uuids: [first.id],
    });

    expect((await task("GET", "result")).data).toEqual({ message_uuids: [first.id] });
    const delivered = await task("POST", "result", {
      message_result: [
        {
          uuid: first.id,
          sent_result_code: 0,
          sent_result_message: "SMSSync Message Sent",
          delivered_result_code: 0,
          delivered_result_message: "SMS Delivered",
        },
      ],
    });
    expect(delivered.body).toBe(SUCCESS);
    expect(await findMessage(first.id)).toMatchObject({ status: "DELIVERED", deliveredAt: expect.any(Date) });

    expect((await task("POST", "sent", { queued_messages: [second.id] })).data).toEqual({ message_uuids: [second.id] });
    const phoneSays = "Failed to send SMS - Maybe insufficient air time on the phone.";
    await task("POST", "result", {
      message_result: [
        {
          uuid: second.id,
          sent_result_code: 1,
          sent_result_message: phoneSays,
          delivered_result_code: -1,
          delivered_result_message: "",
        },
      ],
    });
    expect(await findMessage(second.id)).toMatchObject({ status: "FAILED", errorCode: "1", errorDescription: phoneSays });
    // A late "delivered" cannot bring a failed message back.
    await task("POST", "result", { message_result: [{ uuid: second.id, sent_result_code: 0, delivered_result_code: 0 }] });
    expect((await findMessage(second.id))!.status).toBe("FAILED");

    expect(await offered()).toEqual([]);
    expect((await task("GET", "result")).data).toEqual({ message_uuids: [] });
    expect((await eventsOf(first.id)).map((e) => `${e.status}:${e.vendorStatus}`)).toEqual([
      "SENDING:awaiting device",
      "SENT:queued on the phone",
      "SENT:SMSSync Message Sent",
      "DELIVERED:SMS Delivered",
    ]);
  });

  it("answers an incoming STOP with the opt-out confirmation for the phone to send (Get reply from server)", async () => {
    const from = "+14155550177";
    const answer = await postIncoming(sms({ from, message: "STOP" }));
    // The SMS is applied before the answer, so the reply it causes rides back on it.
    expect(answer.data).toMatchObject({ payload: { success: true, error: null, task: "send", secret: SECRET } });
    const replies = (answer.data.payload as { messages: { to: string; message: string; uuid: string }[] }).messages;
    expect(replies).toEqual([{ to: from, message: CONFIRMATION, uuid: expect.any(String) }]);
    expect(await findMessage(replies[0]!.uuid)).toMatchObject({ status: "SENDING", toE164: from, body: CONFIRMATION });

    expect((await task("POST", "sent", { queued_messages: [replies[0]!.uuid] })).data).toEqual({
      message_uuids: [replies[0]!.uuid],
    });
    expect(await offered()).toEqual([]);
  });
});

describe("the account page", () => {
  it("shows the phone's last contact, the sync URL and the queue", async () => {
    const session = await HttpSession.signIn(p.app.url, org.email, PASSWORD);
    // React marks text boundaries with empty comments; read the page as a person would.
    const page = async (tab = "settings") =>
      (await (await session.request(`/${org.slug}/vendors/${org.account.id}?tab=${tab}`)).text()).replace(/<!-- -->/g, "");

    expect(await page()).toContain("Nothing is waiting: every message has been handed to the phone.");

    const waiting = await queueAndWaitForPhone("+14155550163", "Staff meeting moved to Thursday at 4pm in room B.");
    let html = await page();
    expect(html).toContain("Last device contact");
    expect(html).toContain("Waiting for the phone");
    expect(html).toContain("1 message waits");
    expect(html).toContain("(415) 555-0163");
    expect(html).toContain("Staff meeting moved to Thursday at 4pm in room B.");
    expect(html).toContain("not offered yet");

    expect((await offered()).map((m) => m.uuid)).toEqual([waiting.id]);
    html = await page();
    expect(html).toMatch(/offered [A-Z][a-z]{2} \d{1,2}, \d{4}/);

    await task("POST", "sent", { queued_messages: [waiting.id] });
    expect(await page()).toContain("Nothing is waiting");

    expect(await page("webhooks")).toContain(syncUrl());
  });
});
