import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queueMessage } from "@/lib/messaging/send";
import { db } from "@/db";
import { auditLog } from "@/db/schema/audit-log";
import { campaigns } from "@/db/schema/campaigns";
import { contacts } from "@/db/schema/contacts";
import { conversations } from "@/db/schema/conversations";
import { messages } from "@/db/schema/messages";
import { vendorAccounts, type VendorAccount } from "@/db/schema/vendor-accounts";
import { receiveInbound } from "@/lib/messaging/receive";
import { addNumber } from "@/lib/numbers";
import { saveVendorAccount, setDefaultVendorAccount } from "@/lib/vendors/accounts";
import { startApp, type RunningApp } from "../helpers/app";
import { memberOf, ownerWithOrg, PASSWORD } from "../helpers/fixtures";
import { HttpSession } from "../helpers/http-session";

/**
 * The conversations page over HTTP against the production build: the inbox JSON route and
 * page, keyset pagination, texter scoping on every surface, reassignment, replies and refusals.
 * Inbound texts go through receiveInbound, the code the webhook job runs.
 */
type Row = {
  id: string;
  contact: { name: string; e164: string };
  unread: boolean;
  needsReply: boolean;
  assignedUserId: string | null;
  preview: { body: string } | null;
};
type InboxJson = { rows: Row[]; next: string | null; counts: { unread: number; needsReply: number } };
type ActionResult = { ok: boolean; status?: number; error?: string; data?: Record<string, unknown> };

const ACTIONS = "lib/actions/conversations.ts";
let app: RunningApp;
let org: Awaited<ReturnType<typeof ownerWithOrg>>["org"];
let account: VendorAccount;
let owner: HttpSession;
let texterSession: HttpSession;
let texter: Awaited<ReturnType<typeof memberOf>>;
let supervolunteer: Awaited<ReturnType<typeof memberOf>>;

beforeAll(async () => {
  const made = await ownerWithOrg("Inbox");
  org = made.org;
  const actor = { userId: made.user.id, label: "test" };
  const saved = await saveVendorAccount(org.id, actor, { kind: "fake", name: "Fake", values: { deliveryDelayMs: 50 } });
  await setDefaultVendorAccount(org.id, saved.id, actor);
  await addNumber(org.id, actor, { vendorAccountId: saved.id, e164: "+12125550100" });
  await addNumber(org.id, actor, { vendorAccountId: saved.id, e164: "+14155550100" });
  [account] = (await db.select().from(vendorAccounts).where(eq(vendorAccounts.id, saved.id))) as [VendorAccount];
  texter = await memberOf(org.id, "Inbox", "TEXTER");
  supervolunteer = await memberOf(org.id, "Inbox", "SUPERVOLUNTEER");
  app = await startApp();
  [owner, texterSession] = await Promise.all([
    HttpSession.signIn(app.url, made.user.email, PASSWORD),
    HttpSession.signIn(app.url, texter.user.email, PASSWORD),
  ]);
});

afterAll(async () => {
  await app?.stop();
});

async function inbox(session: HttpSession, search = ""): Promise<InboxJson> {
  const response = await session.request(`/api/orgs/${org.slug}/conversations${search}`);
  expect(response.status, search).toBe(200);
  return (await response.json()) as InboxJson;
}

function action(session: HttpSession, name: string, input: Record<string, unknown>) {
  return session
    .callAction<ActionResult>(`${ACTIONS}#${name}`, [org.slug, null, input], `/${org.slug}/conversations`)
    .then((r) => r.result);
}

async function inbound(from: string, body: string, to = "+12125550100"): Promise<string> {
  await receiveInbound(account, { type: "inbound", from, to, body, media: [], vendorMessageId: `IN-${from}-${Math.random()}` });
  const [row] = await db
    .select({ id: conversations.id })
    .from(conversations)
    .innerJoin(contacts, eq(contacts.id, conversations.contactId))
    .where(and(eq(conversations.orgId, org.id), eq(contacts.e164, from), eq(conversations.ourE164, to)));
  return row!.id;
}

/** A thread straight in the database: the contact, the conversation and its one message. */
async function seed(
  targetOrgId: string,
  input: {
    e164: string;
    name?: string;
    at: Date;
    direction?: "INBOUND" | "OUTBOUND";
    unread?: boolean;
    optedOut?: boolean;
    assignedUserId?: string | null;
    campaignId?: string | null;
    body?: string;
  },
) {
  const [first = "", last = ""] = (input.name ?? "").split(" ");
  const direction = input.direction ?? "INBOUND";
  const [contact] = await db
    .insert(contacts)
    .values({
      orgId: targetOrgId,
      e164: input.e164,
      firstName: first,
      lastName: last,
      optedOutAt: input.optedOut ? new Date() : null,
    })
    .returning();
  const [conversation] = await db
    .insert(conversations)
    .values({
      orgId: targetOrgId,
      contactId: contact!.id,
      ourE164: "+12125550100",
      lastMessageAt: input.at,
      lastDirection: direction,
      unread: input.unread ?? false,
      assignedUserId: input.assignedUserId ?? null,
      campaignId: input.campaignId ?? null,
    })
    .returning();
  await db.insert(messages).values({
    orgId: targetOrgId,
    conversationId: conversation!.id,
    direction,
    body: input.body ?? `hello from ${input.e164}`,
    fromE164: direction === "INBOUND" ? input.e164 : "+12125550100",
    toE164: direction === "INBOUND" ? "+12125550100" : input.e164,
    status: direction === "INBOUND" ? "RECEIVED" : "DELIVERED",
    createdAt: input.at,
  });
  return conversation!.id;
}

describe("the inbox", () => {
  let ids: { ada: string; grace: string; alan: string; nameless: string };
  let campaignId: string;

  beforeAll(async () => {
    const minute = (n: number) => new Date(Date.UTC(2030, 0, 1, 12, n));
    const [campaign] = await db.insert(campaigns).values({ orgId: org.id, title: "Spring canvass" }).returning();
    campaignId = campaign!.id;
    ids = {
      ada: await seed(org.id, {
        e164: "+14155550142",
        name: "Ada Lovelace",
        at: minute(5),
        unread: true,
        body: "Can you call me?",
      }),
      grace: await seed(org.id, {
        e164: "+12125550199",
        name: "Grace Hopper",
        at: minute(4),
        direction: "OUTBOUND",
        assignedUserId: texter.user.id,
        campaignId,
      }),
      alan: await seed(org.id, {
        e164: "+16175550123",
        name: "Alan Turing",
        at: minute(3),
        optedOut: true,
        assignedUserId: texter.user.id,
      }),
      nameless: await seed(org.id, { e164: "+13035550111", at: minute(2), unread: true, campaignId }),
    };
  });

  it("lists threads newest first with previews, counts and flags", async () => {
    const all = await inbox(owner);
    expect(all.rows.map((r) => r.id).slice(0, 4)).toEqual([ids.ada, ids.grace, ids.alan, ids.nameless]);
    expect(all.rows[0]).toMatchObject({
      unread: true,
      needsReply: true,
      contact: { name: "Ada Lovelace", e164: "+14155550142" },
      preview: { body: "Can you call me?" },
    });
    // Alan texted last but opted out: nothing to answer.
    expect(all.counts).toMatchObject({ unread: 2, needsReply: 2 });
    const html = await (await owner.request(`/${org.slug}/conversations`)).text();
    expect(html.indexOf("Ada Lovelace")).toBeGreaterThan(-1);
    expect(html.indexOf("Ada Lovelace")).toBeLessThan(html.indexOf("Grace Hopper"));
    expect(html).toContain("(303) 555-0111"); // no name: the formatted number stands in
  });

  it("filters by tab, texter and campaign, and finds contacts by name or by a number typed any way", async () => {
    const only = async (search: string) => (await inbox(owner, search)).rows.map((r) => r.id);
    expect(await only("?filter=unread")).toEqual([ids.ada, ids.nameless]);
    expect(await only("?filter=needs-reply")).toEqual([ids.ada, ids.nameless]);
    expect(await only("?filter=opted-out")).toEqual([ids.alan]);
    expect(await only(`?texter=${texter.user.id}`)).toEqual([ids.grace, ids.alan]);
    expect(await only("?texter=unassigned")).toEqual([ids.ada, ids.nameless]);
    expect(await only(`?campaign=${campaignId}`)).toEqual([ids.grace, ids.nameless]);
    expect(await only(`?campaign=${campaignId}&filter=unread`)).toEqual([ids.nameless]);
    expect(await only("?q=lovelace")).toEqual([ids.ada]);
    expect(await only("?q=grace%20hop")).toEqual([ids.grace]);
    expect(await only(`?q=${encodeURIComponent("(415) 555-0142")}`)).toEqual([ids.ada]);
    expect(await only(`?q=${encodeURIComponent("+1 617.555.0123")}`)).toEqual([ids.alan]);
    expect(await only("?q=0111")).toEqual([ids.nameless]);
    expect(await only("?q=nobody-by-that-name")).toEqual([]);
    // Nonsense in the URL falls back to the defaults rather than failing.
    expect((await owner.request(`/api/orgs/${org.slug}/conversations?filter=bogus&texter=x&campaign=y&before=%%%`)).status).toBe(
      200,
    );
    const searched = await (await owner.request(`/${org.slug}/conversations?q=lovelace`)).text();
    expect(searched).toContain("Ada Lovelace");
    expect(searched).not.toContain("Grace Hopper");
  });

  it("shows a texter only their own threads, on the page, the routes and the actions", async () => {
    const mine = await inbox(texterSession);
    expect(mine.rows.map((r) => r.id).sort()).toEqual([ids.grace, ids.alan].sort());
    // A texter's texter filter cannot widen what they see.
    expect((await inbox(texterSession, "?texter=unassigned")).rows.map((r) => r.id).sort()).toEqual([ids.grace, ids.alan].sort());
    expect((await inbox(texterSession, "?q=lovelace")).rows).toEqual([]);
    const page = await (await texterSession.request(`/${org.slug}/conversations`)).text();
    expect(page).toContain("Grace Hopper");
    expect(page).not.toContain("Ada Lovelace");

    expect((await texterSession.request(`/${org.slug}/conversations/${ids.grace}`)).status).toBe(200);
    expect((await texterSession.request(`/${org.slug}/conversations/${ids.ada}`)).status).toBe(404);
    expect((await texterSession.request(`/api/orgs/${org.slug}/conversations/${ids.ada}/messages`)).status).toBe(404);
    expect((await texterSession.request(`/api/orgs/${org.slug}/conversations/${ids.grace}/messages`)).status).toBe(200);

    for (const name of ["sendReplyAction", "markReadAction", "optOutContactAction"]) {
      expect(await action(texterSession, name, { conversationId: ids.ada, body: "not yours" }), name).toMatchObject({
        ok: false,
        status: 404,
      });
    }
    expect(await action(texterSession, "reassignConversationAction", { conversationId: ids.grace, userId: "" })).toMatchObject({
      ok: false,
      status: 403,
    });
    expect(await db.select().from(messages).where(eq(messages.conversationId, ids.ada))).toHaveLength(1);
    const [ada] = await db.select().from(conversations).where(eq(conversations.id, ids.ada));
    expect(ada).toMatchObject({ unread: true, assignedUserId: null });
  });

  it("lets admins and supervolunteers reassign, and only to members", async () => {
    const sv = await HttpSession.signIn(app.url, supervolunteer.user.email, PASSWORD);
    expect(await action(sv, "reassignConversationAction", { conversationId: ids.ada, userId: texter.user.id })).toMatchObject({
      ok: true,
    });
    expect((await inbox(texterSession)).rows.map((r) => r.id)).toContain(ids.ada);
    expect((await texterSession.request(`/${org.slug}/conversations/${ids.ada}`)).status).toBe(200);
    const [entry] = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.orgId, org.id), eq(auditLog.action, "conversation.reassign"), eq(auditLog.targetId, ids.ada)));
    expect(entry?.details).toMatchObject({ from: null, to: texter.user.id });

    const stranger = await ownerWithOrg("Stranger");
    expect(
      await action(owner, "reassignConversationAction", { conversationId: ids.ada, userId: stranger.user.id }),
    ).toMatchObject({
      ok: false,
      status: 422,
      fieldErrors: { userId: "Choose a member of this organization" },
    });
    expect(await action(owner, "reassignConversationAction", { conversationId: ids.ada, userId: "" })).toMatchObject({
      ok: true,
    });
    const [ada] = await db.select().from(conversations).where(eq(conversations.id, ids.ada));
    expect(ada!.assignedUserId).toBeNull();
    expect((await texterSession.request(`/${org.slug}/conversations/${ids.ada}`)).status).toBe(404);
  });

  it("marks a thread read", async () => {
    expect(await action(owner, "markReadAction", { conversationId: ids.nameless })).toMatchObject({ ok: true });
    const [row] = await db.select().from(conversations).where(eq(conversations.id, ids.nameless));
    expect(row!.unread).toBe(false);
    expect((await inbox(owner, "?filter=unread")).rows.map((r) => r.id)).not.toContain(ids.nameless);
  });
});

describe("keyset pagination", () => {
  it("walks every page once, without duplicates or gaps, even through equal timestamps", async () => {
    const { user, org: paged } = await ownerWithOrg("Pager");
    const base = Date.UTC(2030, 5, 1);
    const created: string[] = [];
    for (let i = 0; i < 64; i++) {
      // Every fourth pair shares a timestamp, so the id has to break ties.
      const at = new Date(base + Math.floor(i / 2) * 60_000);
      created.push(
        await seed(paged.id, { e164: `+1202555${String(1000 + i)}`, at, direction: i % 3 === 0 ? "OUTBOUND" : "INBOUND" }),
      );
    }
    const session = await HttpSession.signIn(app.url, user.email, PASSWORD);
    const seen: string[] = [];
    let before: string | null = null;
    let pages = 0;
    do {
      const response = await session.request(`/api/orgs/${paged.slug}/conversations${before ? `?before=${before}` : ""}`);
      const body = (await response.json()) as InboxJson;
      seen.push(...body.rows.map((r) => r.id));
      before = body.next;
      pages++;
      expect(pages).toBeLessThan(10);
    } while (before);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.sort()).toEqual([...created].sort());

    // The page's "Older" link carries the same cursor.
    const html = await (await session.request(`/${paged.slug}/conversations`)).text();
    const older = /href="([^"]*\?before=[^"]+)"/.exec(html)?.[1]?.replace(/&amp;/g, "&");
    expect(older).toBeDefined();
    const second = await (await session.request(older!)).text();
    expect(second).toContain("Newest");
  });
});

describe("replies", () => {
  it("go from the conversation's number, not the contact's local one", async () => {
    // The contact is in 415, where the org also has a number; the thread is on the 212 number.
    const conversationId = await inbound("+14155550161", "Is the meeting still on?");
    const result = await action(owner, "sendReplyAction", { conversationId, body: "Yes, 7pm", idempotencyKey: "draft-0001" });
    expect(result).toMatchObject({
      ok: true,
      data: { fromE164: "+12125550100", toE164: "+14155550161", status: "QUEUED", segments: 1, encoding: "GSM7" },
    });
    const again = await action(owner, "sendReplyAction", { conversationId, body: "Yes, 7pm", idempotencyKey: "draft-0001" });
    expect(again.data?.id).toBe(result.data?.id);
    const sent = await db
      .select()
      .from(messages)
      .where(and(eq(messages.conversationId, conversationId), eq(messages.direction, "OUTBOUND")));
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ fromE164: "+12125550100", body: "Yes, 7pm" });
    const [conversation] = await db.select().from(conversations).where(eq(conversations.id, conversationId));
    expect(conversation).toMatchObject({ lastDirection: "OUTBOUND", unread: false });
  });

  it("to an opted-out contact are refused with the reason, and the composer says why", async () => {
    const conversationId = await inbound("+14155550162", "STOP");
    const result = await action(owner, "sendReplyAction", { conversationId, body: "Are you sure?" });
    expect(result).toMatchObject({ ok: false, status: 409 });
    expect(result.error).toBe("Not sent. This contact has opted out of messages (they texted STOP).");
    const outbound = await db
      .select()
      .from(messages)
      .where(and(eq(messages.conversationId, conversationId), eq(messages.direction, "OUTBOUND")));
    expect(outbound.filter((m) => m.body === "Are you sure?")).toHaveLength(0);
    const html = await (await owner.request(`/${org.slug}/conversations/${conversationId}`)).text();
    expect(html).toContain("This contact has opted out of messages (they texted STOP).");
    expect(html).toMatch(/<textarea[^>]*disabled/);
  });

  it("flag a text to a number the org does not have, and a reply there says where it went", async () => {
    const conversationId = await inbound("+14155550165", "Wrong number?", "+16465550100");
    const row = (await inbox(owner)).rows.find((r) => r.id === conversationId) as Row & { flags: { unknownNumber: boolean } };
    expect(row.flags.unknownNumber).toBe(true);
    const html = await (await owner.request(`/${org.slug}/conversations/${conversationId}`)).text();
    expect(html).toContain("a number this organization does not have");
    const result = await action(owner, "sendReplyAction", { conversationId, body: "Sorry, who is this?" });
    // No number of ours to answer from in this thread: the local number answers, in its own thread.
    expect(result).toMatchObject({ ok: true, data: { fromE164: "+14155550100" } });
    expect(result.data?.movedToConversationId).toEqual(expect.any(String));
    expect(result.data?.movedToConversationId).not.toBe(conversationId);
  });

  it("with an empty body name the field", async () => {
    const conversationId = await inbound("+14155550163", "hello?");
    expect(await action(owner, "sendReplyAction", { conversationId, body: "   " })).toMatchObject({
      ok: false,
      status: 422,
      fieldErrors: { body: "Write a message" },
    });
  });
});

describe("untrusted text", () => {
  it("renders an inbound body with markup as inert text, in the thread and the inbox", async () => {
    const body = "<script>alert(1)</script><b>hi</b>";
    const conversationId = await inbound("+14155550164", body);
    for (const path of [`/${org.slug}/conversations/${conversationId}`, `/${org.slug}/conversations`]) {
      const html = await (await owner.request(path)).text();
      expect(html, path).not.toContain("<script>alert(1)");
      expect(html, path).not.toContain("<b>hi</b>");
      expect(html, path).toContain("&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;hi&lt;/b&gt;");
    }
    const json = (await (await owner.request(`/api/orgs/${org.slug}/conversations/${conversationId}/messages`)).json()) as {
      messages: { body: string }[];
    };
    expect(json.messages.at(-1)?.body).toBe(body);
  });
});

describe("one-time passcodes", () => {
  it("shows a passcode message with the code masked, in the thread, the inbox and the JSON", async () => {
    const { message } = await queueMessage(org.id, { to: "+14155550165", body: "Your onetime password is: 482913" });
    for (const path of [`/${org.slug}/conversations/${message.conversationId}`, `/${org.slug}/conversations`]) {
      const html = await (await owner.request(path)).text();
      expect(html, path).not.toContain("482913");
      expect(html, path).toContain("Your onetime password is: ••••••");
    }
    const json = await (await owner.request(`/api/orgs/${org.slug}/conversations/${message.conversationId}/messages`)).text();
    expect(json).not.toContain("482913");
  });
});
