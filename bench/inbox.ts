// Figure d: inbox latency (first page and a deep page, admin and texter) at a million messages across ten orgs.
import { and, eq, sql } from "drizzle-orm";
import { db } from "@/db";
import { conversations } from "@/db/schema/conversations";
import { orgs } from "@/db/schema/orgs";
import { parseInboxQuery } from "@/components/conversations/inbox-query";
import { createOrg, createUser } from "@/lib/accounts";
import { loadInboxPage } from "@/lib/conversations";
import { addMemberByEmail } from "@/lib/members";
import type { OrgContext } from "@/lib/tenancy";
import { HttpSession } from "../tests/helpers/http-session";
import { QUICK, percentile, seconds, type Row } from "./harness";

export const INBOX_SIZES = QUICK
  ? { orgs: 10, conversations: 10_000, messagesPerConversation: 10 }
  : { orgs: 10, conversations: 100_000, messagesPerConversation: 10 };
const PASSWORD = "correct-horse-42";
/** One in this many of the measured org's conversations is assigned to its texter. */
const TEXTER_SHARE = 10;
const SAMPLES = QUICK ? 60 : 200;

type Viewer = { label: "admin" | "texter"; ctx: OrgContext; email: string };

/**
 * Ten orgs, each with its share of contacts, one conversation per contact and ten messages
 * per conversation spread over the last 30 days, written by set-based SQL (the figure is the
 * reading, not the writing). The first org's owner is the admin viewer; one in ten of its
 * conversations is assigned to a texter. The caller settles the database (vacuum, analyze,
 * checkpoint) before measuring, as a database would be, not while autovacuum works through a
 * million fresh rows.
 */
export async function seedInbox(): Promise<{ viewers: Viewer[]; slug: string; tookSeconds: number }> {
  const started = performance.now();
  const perOrg = INBOX_SIZES.conversations / INBOX_SIZES.orgs;
  const owner = await createUser({ name: "Inbox Owner", email: "inbox-owner@example.test", password: PASSWORD });
  const texter = await createUser({ name: "Inbox Texter", email: "inbox-texter@example.test", password: PASSWORD });
  const created = [];
  for (let o = 0; o < INBOX_SIZES.orgs; o++) created.push(await createOrg({ name: `Inbox Org ${o}`, ownerUserId: owner.id }));
  const measured = created[0]!;
  await addMemberByEmail(measured.id, texter.email, "TEXTER", "bench");
  for (const [o, org] of created.entries()) {
    await db.execute(sql`
      insert into contacts (org_id, e164, first_name, last_name)
      select ${org.id}::uuid, '+1303' || lpad((${o * perOrg} + i)::text, 7, '0'), 'First' || i, 'Last' || i
      from generate_series(1, ${perOrg}) i`);
    await db.execute(sql`
      insert into conversations (org_id, contact_id, our_e164, last_message_at, last_direction, unread, assigned_user_id)
      select org_id, id, '+14155550100', now() - random() * interval '30 days',
        case when random() < 0.5 then 'INBOUND' else 'OUTBOUND' end, random() < 0.2,
        case when ${o} = 0 and row_number() over (order by id) % ${TEXTER_SHARE} = 0 then ${texter.id}::uuid end
      from contacts where org_id = ${org.id}`);
  }
  await db.execute(sql`
    insert into messages (org_id, conversation_id, direction, body, from_e164, to_e164, status, created_at)
    select c.org_id, c.id,
      case when k % 2 = 0 then 'INBOUND'::message_direction else 'OUTBOUND'::message_direction end,
      'Can you cover the 9am shift on Saturday? Reply YES or NO (' || k || ')',
      case when k % 2 = 0 then ct.e164 else c.our_e164 end,
      case when k % 2 = 0 then c.our_e164 else ct.e164 end,
      case when k % 2 = 0 then 'RECEIVED'::message_status else 'DELIVERED'::message_status end,
      c.last_message_at - k * interval '37 minutes'
    from conversations c join contacts ct on ct.id = c.contact_id, generate_series(0, ${INBOX_SIZES.messagesPerConversation - 1}) k
    where c.org_id in (select id from orgs where name like 'Inbox Org %')`);
  const [org] = await db.select().from(orgs).where(eq(orgs.id, measured.id));
  const ctxFor = (user: typeof owner, role: OrgContext["role"]): OrgContext => ({
    user: { id: user.id, name: user.name, email: user.email },
    org: { id: org!.id, slug: org!.slug, name: org!.name, features: org!.features },
    role,
  });
  return {
    viewers: [
      { label: "admin", ctx: ctxFor(owner, "OWNER"), email: owner.email },
      { label: "texter", ctx: ctxFor(texter, "TEXTER"), email: texter.email },
    ],
    slug: org!.slug,
    tookSeconds: seconds(started),
  };
}

/**
 * For each viewer, the first page and a page half-way down their list (by keyset cursor), each
 * requested SAMPLES times in a row over HTTP from the production build with a signed-in
 * session, as the inbox polls it. Ceiling: the same loadInboxPage in this process, without
 * HTTP, Next.js or the session check.
 */
export async function inboxRows(appUrl: string, seeded: Awaited<ReturnType<typeof seedInbox>>): Promise<Row[]> {
  const rows: Row[] = [];
  for (const viewer of seeded.viewers) {
    const session = await HttpSession.signIn(appUrl, viewer.email, PASSWORD);
    const deep = await middleCursor(viewer.ctx);
    for (const [page, before] of [
      ["first page", undefined],
      ["deep page", deep],
    ] as const) {
      const search = before ? `?before=${encodeURIComponent(before)}` : "";
      const overHttp = await sample(async () => {
        const response = await session.request(`/api/orgs/${seeded.slug}/conversations${search}`);
        const body = (await response.json()) as { rows?: unknown[] };
        if (response.status !== 200 || !body.rows?.length) throw new Error(`inbox ${viewer.label} ${page}: ${response.status}`);
      });
      const query = parseInboxQuery(new URLSearchParams(search));
      const inProcess = await sample(async () => void (await loadInboxPage(viewer.ctx, query)));
      rows.push({
        figure: `d. inbox ${viewer.label}, ${page}, p99`,
        unit: "ms",
        value: percentile(overHttp, 99),
        ceiling: percentile(inProcess, 99),
        target: "<50 ms",
        pass: percentile(overHttp, 99) < 50,
        note: `p50 ${percentile(overHttp, 50).toFixed(1)} ms (query alone: p50 ${percentile(inProcess, 50).toFixed(1)} ms)`,
      });
    }
  }
  return rows;
}

/** The cursor of the row half-way down the viewer's inbox: what "next page" would send from there. */
async function middleCursor(ctx: OrgContext): Promise<string> {
  const scope =
    ctx.role === "TEXTER"
      ? and(eq(conversations.orgId, ctx.org.id), eq(conversations.assignedUserId, ctx.user.id))
      : eq(conversations.orgId, ctx.org.id);
  const [{ n }] = (await db
    .select({ n: sql<number>`count(*)::int` })
    .from(conversations)
    .where(scope)) as [{ n: number }];
  const [row] = await db
    .select({ at: sql<string>`${conversations.lastMessageAt}::text`, id: conversations.id })
    .from(conversations)
    .where(scope)
    .orderBy(sql`${conversations.lastMessageAt} desc nulls last`, conversations.id)
    .offset(Math.floor(n / 2))
    .limit(1);
  return Buffer.from(`${row!.at}|${row!.id}`).toString("base64url");
}

/** SAMPLES timings in ms after a few warm-up calls. */
async function sample(call: () => Promise<void>): Promise<number[]> {
  for (let i = 0; i < 5; i++) await call();
  const times: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const started = performance.now();
    await call();
    times.push(performance.now() - started);
  }
  return times;
}
