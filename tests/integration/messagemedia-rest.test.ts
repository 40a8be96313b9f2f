import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db";
import { messages } from "@/db/schema/messages";
import { vendorAccounts } from "@/db/schema/vendor-accounts";
import { webhookEvents } from "@/db/schema/webhook-events";
import { queueMessage } from "@/lib/messaging/send";
import { addNumber } from "@/lib/numbers";
import { saveVendorAccount, setDefaultVendorAccount } from "@/lib/vendors/accounts";
import { apiClient, type ApiClient } from "../helpers/api-client";
import { ownerWithOrg } from "../helpers/fixtures";
import { pipelineForFile, until, waitForStatus, webhookUrl, type Pipeline } from "../helpers/sim-pipeline";

/**
 * MessageMedia REST end to end, as the seed uses it: another system calls our API for a
 * one-time passcode, a roster, and a shift offer whose YES comes back by a signed webhook
 * into the offer's conversation, readable through the API. The worker sends through the real
 * adapter (HMAC auth) to the simulator; sends that happen together leave in batches of at
 * most 100; an account in polling mode gets its replies by the scheduled poll; and the same
 * MessageMedia username cannot be connected over SOAP as well.
 */
const MM = { apiKey: "HubRestKey01", apiSecret: "HubRestSecret0123456789" };
const OUR = "+61491570156";
let p: Pipeline;
let org: { orgId: string; userId: string; accountId: string };
let api: ApiClient;

pipelineForFile(
  async (pipeline) => {
    p = pipeline;
    const registered = p.sim.control.addAccount({ vendor: "messagemedia-rest", ...MM, signing: true });
    const publicKey = (registered.signingKey as { publicKeyPem: string }).publicKeyPem;
    org = await mmOrg("MM REST", { receiveMode: "webhook", auth: "hmac", publicKey });
    api = await apiClient(p.app.url, org);
  },
  { start: { workerEnv: { SEND_SWEEP_SECONDS: "1" } } },
);

async function mmOrg(label: string, values: Record<string, unknown>, number = OUR) {
  const { user, org: created } = await ownerWithOrg(label);
  const actor = { userId: user.id, label: "test" };
  const account = await saveVendorAccount(created.id, actor, {
    kind: "messagemedia-rest",
    name: "MessageMedia",
    values: { username: MM.apiKey, password: MM.apiSecret, apiBaseUrl: `${p.sim.url}/messagemedia/v1`, ...values },
  });
  await setDefaultVendorAccount(created.id, account.id, actor);
  await addNumber(created.id, actor, { vendorAccountId: account.id, e164: number });
  return { orgId: created.id, userId: user.id, accountId: account.id, actor };
}

/** The messages the simulator took in one POST /v1/messages, by request. */
function batches(): Record<string, unknown>[][] {
  return p.sim.control
    .requests({ vendor: "messagemedia-rest" })
    .filter((r) => r.method === "POST" && r.path === "/v1/messages")
    .map((r) => (JSON.parse(r.body) as { messages: Record<string, unknown>[] }).messages);
}

const sentTo = (to: string) =>
  batches()
    .flat()
    .filter((m) => m.destination_number === to);

describe("MessageMedia REST, the seed's uses through the API", () => {
  it("sends a one-time passcode in the seed's fixed words, signed with HMAC, delivered by signed reports", async () => {
    const to = "+61491570110";
    const otp = await api("/otp", { to, length: 4 });
    expect(otp.status).toBe(202);
    const delivered = await waitForStatus(String(otp.json.messageId), "DELIVERED");
    const [sent] = sentTo(to);
    expect(sent).toMatchObject({
      destination_number: to,
      source_number: OUR,
      format: "SMS",
      delivery_report: true,
      callback_url: webhookUrl(p.app, { kind: "messagemedia-rest", webhookToken: await tokenOf(org.accountId) }, "callback"),
      metadata: { switchboard_id: delivered.id },
    });
    expect(String(sent!.content)).toMatch(/^Your onetime password is: \d{4}$/);
    const request = p.sim.control.requests({ vendor: "messagemedia-rest" }).find((r) => r.body.includes(delivered.id))!;
    expect(request.headers.authorization).toMatch(
      /^hmac username="HubRestKey01", algorithm="hmac-sha256", headers="Date Content-MD5 request-line", signature="[^"]+"$/,
    );
    expect(JSON.stringify(request.headers)).not.toContain(MM.apiSecret);
    expect(delivered.vendorMessageId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("sends a roster notification and takes it to DELIVERED through MessageMedia's reports", async () => {
    const to = "+61491570111";
    const roster = "Roster for week 48: Mon 9-5, Wed 12-8, Sat 7-3. Swaps in the app.";
    const sent = await api("/messages", { to, body: roster });
    expect(sent.status).toBe(202);
    await waitForStatus(String(sent.json.id), "DELIVERED");
    expect(sentTo(to).map((m) => m.content)).toEqual([roster]);
    const read = await api(`/messages/${String(sent.json.id)}`);
    expect(read.json).toMatchObject({ status: "DELIVERED", body: roster, to });
  });

  it("brings the YES to a shift offer back by a signed webhook into the offer's conversation, visible through the API", async () => {
    const to = "+61491570112";
    const offer = await api("/messages", { to, body: "Shift offer: Tue 9:00-17:00 at Central. Reply YES or NO." });
    const sent = await waitForStatus(String(offer.json.id), "DELIVERED");
    const [answer] = await p.sim.control.inbound({
      vendor: "messagemedia-rest",
      from: to,
      to: OUR,
      body: "YES",
      inReplyTo: sent.vendorMessageId!,
    });
    expect(answer!.response?.status).toBe(200);
    const replies = await until(async () => {
      const page = await api(`/conversations/${String(offer.json.conversationId)}/messages`);
      const inbound = (page.json.data as Record<string, unknown>[]).filter((m) => m.direction === "INBOUND");
      return inbound.length ? inbound : null;
    }, "the reply in the offer's conversation");
    expect(replies.map((m) => [m.body, m.from, m.to])).toEqual([["YES", to, OUR]]);
  });

  it("refuses a callback whose signature does not match the account's public key, storing nothing", async () => {
    const url = webhookUrl(p.app, { kind: "messagemedia-rest", webhookToken: await tokenOf(org.accountId) }, "callback");
    const body = JSON.stringify({
      reply_id: "forged-1",
      message_id: "x",
      source_number: "+61491570199",
      destination_number: OUR,
      content: "NO",
      date_received: new Date().toISOString(),
    });
    const response = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        date: new Date().toUTCString(),
        "x-messagemedia-signature": Buffer.from("forged").toString("base64"),
      },
      body,
    });
    expect(response.status).toBe(403);
    expect(await db.select().from(webhookEvents).where(eq(webhookEvents.dedupeKey, "reply:forged-1"))).toEqual([]);
  });
});

describe("MessageMedia REST batching", () => {
  it("sends messages queued together in batches of at most 100, each message exactly once", async () => {
    const before = batches().length;
    const ids: string[] = [];
    for (let i = 0; i < 150; i++)
      ids.push((await queueMessage(org.orgId, { to: `+6149157${3000 + i}`, body: `Notice ${i}` })).message.id);
    for (const id of ids) await waitForStatus(id, "DELIVERED", 40_000);
    const newBatches = batches().slice(before);
    const contents = newBatches.flat().map((m) => m.content);
    expect(contents.filter((c) => String(c).startsWith("Notice ")).sort()).toEqual(ids.map((_, i) => `Notice ${i}`).sort());
    expect(Math.max(...newBatches.map((b) => b.length))).toBeLessThanOrEqual(100);
    expect(newBatches.some((b) => b.length > 1)).toBe(true);
  });
});

describe("MessageMedia REST in polling mode", () => {
  it("fetches replies and reports with the scheduled poll, confirms them, and shows what it fetched", async () => {
    const polling = await mmOrg("MM REST poll", { receiveMode: "poll", pollIntervalSeconds: 15 }, "+61491570157");
    const to = "+61491570130";
    const { message } = await queueMessage(polling.orgId, { to, body: "Can you cover Friday? Reply YES or NO." });
    const sent = await waitForStatus(message.id, "DELIVERED", 40_000);
    expect(sentTo(to)[0]).not.toHaveProperty("callback_url");
    await p.sim.control.inbound({
      vendor: "messagemedia-rest",
      from: to,
      to: "+61491570157",
      body: "NO",
      inReplyTo: sent.vendorMessageId!,
    });
    const [reply] = await until(
      () =>
        db
          .select()
          .from(messages)
          .where(and(eq(messages.orgId, polling.orgId), eq(messages.direction, "INBOUND")))
          .then((r) => (r.length ? r : null)),
      "the polled reply",
      40_000,
    );
    expect([reply!.body, reply!.fromE164, reply!.toE164, reply!.conversationId]).toEqual([
      "NO",
      to,
      "+61491570157",
      sent.conversationId,
    ]);
    // A reply to a number the org does not have is kept, flagged for a person, never dropped.
    await p.sim.control.inbound({
      vendor: "messagemedia-rest",
      account: MM.apiKey,
      from: "+61491570177",
      to: "+61491570199",
      body: "Who is this?",
    });
    const [stray] = await until(
      () =>
        db
          .select()
          .from(messages)
          .where(and(eq(messages.orgId, polling.orgId), eq(messages.fromE164, "+61491570177")))
          .then((r) => (r.length ? r : null)),
      "the reply to an unknown number",
      40_000,
    );
    expect([stray!.body, stray!.toE164, stray!.flag]).toEqual(["Who is this?", "+61491570199", "unknown_number"]);
    const account = await until(async () => {
      const [row] = await db.select().from(vendorAccounts).where(eq(vendorAccounts.id, polling.accountId));
      return row?.lastPollFetched && row.lastPollFetched.replies + row.lastPollFetched.reports > 0 ? row : null;
    }, "poll stats");
    expect(account.lastPollAt).toBeInstanceOf(Date);
    const confirms = p.sim.control.requests({ vendor: "messagemedia-rest" }).filter((r) => r.path === "/v1/replies/confirmed");
    expect(confirms.some((r) => (JSON.parse(r.body) as { reply_ids: string[] }).reply_ids.length > 0)).toBe(true);
  });
});

describe("one interface per MessageMedia account", () => {
  it("refuses connecting the same username over SOAP in the same org, naming the field", async () => {
    const actor = { userId: org.userId, label: "test" };
    await expect(
      saveVendorAccount(org.orgId, actor, {
        kind: "messagemedia-soap",
        name: "MM SOAP",
        values: { username: MM.apiKey.toLowerCase(), password: "whatever1" },
      }),
    ).rejects.toMatchObject({
      status: 422,
      fieldErrors: { username: expect.stringMatching(/already connects this MessageMedia account/) },
    });
    // Another username is another MessageMedia account.
    const other = await saveVendorAccount(org.orgId, actor, {
      kind: "messagemedia-soap",
      name: "MM SOAP 2",
      values: { username: "another-user", password: "whatever1" },
    });
    expect(other.kind).toBe("messagemedia-soap");
  });
});

async function tokenOf(accountId: string): Promise<string> {
  const [row] = await db
    .select({ token: vendorAccounts.webhookToken })
    .from(vendorAccounts)
    .where(eq(vendorAccounts.id, accountId));
  return row!.token;
}
