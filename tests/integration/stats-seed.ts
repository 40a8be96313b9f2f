import { db } from "@/db";
import { campaignContacts } from "@/db/schema/campaign-contacts";
import { campaigns } from "@/db/schema/campaigns";
import { contacts } from "@/db/schema/contacts";
import { conversations } from "@/db/schema/conversations";
import { messages } from "@/db/schema/messages";
import { phoneNumbers } from "@/db/schema/phone-numbers";
import { vendorAccounts } from "@/db/schema/vendor-accounts";

/** stats.test.ts's data: messages at known offsets from one instant, so every aggregate is exact. */
type NewMessage = typeof messages.$inferInsert;

export const NOW = new Date();
export const ago = (hours: number) => new Date(NOW.getTime() - hours * 3_600_000);
export const NUM = { main: "+12125550101", backup: "+12125550102", quiet: "+12125550103", bravo: "+13125550199" };

function many(n: number, base: NewMessage, vary: (i: number) => Partial<NewMessage> = () => ({})): NewMessage[] {
  return Array.from({ length: n }, (_, i) => ({ ...base, ...vary(i) }));
}

async function seedAccounts(orgId: string, names: [string, string][]) {
  return db
    .insert(vendorAccounts)
    .values(names.map(([name, kind]) => ({ orgId, name, kind, webhookToken: `${name}-${orgId}`.replace(/\W/g, "") })))
    .returning({ id: vendorAccounts.id });
}

/** 225 messages of plain traffic plus a 10-contact campaign; the expected numbers above follow from it. */
export async function seedAlpha(orgId: string): Promise<string> {
  const [twilio, bandwidth] = await seedAccounts(orgId, [
    ["Twilio Main", "twilio"],
    ["Bandwidth Backup", "bandwidth"],
  ]);
  await db.insert(phoneNumbers).values([
    { orgId, vendorAccountId: twilio!.id, e164: NUM.main },
    { orgId, vendorAccountId: bandwidth!.id, e164: NUM.backup },
    { orgId, vendorAccountId: twilio!.id, e164: NUM.quiet },
  ]);
  const out = (account: string, from: string, at: Date): NewMessage => ({
    orgId,
    direction: "OUTBOUND",
    body: "hi",
    fromE164: from,
    toE164: "+14155550000",
    vendorAccountId: account,
    status: "DELIVERED",
    createdAt: at,
    sentAt: at,
  });
  const inbound = (to: string, at: Date): NewMessage => ({
    orgId,
    direction: "INBOUND",
    body: "hey",
    fromE164: "+14155550000",
    toE164: to,
    status: "RECEIVED",
    createdAt: at,
  });
  await db.insert(messages).values([
    ...many(100, out(twilio!.id, NUM.main, ago(2)), (i) =>
      i < 80
        ? {}
        : i < 90
          ? failed("30007", "Carrier violation")
          : i < 95
            ? failed("30003", "Unreachable handset")
            : { status: "SENT" },
    ),
    ...many(50, out(bandwidth!.id, NUM.backup, ago(72)), (i) => (i < 40 ? {} : failed("4720", "Invalid destination"))),
    ...many(30, inbound(NUM.main, ago(2))),
    ...many(20, inbound(NUM.quiet, ago(240))),
    // Outside every range: 40 days old.
    ...many(25, out(twilio!.id, NUM.quiet, ago(960)), () => failed("30007", "Carrier violation")),
  ]);
  return seedCampaign(orgId, twilio!.id);
}

/**
 * Ten contacts, eight sent 5 hours ago: 4 delivered, 3 failed, 1 still SENT. Contact 0 replies
 * twice, contact 1 once and opts out; contact 2 wrote before the send (not a reply); contact 3
 * opted out after the send, contact 4 long before it (not counted).
 */
async function seedCampaign(orgId: string, accountId: string): Promise<string> {
  const [campaign] = await db.insert(campaigns).values({ orgId, title: "Spring drive", status: "RUNNING" }).returning();
  const people = await db
    .insert(contacts)
    .values(
      Array.from({ length: 10 }, (_, i) => ({
        orgId,
        e164: `+1415555010${i}`,
        optedOutAt: i === 3 ? ago(1) : i === 4 ? ago(240) : null,
      })),
    )
    .returning();
  const threads = await db
    .insert(conversations)
    .values(people.slice(0, 8).map((p) => ({ orgId, contactId: p.id, ourE164: NUM.main, campaignId: campaign!.id })))
    .returning();
  const sendStatus = (i: number): Partial<NewMessage> =>
    i < 4
      ? { status: "DELIVERED" }
      : i < 6
        ? failed("30007", "Carrier violation")
        : i < 7
          ? failed("30003", "Unreachable handset")
          : { status: "SENT" };
  const sends = await db
    .insert(messages)
    .values(
      threads.map((t, i) => ({
        orgId,
        conversationId: t.id,
        direction: "OUTBOUND" as const,
        body: "Vote!",
        fromE164: NUM.main,
        toE164: people[i]!.e164,
        vendorAccountId: accountId,
        status: "DELIVERED" as const,
        createdAt: ago(5),
        sentAt: ago(5),
        ...sendStatus(i),
      })),
    )
    .returning({ id: messages.id });
  const reply = (i: number, at: Date): NewMessage => ({
    orgId,
    conversationId: threads[i]!.id,
    direction: "INBOUND",
    body: "ok",
    fromE164: people[i]!.e164,
    toE164: NUM.main,
    status: "RECEIVED",
    createdAt: at,
  });
  await db.insert(messages).values([reply(0, ago(4)), reply(0, ago(3)), reply(1, ago(3)), reply(2, ago(6))]);
  await db.insert(campaignContacts).values(
    people.map((p, i) => ({
      orgId,
      campaignId: campaign!.id,
      contactId: p.id,
      messageId: sends[i]?.id ?? null,
      status:
        i === 1 ? ("OPTED_OUT" as const) : i === 0 ? ("REPLIED" as const) : i < 8 ? ("SENT" as const) : ("PENDING" as const),
    })),
  );
  return campaign!.id;
}

/** Org B: 40 failed sends from its own number and account, all in a campaign, with a telltale error text. */
export async function seedBravo(orgId: string): Promise<string> {
  const [account] = await seedAccounts(orgId, [["Bravo Vendor", "twilio"]]);
  const [campaign] = await db.insert(campaigns).values({ orgId, title: "Bravo drive" }).returning();
  const people = await db
    .insert(contacts)
    .values(Array.from({ length: 40 }, (_, i) => ({ orgId, e164: `+1312555${String(1000 + i)}` })))
    .returning();
  const sends = await db
    .insert(messages)
    .values(
      people.map((p) => ({
        orgId,
        direction: "OUTBOUND" as const,
        body: "b",
        fromE164: NUM.bravo,
        toE164: p.e164,
        vendorAccountId: account!.id,
        createdAt: ago(2),
        ...failed("666", "Bravo secret error"),
      })),
    )
    .returning({ id: messages.id });
  await db.insert(campaignContacts).values(
    people.map((p, i) => ({
      orgId,
      campaignId: campaign!.id,
      contactId: p.id,
      messageId: sends[i]!.id,
      status: "SENT" as const,
    })),
  );
  return campaign!.id;
}

function failed(errorCode: string, errorDescription: string) {
  return { status: "FAILED" as const, errorCode, errorDescription };
}
