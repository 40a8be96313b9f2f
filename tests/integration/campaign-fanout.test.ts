import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db";
import { campaignContacts } from "@/db/schema/campaign-contacts";
import { campaigns } from "@/db/schema/campaigns";
import { startCampaign } from "@/lib/campaigns/campaigns";
import { addContactsByFilter } from "@/lib/campaigns/contacts";
import { fanOutCampaign } from "@/lib/campaigns/fanout";
import { addNumber } from "@/lib/numbers";
import { saveVendorAccount } from "@/lib/vendors/accounts";
import { startWorker, type RunningWorker } from "../helpers/app";
import { createSendToAllCampaign, seedContacts } from "../helpers/campaign-seed";
import { FakeLedger } from "../helpers/fake-ledger";
import { ownerWithOrg } from "../helpers/fixtures";
import { waitFor } from "../helpers/wait";

/**
 * "Send to all" to 100,000 contacts through a real worker process: every contact gets
 * exactly one message (one per idempotency key, one per number), and a second run over the
 * same contacts queues nothing new. Sending all 100,000 through the vendor would take longer
 * than this test may, so the vendor side is checked on what the worker sends meanwhile:
 * the fake vendor's ledger must never see one message twice.
 */
const CONTACTS = 100_000;
const SENT_SAMPLE = 2_000;
const ledger = new FakeLedger();
let worker: RunningWorker | undefined;
let orgId: string;
let campaignId: string;

beforeAll(async () => {
  await ledger.start();
  const { user, org } = await ownerWithOrg("Fanout");
  orgId = org.id;
  const actor = { userId: user.id, label: "test" };
  // No delivery reports during the test (the delay outlasts it): SENT is the vendor's acceptance.
  const account = await saveVendorAccount(org.id, actor, {
    kind: "fake",
    name: "Fake",
    values: { deliveryDelayMs: 60_000, ledgerUrl: ledger.url },
  });
  for (const e164 of ["+12025550100", "+12025550101", "+14155550100"])
    await addNumber(org.id, actor, { vendorAccountId: account.id, e164 });
  await seedContacts(org.id, CONTACTS);
  const campaign = await createSendToAllCampaign(org.id, actor, account.id);
  campaignId = campaign.id;
  expect(await addContactsByFilter(org.id, actor, campaign.id, { filter: "all", defaultCountry: "US" })).toEqual({
    added: CONTACTS,
  });
  expect(await startCampaign(org.id, actor, campaign.id)).toEqual({ textable: CONTACTS, skipped: {} });
}, 180_000);

afterAll(async () => {
  await worker?.stop();
  await ledger.stop();
});

describe("send to all", () => {
  it(`queues ${CONTACTS.toLocaleString("en-US")} contacts exactly once, through a worker`, async () => {
    const started = Date.now();
    worker = await startWorker({ SEND_RATE_LIMITS: "off" });
    const done = await waitFor(
      async () => {
        const [row] = await db.select({ status: campaigns.status }).from(campaigns).where(eq(campaigns.id, campaignId));
        return row?.status === "COMPLETED";
      },
      170_000,
      250,
    );
    const seconds = (Date.now() - started) / 1000;
    console.log(
      `[campaign-fanout] ${CONTACTS} contacts queued in ${seconds.toFixed(1)} s (${Math.round(CONTACTS / seconds)}/s, worker start included)`,
    );
    expect(done, worker.output().slice(-3000)).toBe(true);

    const [counts] = await db.execute<{ messages: number; keys: number; numbers: number; linked: number; queued: number }>(sql`
      select (select count(*)::int from messages where org_id = ${orgId}) as messages,
        (select count(distinct idempotency_key)::int from messages where org_id = ${orgId} and idempotency_key like ${`campaign:${campaignId}:%`}) as keys,
        (select count(distinct to_e164)::int from messages where org_id = ${orgId}) as numbers,
        (select count(distinct message_id)::int from campaign_contacts where campaign_id = ${campaignId}) as linked,
        (select count(*)::int from campaign_contacts where campaign_id = ${campaignId} and status = 'QUEUED') as queued`);
    expect(counts).toEqual({ messages: CONTACTS, keys: CONTACTS, numbers: CONTACTS, linked: CONTACTS, queued: CONTACTS });
  }, 200_000);

  it(`sends a sample of ${SENT_SAMPLE.toLocaleString("en-US")} to the vendor, none twice`, async () => {
    expect(await waitFor(() => ledger.received.length >= SENT_SAMPLE, 90_000, 250)).toBe(true);
    console.log(
      `[campaign-fanout] the vendor had ${ledger.received.length} sends when queueing finished (sending runs alongside the fan-out)`,
    );
    await worker?.stop();
    worker = undefined;
    const refs = ledger.received.map((r) => r.clientRef);
    expect(new Set(refs).size).toBe(refs.length);
    const [sent] = await db.execute<{ n: number }>(
      sql`select count(*)::int as n from messages where org_id = ${orgId} and status = 'SENT'`,
    );
    expect(sent!.n).toBeGreaterThanOrEqual(SENT_SAMPLE);
    expect(sent!.n).toBeLessThanOrEqual(refs.length);
  }, 120_000);

  it("queues nothing twice when run again over contacts it already messaged (a crash before their rows were marked)", async () => {
    // As if a run died after its messages committed but before its contacts were marked: impossible in one transaction, so the worst case.
    await db.execute(sql`update campaign_contacts set status = 'PENDING', message_id = null
      where id in (select id from campaign_contacts where campaign_id = ${campaignId} limit 1500)`);
    await db.update(campaigns).set({ status: "RUNNING" }).where(eq(campaigns.id, campaignId));
    const outcome = await fanOutCampaign(campaignId);
    expect(outcome).toEqual({ state: "done", queued: 0 });
    const [pending] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(campaignContacts)
      .where(and(eq(campaignContacts.campaignId, campaignId), eq(campaignContacts.status, "PENDING")));
    expect(pending!.n).toBe(0);
    const [total] = await db.execute<{ n: number }>(sql`select count(*)::int as n from messages where org_id = ${orgId}`);
    expect(total!.n).toBe(CONTACTS);
    const [linked] = await db
      .select({ n: sql<number>`count(distinct ${campaignContacts.messageId})::int` })
      .from(campaignContacts)
      .where(and(eq(campaignContacts.campaignId, campaignId)));
    expect(linked!.n).toBe(CONTACTS);
  });
});
