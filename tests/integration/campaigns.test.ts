import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db";
import { campaignContacts } from "@/db/schema/campaign-contacts";
import { campaigns } from "@/db/schema/campaigns";
import { contacts } from "@/db/schema/contacts";
import { orgs } from "@/db/schema/orgs";
import { fanOutCampaign } from "@/lib/campaigns/fanout";
import { nextWindowOpening } from "@/lib/campaigns/window";
import { addNumber } from "@/lib/numbers";
import { saveVendorAccount } from "@/lib/vendors/accounts";
import { startApp, type RunningApp } from "../helpers/app";
import { memberOf, ownerWithOrg, PASSWORD } from "../helpers/fixtures";
import { HttpSession } from "../helpers/http-session";

/**
 * Campaigns over HTTP against the production build: creating with bad input (each refusal
 * names its field, nothing is sent), contacts by filter and by CSV, start with skipped counts,
 * the sending window and pause/resume of the send-to-all fan-out. No worker runs here: the
 * fan-out is run in-process with a fixed clock, so the window needs no waiting.
 */
type Failure = { ok: false; status: number; error: string; fieldErrors?: Record<string, string> };
type Result<T> = { ok: true; data: T } | Failure;

let app: RunningApp;
let owner: Awaited<ReturnType<typeof ownerWithOrg>>;
let session: HttpSession;
let accountId: string;
let emptyAccountId: string;
const TZ = "America/Chicago";

beforeAll(async () => {
  app = await startApp();
  owner = await ownerWithOrg("Campaigns");
  session = await HttpSession.signIn(app.url, owner.user.email, PASSWORD);
  const actor = { userId: owner.user.id, label: "test" };
  await db
    .update(orgs)
    .set({ features: { timeZone: TZ } })
    .where(eq(orgs.id, owner.org.id));
  accountId = (await saveVendorAccount(owner.org.id, actor, { kind: "fake", name: "Fake", values: { deliveryDelayMs: 60_000 } }))
    .id;
  emptyAccountId = (await saveVendorAccount(owner.org.id, actor, { kind: "fake", name: "Empty", values: { deliveryDelayMs: 0 } }))
    .id;
  await addNumber(owner.org.id, actor, { vendorAccountId: accountId, e164: "+13125550100" });
  const base = { orgId: owner.org.id };
  await db
    .insert(contacts)
    .values([
      ...Array.from({ length: 25 }, (_, i) => ({
        ...base,
        e164: `+1312555${String(2000 + i)}`,
        firstName: `Vol${i}`,
        customFields: { zone: "North" },
      })),
      { ...base, e164: "+13125559001", firstName: "Gone", optedOutAt: new Date() },
      { ...base, e164: "+13125559002", firstName: "Desk", statusCode: -1 },
    ]);
});

afterAll(async () => {
  await app?.stop();
});

describe("creating a campaign", () => {
  it("names the field at fault and creates nothing", async () => {
    const unknown = await act("createCampaignAction", draft({ script: "Hi {firstName}, your {shiftTime}" }));
    expect(unknown).toMatchObject({ ok: false, status: 422 });
    expect(fail(unknown).fieldErrors?.script).toContain("{shiftTime}");

    const noSender = await act("createCampaignAction", draft({ vendorAccountId: "" }));
    expect(fail(noSender).fieldErrors?.vendorAccountId).toMatch(/vendor account/);
    const noNumbers = await act("createCampaignAction", draft({ vendorAccountId: emptyAccountId }));
    expect(fail(noNumbers).fieldErrors?.sender).toMatch(/no numbers to send from/);
    const halfWindow = await act("createCampaignAction", draft({ startHour: "9" }));
    expect(fail(halfWindow).fieldErrors?.endHour).toMatch(/both ends/);
    const noTitle = await act("createCampaignAction", draft({ title: " " }));
    expect(fail(noTitle).fieldErrors?.title).toBeTruthy();

    const [count] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(campaigns)
      .where(eq(campaigns.orgId, owner.org.id));
    expect(count!.n).toBe(0);
  });

  it("accepts a custom field of the org's contacts, and a messaging service on an account without numbers", async () => {
    expect(await act("createCampaignAction", draft({ script: "Hi {firstName} in {zone}" }))).toMatchObject({ ok: true });
    expect(
      await act("createCampaignAction", draft({ vendorAccountId: emptyAccountId, messagingServiceId: "MG123" })),
    ).toMatchObject({ ok: true });
  });

  it("refuses to start an empty campaign, and sends nothing", async () => {
    const id = await create(draft());
    const started = await act("startCampaignAction", { campaignId: id });
    expect(started).toMatchObject({ ok: false, status: 422 });
    expect(fail(started).fieldErrors?.contacts).toMatch(/Add contacts/);
    expect(await statusOf(id)).toBe("DRAFT");
    expect(await messageCount()).toBe(0);
  });
});

describe("contacts of a campaign", () => {
  it("refuses a CSV without a phone column, and reports bad rows by line", async () => {
    const id = await create(draft());
    const noPhone = await act("uploadCampaignContactsAction", { campaignId: id, csv: "name,shift\nAna,9am\nBo,10am\n" });
    expect(fail(noPhone).fieldErrors?.csv).toMatch(/phone/i);

    const csv = "phone,first name,Shift\n+13125553001,Ana,9am\nnot-a-number,Bo,10am\n+13125553002,Cy,11am\n";
    const uploaded = await act<{ added: number; bad: { line: number; reason: string }[]; fields: string[] }>(
      "uploadCampaignContactsAction",
      {
        campaignId: id,
        csv,
      },
    );
    expect(uploaded).toMatchObject({ ok: true, data: { added: 2, fields: ["Shift"] } });
    expect(ok(uploaded).bad).toEqual([expect.objectContaining({ line: 3, reason: expect.stringMatching(/^phone:/) })]);

    // The CSV's column is now a field the script may use; its value comes from the file.
    expect(
      await act("updateCampaignAction", { ...draft({ script: "Hi {firstName}, shift at {Shift}" }), campaignId: id }),
    ).toMatchObject({ ok: true });
    expect(await act("startCampaignAction", { campaignId: id })).toMatchObject({ ok: true, data: { textable: 2 } });
    expect(await fanOutCampaign(id, { now: () => insideWindow() })).toEqual({ state: "done", queued: 2 });
    const bodies = await db.execute<{ body: string }>(
      sql`select body from messages where org_id = ${owner.org.id} and body like 'Hi Ana%'`,
    );
    expect(bodies.map((r) => r.body)).toEqual(["Hi Ana, shift at 9am"]);
  });

  it("skips opted-out and untextable contacts at start, and counts them", async () => {
    const id = await create(draft({ script: "Hello {firstName}" }));
    expect(await act("addCampaignContactsAction", { campaignId: id, filter: "all", q: "" })).toMatchObject({
      ok: true,
      data: { added: 27 + 2 },
    });
    const started = await act<{ textable: number; skipped: Record<string, number> }>("startCampaignAction", { campaignId: id });
    expect(started).toEqual({ ok: true, data: { textable: 27, skipped: { opted_out: 1, landline: 1 } } });
    const progress = await progressOf(id);
    expect(progress).toMatchObject({
      status: "RUNNING",
      total: 29,
      pending: 27,
      skipped: 2,
      skippedBy: { opted_out: 1, landline: 1 },
    });
    expect(await act("startCampaignAction", { campaignId: id })).toMatchObject({ ok: false, status: 409 });
  });
});

describe("send to all", () => {
  it("waits for the sending window, queues in batches, and honours pause and resume", async () => {
    // A window that is closed "now" (the test's clock): 2 am in the org's zone, window 9 to 17.
    const closed = new Date("2030-01-15T08:00:00Z");
    const opening = nextWindowOpening({ startHour: 9, endHour: 17 }, TZ, closed)!;
    expect(opening.toISOString()).toBe("2030-01-15T15:00:00.000Z");
    const id = await create(draft({ startHour: "9", endHour: "17" }));
    await act("addCampaignContactsAction", { campaignId: id, filter: "textable", q: "Vol" });
    expect(await act("startCampaignAction", { campaignId: id })).toMatchObject({ ok: true, data: { textable: 25 } });

    expect(await fanOutCampaign(id, { now: () => closed })).toEqual({ state: "waiting", queued: 0, until: opening });
    expect(await progressOf(id)).toMatchObject({ pending: 25, queued: 0 });

    // At the opening: one batch of 10, then the clock says the window closed again.
    let calls = 0;
    const clock = () => (calls++ === 0 ? opening : new Date("2030-01-16T02:00:00Z"));
    expect(await fanOutCampaign(id, { now: clock, batchSize: 10 })).toMatchObject({ state: "waiting", queued: 10 });

    expect(await act("pauseCampaignAction", { campaignId: id })).toMatchObject({ ok: true });
    expect(await fanOutCampaign(id, { now: () => opening, batchSize: 10 })).toMatchObject({ state: "stopped", queued: 0 });
    expect(await progressOf(id)).toMatchObject({ status: "PAUSED", pending: 15, queued: 10 });
    expect(await act("pauseCampaignAction", { campaignId: id })).toMatchObject({ ok: false, status: 409 });

    expect(await act("resumeCampaignAction", { campaignId: id })).toMatchObject({ ok: true });
    expect(await fanOutCampaign(id, { now: () => opening, batchSize: 10 })).toEqual({ state: "done", queued: 15 });
    expect(await progressOf(id)).toMatchObject({ status: "COMPLETED", pending: 0, queued: 25, total: 25 });
    // Run again: nothing new.
    await db.update(campaigns).set({ status: "RUNNING" }).where(eq(campaigns.id, id));
    expect(await fanOutCampaign(id, { now: () => opening })).toEqual({ state: "done", queued: 0 });
    const [keys] = await db.execute<{ n: number; d: number }>(
      sql`select count(*)::int as n, count(distinct to_e164)::int as d from messages where idempotency_key like ${`campaign:${id}:%`}`,
    );
    expect(keys).toEqual({ n: 25, d: 25 });
    expect(await statusOf(id)).toBe("COMPLETED");
    // A running campaign must be paused before it is archived.
    await db.update(campaigns).set({ status: "RUNNING" }).where(eq(campaigns.id, id));
    expect(await act("archiveCampaignAction", { campaignId: id })).toMatchObject({ ok: false, status: 409 });
    await db.update(campaigns).set({ status: "COMPLETED" }).where(eq(campaigns.id, id));
    expect(await act("archiveCampaignAction", { campaignId: id })).toMatchObject({ ok: true });
  });

  it("a second campaign to the same people writes in their threads, and the latest campaign owns them", async () => {
    const threadsOfVols = () =>
      db.execute<{ contact_id: string; id: string; campaign_id: string; unread: boolean; last_direction: string }>(sql`
        select cv.contact_id, cv.id, cv.campaign_id, cv.unread, cv.last_direction from conversations cv
        join contacts c on c.id = cv.contact_id
        where cv.org_id = ${owner.org.id} and c.first_name like 'Vol%' order by cv.contact_id`);
    const sendTo = async (title: string) => {
      const id = await create(draft({ title }));
      await act("addCampaignContactsAction", { campaignId: id, filter: "textable", q: "Vol" });
      expect(await act("startCampaignAction", { campaignId: id })).toMatchObject({ ok: true, data: { textable: 25 } });
      expect(await fanOutCampaign(id, { now: () => insideWindow() })).toEqual({ state: "done", queued: 25 });
      return id;
    };
    const first = await sendTo("First notice");
    const before = await threadsOfVols();
    expect(before).toHaveLength(25);
    expect(new Set(before.map((t) => t.campaign_id))).toEqual(new Set([first]));
    // A reply arrived in one of them meanwhile: the campaign's message answers it.
    await db.execute(sql`update conversations set unread = true, last_direction = 'INBOUND' where id = ${before[0]!.id}`);

    const second = await sendTo("Second notice");
    const after = await threadsOfVols();
    expect(after.map((t) => [t.contact_id, t.id])).toEqual(before.map((t) => [t.contact_id, t.id]));
    expect(after.every((t) => t.campaign_id === second && !t.unread && t.last_direction === "OUTBOUND")).toBe(true);
    const [perThread] = await db.execute<{ threads: number; both: number }>(sql`
      select count(distinct conversation_id)::int as threads,
        count(distinct conversation_id) filter (where conversation_id in
          (select conversation_id from messages where idempotency_key like ${`campaign:${first}:%`}))::int as both
      from messages where idempotency_key like ${`campaign:${second}:%`}`);
    expect(perThread).toEqual({ threads: 25, both: 25 });
  });

  it("refuses edits and new contacts while running", async () => {
    const id = await create(draft({ script: "Hey {firstName}" }));
    await act("addCampaignContactsAction", { campaignId: id, filter: "textable" });
    await act("startCampaignAction", { campaignId: id });
    expect(await act("addCampaignContactsAction", { campaignId: id, filter: "all" })).toMatchObject({ ok: false, status: 409 });
    expect(await act("updateCampaignAction", { ...draft(), campaignId: id })).toMatchObject({ ok: false, status: 409 });
    const rows = await db
      .select()
      .from(campaignContacts)
      .where(and(eq(campaignContacts.campaignId, id), eq(campaignContacts.status, "PENDING")));
    expect(rows.length).toBeGreaterThan(0);
  });
});

describe("pages", () => {
  it("lists campaigns, shows the new and detail pages to admins, and 404s them for texters", async () => {
    const id = await create(draft({ title: "Page check" }));
    const list = await session.request(`/${owner.org.slug}/campaigns`);
    expect(list.status).toBe(200);
    expect(await list.text()).toContain("Page check");
    expect((await session.request(`/${owner.org.slug}/campaigns/new`)).status).toBe(200);
    const detail = await session.request(`/${owner.org.slug}/campaigns/${id}`);
    expect(detail.status).toBe(200);
    const html = await detail.text();
    expect(html).toContain("Progress");
    expect(html).toContain("Hi Alex");
    expect((await session.request(`/${owner.org.slug}/campaigns/00000000-0000-4000-8000-000000000000`)).status).toBe(404);

    const texter = await memberOf(owner.org.id, "Camp", "TEXTER");
    const texterSession = await HttpSession.signIn(app.url, texter.user.email, PASSWORD);
    expect((await texterSession.request(`/${owner.org.slug}/campaigns`)).status).toBe(200);
    expect((await texterSession.request(`/${owner.org.slug}/campaigns/new`)).status).toBe(404);
    expect((await texterSession.request(`/${owner.org.slug}/campaigns/${id}`)).status).toBe(404);
    expect((await texterSession.request(`/api/orgs/${owner.org.slug}/campaigns/${id}/progress`)).status).toBe(404);
    const { result } = await texterSession.callAction<Failure>(
      "lib/actions/campaigns.ts#startCampaignAction",
      [owner.org.slug, null, { campaignId: id }],
      `/${owner.org.slug}/campaigns`,
    );
    expect(result).toMatchObject({ ok: false, status: 403 });
  });
});

function draft(overrides: Record<string, unknown> = {}) {
  return {
    title: "Shift reminders",
    description: "",
    script: "Hi {firstName}",
    mode: "SEND_TO_ALL",
    vendorAccountId: accountId,
    ...overrides,
  };
}

async function create(input: Record<string, unknown>): Promise<string> {
  return ok(await act<{ id: string }>("createCampaignAction", input)).id;
}

async function act<T = unknown>(name: string, input: Record<string, unknown>): Promise<Result<T>> {
  const { result } = await session.callAction<Result<T>>(
    `lib/actions/campaigns.ts#${name}`,
    [owner.org.slug, null, input],
    `/${owner.org.slug}/campaigns`,
  );
  return result;
}

function ok<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result)}`);
  return result.data;
}

function fail<T>(result: Result<T>): Failure {
  if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result)}`);
  return result;
}

async function progressOf(id: string) {
  const response = await session.request(`/api/orgs/${owner.org.slug}/campaigns/${id}/progress`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { progress: Record<string, unknown> }).progress;
}

async function statusOf(id: string) {
  const [row] = await db.select({ status: campaigns.status }).from(campaigns).where(eq(campaigns.id, id));
  return row?.status;
}

async function messageCount(): Promise<number> {
  const [row] = await db.execute<{ n: number }>(sql`select count(*)::int as n from messages where org_id = ${owner.org.id}`);
  return row!.n;
}

/** Midday in the org's zone: inside any window these tests set. */
function insideWindow(): Date {
  return new Date("2030-01-15T18:00:00Z");
}
