import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db";
import { messages } from "@/db/schema/messages";
import { vendorAccounts } from "@/db/schema/vendor-accounts";
import { webhookEvents } from "@/db/schema/webhook-events";
import { addNumber } from "@/lib/numbers";
import { saveVendorAccount, setDefaultVendorAccount } from "@/lib/vendors/accounts";
import { apiClient, type ApiClient } from "../helpers/api-client";
import { ownerWithOrg, PASSWORD } from "../helpers/fixtures";
import { HttpSession } from "../helpers/http-session";
import { pipelineForFile, until, waitForStatus, type Pipeline } from "../helpers/sim-pipeline";

/**
 * MessageMedia SOAP end to end: no webhooks, so the worker's scheduled poll-vendor job
 * fetches replies and delivery reports (checkReplies, checkReports) and confirms only what it
 * has stored. The seed's passcode, roster and shift offer go through our API; the YES comes
 * back by the poll into the offer's conversation. A failure between storing and confirming
 * loses nothing and stores nothing twice, and the vendor page shows the poll.
 */
const SOAP = { userId: "hub-soap-user", password: "hub-soap-password" };
const OUR = "+61491570158";
let p: Pipeline;
let org: { orgId: string; userId: string; accountId: string; slug: string; email: string };
let api: ApiClient;

pipelineForFile(
  async (pipeline) => {
    p = pipeline;
    p.sim.control.addAccount({ vendor: "messagemedia-soap", ...SOAP });
    const { user, org: created } = await ownerWithOrg("MessageMediaSoap");
    const actor = { userId: user.id, label: "test" };
    const account = await saveVendorAccount(created.id, actor, {
      kind: "messagemedia-soap",
      name: "MessageMedia SOAP",
      values: {
        username: SOAP.userId,
        password: SOAP.password,
        sourceNumber: OUR,
        pollIntervalSeconds: 15,
        soapUrl: `${p.sim.url}/messagemedia-soap/`,
      },
    });
    await setDefaultVendorAccount(created.id, account.id, actor);
    await addNumber(created.id, actor, { vendorAccountId: account.id, e164: OUR });
    org = { orgId: created.id, userId: user.id, accountId: account.id, slug: created.slug, email: user.email };
    api = await apiClient(p.app.url, org);
  },
  { start: { workerEnv: { SEND_SWEEP_SECONDS: "1" } } },
);

/** The sendMessages requests the simulator received for one recipient. */
const sendsTo = (to: string) =>
  p.sim.control
    .requests({ vendor: "messagemedia-soap" })
    .filter((r) => r.body.includes("sendMessages") && r.body.includes(`>${to}<`));

const inboundOf = (from: string) =>
  db
    .select()
    .from(messages)
    .where(and(eq(messages.orgId, org.orgId), eq(messages.fromE164, from), eq(messages.direction, "INBOUND")));

describe("MessageMedia SOAP, the seed's uses through the API", () => {
  it("sends the passcode inside the SOAP payload, and the polled report takes it to DELIVERED", async () => {
    const to = "+61491570140";
    const otp = await api("/otp", { to, length: 4 });
    expect(otp.status).toBe(202);
    const delivered = await waitForStatus(String(otp.json.messageId), "DELIVERED", 40_000);
    const [request] = sendsTo(to);
    expect(request!.headers["content-type"]).toMatch(/^text\/xml/);
    expect(request!.body).toContain('xmlns:api="http://xml.m4u.com.au/2009"');
    expect(request!.body).toMatch(/<api:content>Your onetime password is: \d{4}<\/api:content>/);
    expect(request!.body).toContain(`<api:recipient uid="${delivered.vendorMessageId}">${to}</api:recipient>`);
    // The credentials travel only inside the HTTPS payload, never in a header.
    expect(JSON.stringify(request!.headers)).not.toContain(SOAP.password);
    expect(request!.body).toContain(`<api:userId>${SOAP.userId}</api:userId>`);
  });

  it("sends a roster, and brings the YES to a shift offer back by the poll into the offer's conversation", async () => {
    const roster = await api("/messages", { to: "+61491570141", body: "Roster for week 48: Mon 9-5, Thu 9-5." });
    expect(roster.status).toBe(202);
    const to = "+61491570142";
    const offer = await api("/messages", { to, body: "Shift offer: Sat 7:00-15:00 at Northside. Reply YES or NO." });
    const sent = await waitForStatus(String(offer.json.id), "SENT", 20_000);
    await p.sim.control.inbound({
      vendor: "messagemedia-soap",
      from: to,
      to: OUR,
      body: "YES",
      inReplyTo: sent.vendorMessageId!,
    });
    const replies = await until(
      async () => {
        const page = await api(`/conversations/${String(offer.json.conversationId)}/messages`);
        const inbound = (page.json.data as Record<string, unknown>[]).filter((m) => m.direction === "INBOUND");
        return inbound.length ? inbound : null;
      },
      "the polled YES in the offer's conversation",
      40_000,
    );
    expect(replies.map((m) => [m.body, m.from, m.to])).toEqual([["YES", to, OUR]]);
    await waitForStatus(String(roster.json.id), "DELIVERED", 40_000);
  });
});

describe("polling MessageMedia SOAP", () => {
  it("loses nothing and stores nothing twice when confirming fails after the reply was stored", async () => {
    const from = "+61491570143";
    // The next confirm fails, as if the worker died between storing and confirming.
    p.sim.control.injectFault({ vendor: "messagemedia-soap", operation: "confirm", status: 500, times: 1 });
    await p.sim.control.inbound({ vendor: "messagemedia-soap", from, to: OUR, body: "NO" });
    const failedConfirm = await until(
      async () => {
        const [row] = await db.select().from(vendorAccounts).where(eq(vendorAccounts.id, org.accountId));
        return row?.lastPollError ? row : null;
      },
      "the failed confirm",
      40_000,
    );
    expect(failedConfirm.lastPollError).toMatch(/500|Simulated/);
    const stored = await until(async () => ((await inboundOf(from)).length ? inboundOf(from) : null), "the stored reply", 20_000);
    expect(stored.map((m) => m.body)).toEqual(["NO"]);
    // Still unconfirmed at the vendor, so the next poll fetches it again, stores nothing new, and confirms it.
    const confirmsBefore = confirmRequests().length;
    await until(async () => confirmRequests().length > confirmsBefore && stillHeld(from) === 0, "the second confirm", 40_000);
    expect((await inboundOf(from)).map((m) => m.body)).toEqual(["NO"]);
    const rows = await db
      .select()
      .from(webhookEvents)
      .where(and(eq(webhookEvents.vendorAccountId, org.accountId), eq(webhookEvents.action, "poll")));
    expect(rows.filter((r) => r.body.includes(from)).length).toBe(1);
  });

  it("shows MessageMedia's refusal of wrong credentials as the account's poll error", async () => {
    const wrong = await saveVendorAccount(
      org.orgId,
      { userId: org.userId, label: "test" },
      {
        kind: "messagemedia-soap",
        name: "MessageMedia SOAP (old password)",
        values: {
          username: SOAP.userId,
          password: "an-old-password",
          pollIntervalSeconds: 15,
          soapUrl: `${p.sim.url}/messagemedia-soap/`,
        },
      },
    );
    const row = await until(
      async () => {
        const [found] = await db.select().from(vendorAccounts).where(eq(vendorAccounts.id, wrong.id));
        return found?.lastPollError ? found : null;
      },
      "the refused poll",
      30_000,
    );
    expect(row.lastPollError).toMatch(/user ID or password|authentication/i);
    expect(row.lastPollError).not.toContain("an-old-password");
  });

  it("shows the last poll, what it fetched and the last error on the vendor page", async () => {
    const session = await HttpSession.signIn(p.app.url, org.email, PASSWORD);
    // React marks text boundaries with empty comments; read the page as a person would.
    const html = (await (await session.request(`/${org.slug}/vendors/${org.accountId}`)).text()).replace(/<!-- -->/g, "");
    expect(html).toContain("Every 15 seconds for replies and delivery reports");
    expect(html).toContain("Last poll");
    expect(html).toMatch(/\d+ (reply|replies) and \d+ delivery reports? fetched/);
    expect(html).toContain("Last poll error");
  });
});

function confirmRequests() {
  return p.sim.control.requests({ vendor: "messagemedia-soap" }).filter((r) => r.body.includes("confirmReplies"));
}

/** Replies from this phone the simulator still holds unconfirmed. */
function stillHeld(from: string): number {
  return p.sim.control
    .polled({ vendor: "messagemedia-soap" })
    .filter((item) => item.kind === "reply" && JSON.stringify(item.data).includes(from)).length;
}
