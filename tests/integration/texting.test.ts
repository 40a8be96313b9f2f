import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db";
import { campaignContacts } from "@/db/schema/campaign-contacts";
import { campaigns, type SendingWindow } from "@/db/schema/campaigns";
import { contacts } from "@/db/schema/contacts";
import { conversations } from "@/db/schema/conversations";
import { messages } from "@/db/schema/messages";
import { orgs } from "@/db/schema/orgs";
import { vendorAccounts, type VendorAccount } from "@/db/schema/vendor-accounts";
import { receiveInbound } from "@/lib/messaging/receive";
import { addNumber } from "@/lib/numbers";
import { saveVendorAccount, setDefaultVendorAccount } from "@/lib/vendors/accounts";
import { startApp, type RunningApp } from "../helpers/app";
import { memberOf, ownerWithOrg, PASSWORD } from "../helpers/fixtures";
import { HttpSession } from "../helpers/http-session";

/**
 * The texting workflow over HTTP against the production build: splitting a campaign among
 * texters, reassigning, one click per first message, skips, replies, opt-outs and the refusals.
 * Campaigns and their contacts are inserted directly; inbound texts go through receiveInbound.
 */
type Result = {
  ok: boolean;
  status?: number;
  error?: string;
  fieldErrors?: Record<string, string>;
  data?: Record<string, unknown>;
};

const ACTIONS = "lib/actions/texting.ts";
const OUR_NUMBER = "+12125550100";
let app: RunningApp;
let made: Awaited<ReturnType<typeof ownerWithOrg>>;
let account: VendorAccount;
let admin: HttpSession;
let ann: Awaited<ReturnType<typeof memberOf>>;
let bob: Awaited<ReturnType<typeof memberOf>>;
let cat: Awaited<ReturnType<typeof memberOf>>;
let annSession: HttpSession;
let bobSession: HttpSession;
let phone = 0;

beforeAll(async () => {
  made = await ownerWithOrg("Texting");
  const actor = { userId: made.user.id, label: "test" };
  const saved = await saveVendorAccount(made.org.id, actor, { kind: "fake", name: "Fake", values: { deliveryDelayMs: 50 } });
  await setDefaultVendorAccount(made.org.id, saved.id, actor);
  await addNumber(made.org.id, actor, { vendorAccountId: saved.id, e164: OUR_NUMBER });
  [account] = (await db.select().from(vendorAccounts).where(eq(vendorAccounts.id, saved.id))) as [VendorAccount];
  await db
    .update(orgs)
    .set({ features: { ...made.org.features, optOutConfirmation: "You're unsubscribed. Bye!" } })
    .where(eq(orgs.id, made.org.id));
  [ann, bob, cat] = await Promise.all([
    memberOf(made.org.id, "Ann", "TEXTER"),
    memberOf(made.org.id, "Bob", "TEXTER"),
    memberOf(made.org.id, "Cat", "TEXTER"),
  ]);
  app = await startApp();
  [admin, annSession, bobSession] = await Promise.all([
    HttpSession.signIn(app.url, made.user.email, PASSWORD),
    HttpSession.signIn(app.url, ann.user.email, PASSWORD),
    HttpSession.signIn(app.url, bob.user.email, PASSWORD),
  ]);
});

afterAll(async () => {
  await app?.stop();
});

function act(session: HttpSession, name: string, input: Record<string, unknown>): Promise<Result> {
  return session
    .callAction<Result>(`${ACTIONS}#${name}`, [made.org.slug, null, input], `/${made.org.slug}/campaigns`)
    .then((r) => r.result);
}

/** A running campaign with `n` contacts, straight in the database; `assignTo` gives them all to one texter. */
async function seedCampaign(
  n: number,
  options: { assignTo?: string; status?: "RUNNING" | "PAUSED"; window?: SendingWindow; optedOut?: number[] } = {},
) {
  const [campaign] = await db
    .insert(campaigns)
    .values({
      orgId: made.org.id,
      title: `Canvass ${++phone}`,
      script: "Hi {firstName}, it's {texterName} with the {team} team. Can you volunteer?",
      status: options.status ?? "RUNNING",
      vendorAccountId: account.id,
      sendingWindow: options.window ?? null,
    })
    .returning();
  const people = await db
    .insert(contacts)
    .values(
      Array.from({ length: n }, (_, i) => ({
        orgId: made.org.id,
        e164: `+1415555${String(++phone).padStart(4, "0")}`,
        firstName: `Pat${i}`,
        lastName: "Lee",
        optedOutAt: options.optedOut?.includes(i) ? new Date() : null,
      })),
    )
    .returning();
  const rows = await db
    .insert(campaignContacts)
    .values(
      people.map((p) => ({
        orgId: made.org.id,
        campaignId: campaign!.id,
        contactId: p.id,
        assignedUserId: options.assignTo ?? null,
        fields: { team: "Blue" },
      })),
    )
    .returning();
  // The same order the texter's queue uses, so rows[0] is the first one to send.
  rows.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
  return { campaign: campaign!, rows, people };
}

async function countsByTexter(campaignId: string): Promise<Record<string, number>> {
  const rows = await db
    .select({ userId: campaignContacts.assignedUserId, n: sql<number>`count(*)::int` })
    .from(campaignContacts)
    .where(eq(campaignContacts.campaignId, campaignId))
    .groupBy(campaignContacts.assignedUserId);
  return Object.fromEntries(rows.map((r) => [r.userId ?? "none", r.n]));
}

describe("assigning texters", () => {
  it("splits unassigned contacts evenly, or by the counts given", async () => {
    const { campaign } = await seedCampaign(10);
    const even = await act(admin, "splitContactsAction", {
      campaignId: campaign.id,
      userIds: [ann.user.id, bob.user.id, cat.user.id],
    });
    expect(even).toMatchObject({ ok: true, data: { unassigned: 0 } });
    expect(await countsByTexter(campaign.id)).toEqual({ [ann.user.id]: 4, [bob.user.id]: 3, [cat.user.id]: 3 });

    const other = await seedCampaign(5);
    const split = await act(admin, "splitContactsAction", {
      campaignId: other.campaign.id,
      userIds: [ann.user.id, bob.user.id],
      counts: [2, 1],
    });
    expect(split).toMatchObject({ ok: true, data: { assigned: { [ann.user.id]: 2, [bob.user.id]: 1 }, unassigned: 2 } });
    const tooMany = await act(admin, "splitContactsAction", {
      campaignId: other.campaign.id,
      userIds: [cat.user.id],
      counts: [3],
    });
    expect(tooMany).toMatchObject({ ok: false, status: 422 });
    expect(tooMany.fieldErrors?.counts).toContain("Only 2 unassigned contacts left");
    expect(await countsByTexter(other.campaign.id)).toEqual({ [ann.user.id]: 2, [bob.user.id]: 1, none: 2 });
  });

  it("names the field at fault, and refuses texters and strangers", async () => {
    const { campaign } = await seedCampaign(2);
    expect(await act(admin, "splitContactsAction", { campaignId: campaign.id, userIds: [] })).toMatchObject({
      status: 422,
      fieldErrors: { userIds: "Choose at least one texter" },
    });
    const stranger = await ownerWithOrg("Stranger");
    expect(await act(admin, "splitContactsAction", { campaignId: campaign.id, userIds: [stranger.user.id] })).toMatchObject({
      status: 422,
      fieldErrors: { userIds: "Choose members of this organization" },
    });
    expect(await act(annSession, "splitContactsAction", { campaignId: campaign.id, userIds: [ann.user.id] })).toMatchObject({
      status: 403,
    });
    expect(await countsByTexter(campaign.id)).toEqual({ none: 2 });
  });

  it("reassigns N, then all, of a texter's unsent contacts; sent ones stay", async () => {
    const { campaign, rows } = await seedCampaign(5, { assignTo: ann.user.id });
    expect(await act(annSession, "sendInitialAction", { campaignContactId: rows[0]!.id })).toMatchObject({
      ok: true,
      data: { status: "SENT" },
    });
    expect(
      await act(admin, "reassignContactsAction", {
        campaignId: campaign.id,
        fromUserId: ann.user.id,
        toUserId: bob.user.id,
        count: "2",
      }),
    ).toMatchObject({ ok: true, data: { moved: 2 } });
    expect(await countsByTexter(campaign.id)).toEqual({ [ann.user.id]: 3, [bob.user.id]: 2 });
    expect(
      await act(admin, "reassignContactsAction", {
        campaignId: campaign.id,
        fromUserId: ann.user.id,
        toUserId: cat.user.id,
        count: "",
      }),
    ).toMatchObject({ ok: true, data: { moved: 2 } });
    expect(await countsByTexter(campaign.id)).toEqual({ [ann.user.id]: 1, [bob.user.id]: 2, [cat.user.id]: 2 });
    const [sent] = await db.select().from(campaignContacts).where(eq(campaignContacts.id, rows[0]!.id));
    expect(sent).toMatchObject({ assignedUserId: ann.user.id, status: "SENT" });
    // Back to the pool.
    expect(
      await act(admin, "reassignContactsAction", { campaignId: campaign.id, fromUserId: cat.user.id, toUserId: "" }),
    ).toMatchObject({ ok: true, data: { moved: 2 } });
    expect(await countsByTexter(campaign.id)).toMatchObject({ none: 2 });
  });

  it("shows texters with their counts on the assign page, to admins only", async () => {
    const { campaign } = await seedCampaign(3, { assignTo: bob.user.id });
    const page = await admin.request(`/${made.org.slug}/campaigns/${campaign.id}/assign`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(bob.user.name);
    expect((await annSession.request(`/${made.org.slug}/campaigns/${campaign.id}/assign`)).status).toBe(404);
  });
});

describe("sending first messages", () => {
  it("sends exactly one message for two concurrent clicks, rendered for the contact and the texter", async () => {
    const { campaign, rows, people } = await seedCampaign(2, { assignTo: ann.user.id });
    const contactId = rows[0]!.contactId;
    const results = await Promise.all([0, 1].map(() => act(annSession, "sendInitialAction", { campaignContactId: rows[0]!.id })));
    for (const result of results) expect(result).toMatchObject({ ok: true, data: { status: "SENT" } });
    const sent = await db
      .select()
      .from(messages)
      .where(eq(messages.idempotencyKey, `campaign:${campaign.id}:${contactId}`));
    expect(sent).toHaveLength(1);
    const person = people.find((p) => p.id === contactId)!;
    expect(sent[0]!.body).toBe(`Hi ${person.firstName}, it's ${ann.user.name} with the Blue team. Can you volunteer?`);
    expect(sent[0]!.sentByUserId).toBe(ann.user.id);
    const [cc] = await db.select().from(campaignContacts).where(eq(campaignContacts.id, rows[0]!.id));
    expect(cc).toMatchObject({ status: "SENT", messageId: sent[0]!.id });
    const [thread] = await db.select().from(conversations).where(eq(conversations.id, sent[0]!.conversationId!));
    expect(thread).toMatchObject({ campaignId: campaign.id, assignedUserId: ann.user.id });
    // A third click later changes nothing either.
    expect(await act(annSession, "sendInitialAction", { campaignContactId: rows[0]!.id })).toMatchObject({
      ok: true,
      data: { messageId: sent[0]!.id },
    });
    expect(
      await db
        .select()
        .from(messages)
        .where(eq(messages.idempotencyKey, `campaign:${campaign.id}:${contactId}`)),
    ).toHaveLength(1);
  });

  it("lets a texter act only on their own contacts; admins on any", async () => {
    const { rows } = await seedCampaign(2, { assignTo: ann.user.id });
    expect(await act(bobSession, "sendInitialAction", { campaignContactId: rows[0]!.id })).toMatchObject({
      ok: false,
      status: 404,
    });
    expect(await act(bobSession, "optOutCampaignContactAction", { campaignContactId: rows[0]!.id })).toMatchObject({
      ok: false,
      status: 404,
    });
    const [untouched] = await db.select().from(campaignContacts).where(eq(campaignContacts.id, rows[0]!.id));
    expect(untouched!.status).toBe("PENDING");
    expect(await act(admin, "sendInitialAction", { campaignContactId: rows[1]!.id })).toMatchObject({
      ok: true,
      data: { status: "SENT" },
    });
  });

  it("skips an opted-out contact with the reason and sends nothing", async () => {
    const { campaign, rows, people } = await seedCampaign(1, { assignTo: ann.user.id, optedOut: [0] });
    const result = await act(annSession, "sendInitialAction", { campaignContactId: rows[0]!.id });
    expect(result).toMatchObject({ ok: true, data: { status: "SKIPPED", messageId: null } });
    expect(String(result.data?.skipReason)).toContain("opted out");
    const [cc] = await db.select().from(campaignContacts).where(eq(campaignContacts.id, rows[0]!.id));
    expect(cc).toMatchObject({ status: "SKIPPED", skipReason: "opted_out" });
    expect(
      await db
        .select()
        .from(messages)
        .where(eq(messages.idempotencyKey, `campaign:${campaign.id}:${people[0]!.id}`)),
    ).toHaveLength(0);
  });

  it("refuses outside the sending window and while paused, with the reason", async () => {
    const hour = Number(
      new Intl.DateTimeFormat("en-US", { timeZone: "America/New_York", hour: "numeric", hourCycle: "h23" }).format(new Date()),
    );
    const closed = await seedCampaign(1, {
      assignTo: ann.user.id,
      window: { startHour: (hour + 2) % 24, endHour: (hour + 3) % 24 },
    });
    const outside = await act(annSession, "sendInitialAction", { campaignContactId: closed.rows[0]!.id });
    expect(outside).toMatchObject({ ok: false, status: 409 });
    expect(outside.error).toContain("Outside the sending window");
    const page = await (await annSession.request(`/${made.org.slug}/campaigns/${closed.campaign.id}/texting`)).text();
    expect(page).toContain("Outside the sending window");

    const paused = await seedCampaign(1, { assignTo: ann.user.id, status: "PAUSED" });
    expect(await act(annSession, "sendInitialAction", { campaignContactId: paused.rows[0]!.id })).toMatchObject({
      ok: false,
      status: 409,
      error: expect.stringContaining("paused"),
    });
    const untouched = await db
      .select()
      .from(campaignContacts)
      .where(inArray(campaignContacts.id, [closed.rows[0]!.id, paused.rows[0]!.id]));
    expect(untouched.map((r) => r.status)).toEqual(["PENDING", "PENDING"]);
  });
});

describe("the texter's page", () => {
  it("shows the next message and progress, then a reply that needs a response", async () => {
    const { campaign, rows, people } = await seedCampaign(3, { assignTo: ann.user.id });
    const url = `/${made.org.slug}/campaigns/${campaign.id}/texting`;
    let html = await (await annSession.request(url)).text();
    expect(html).toContain("0 of 3 sent");
    const first = people.find((p) => p.id === rows[0]!.contactId)!;
    expect(html).toContain(`Hi ${first.firstName}, it&#x27;s ${ann.user.name} with the Blue team.`);

    await act(annSession, "sendInitialAction", { campaignContactId: rows[0]!.id });
    await receiveInbound(account, {
      type: "inbound",
      from: first.e164,
      to: OUR_NUMBER,
      body: "Sure, what time?",
      media: [],
      vendorMessageId: `IN-${first.id}`,
    });
    html = await (await annSession.request(url)).text();
    expect(html).toContain("1 of 3 sent");
    expect(html).toContain("Sure, what time?");
    // Bob's page for the same campaign has neither Ann's contacts nor her replies.
    const bobs = await (await bobSession.request(url)).text();
    expect(bobs).not.toContain("Sure, what time?");
    expect(bobs).toContain("No contacts assigned to you");
  });

  it("opts a contact out after queueing the goodbye", async () => {
    const { campaign, rows } = await seedCampaign(2, { assignTo: ann.user.id });
    expect(
      await act(annSession, "optOutCampaignContactAction", { campaignContactId: rows[0]!.id, goodbye: "custom", body: " " }),
    ).toMatchObject({
      status: 422,
      fieldErrors: { body: expect.stringContaining("Write the goodbye") },
    });
    await act(annSession, "sendInitialAction", { campaignContactId: rows[0]!.id });
    const result = await act(annSession, "optOutCampaignContactAction", { campaignContactId: rows[0]!.id, goodbye: "org" });
    expect(result).toMatchObject({ ok: true });
    const [goodbye] = await db
      .select()
      .from(messages)
      .where(eq(messages.id, String(result.data?.goodbyeMessageId)));
    expect(goodbye).toMatchObject({ body: "You're unsubscribed. Bye!", status: "QUEUED", sentByUserId: ann.user.id });
    const [contact] = await db.select().from(contacts).where(eq(contacts.id, rows[0]!.contactId));
    expect(contact!.optedOutAt).not.toBeNull();
    expect(goodbye!.createdAt.getTime()).toBeLessThanOrEqual(contact!.optedOutAt!.getTime());
    const [cc] = await db.select().from(campaignContacts).where(eq(campaignContacts.id, rows[0]!.id));
    expect(cc!.status).toBe("OPTED_OUT");
    // The goodbye is in the campaign's thread, the one the first message started.
    const [first] = await db
      .select()
      .from(messages)
      .where(eq(messages.idempotencyKey, `campaign:${campaign.id}:${rows[0]!.contactId}`));
    expect(goodbye!.conversationId).toBe(first!.conversationId);

    // Without a goodbye, nothing is sent.
    expect(
      await act(annSession, "optOutCampaignContactAction", { campaignContactId: rows[1]!.id, goodbye: "none" }),
    ).toMatchObject({ ok: true, data: { goodbyeMessageId: null } });
    const quiet = await db
      .select()
      .from(messages)
      .innerJoin(conversations, eq(conversations.id, messages.conversationId))
      .where(and(eq(conversations.contactId, rows[1]!.contactId), isNull(messages.vendorMessageId)));
    expect(quiet).toHaveLength(0);
  });

  it("lets admins write canned responses and texters read them", async () => {
    const { campaign } = await seedCampaign(1, { assignTo: ann.user.id });
    const created = await act(admin, "createCannedResponseAction", {
      campaignId: campaign.id,
      title: "Where",
      body: "The library on Main St.",
    });
    expect(created).toMatchObject({ ok: true, data: { title: "Where" } });
    const id = String(created.data?.id);
    expect(await act(annSession, "createCannedResponseAction", { campaignId: campaign.id, title: "x", body: "y" })).toMatchObject(
      { status: 403 },
    );
    expect(await act(admin, "createCannedResponseAction", { campaignId: campaign.id, title: "", body: "y" })).toMatchObject({
      status: 422,
      fieldErrors: { title: "Give it a title" },
    });
    expect(
      await act(admin, "updateCannedResponseAction", {
        cannedResponseId: id,
        title: "Where to go",
        body: "The library on Main St.",
      }),
    ).toMatchObject({ ok: true });
    const html = await (await annSession.request(`/${made.org.slug}/campaigns/${campaign.id}/texting`)).text();
    expect(html).toContain("Where to go");
    expect(await act(admin, "deleteCannedResponseAction", { cannedResponseId: id })).toMatchObject({ ok: true });
    expect(await act(admin, "deleteCannedResponseAction", { cannedResponseId: id })).toMatchObject({ status: 404 });
  });
});
