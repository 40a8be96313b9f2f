import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import { db, type Tx } from "@/db";
import { writeAudit } from "@/db/queries/audit";
import { campaignContacts } from "@/db/schema/campaign-contacts";
import { campaigns, type Campaign } from "@/db/schema/campaigns";
import { memberships } from "@/db/schema/memberships";
import { users } from "@/db/schema/users";
import { ActionError } from "@/lib/action-result";
import type { OrgContext } from "@/lib/tenancy";
import { requireCampaign } from "./campaigns";

/**
 * Who texts whom in a campaign. Only contacts still waiting for their first message (PENDING)
 * move: a contact already texted stays with the texter whose name the contact has seen.
 * Every query filters by ctx.org.id; callers are admins and supervolunteers (see the actions).
 */
export type TexterCount = { userId: string; name: string; role: string; total: number; pending: number; sent: number };
export type AssignmentSummary = {
  campaign: Pick<Campaign, "id" | "title" | "status">;
  unassigned: number;
  texters: TexterCount[];
  members: { userId: string; name: string; role: string }[];
};

/** Counts per texter (everyone with at least one contact), the unassigned pending contacts, and who could take some. */
export async function summarizeAssignments(ctx: OrgContext, campaign: Campaign): Promise<AssignmentSummary> {
  const scope = and(eq(campaignContacts.orgId, ctx.org.id), eq(campaignContacts.campaignId, campaign.id));
  const [rows, [unassigned], members] = await Promise.all([
    db
      .select({
        userId: campaignContacts.assignedUserId,
        name: users.name,
        total: sql<number>`count(*)::int`,
        pending: sql<number>`(count(*) filter (where ${campaignContacts.status} = 'PENDING'))::int`,
        sent: sql<number>`(count(*) filter (where ${campaignContacts.status} in ('SENT', 'REPLIED')))::int`,
      })
      .from(campaignContacts)
      .innerJoin(users, eq(users.id, campaignContacts.assignedUserId))
      .where(scope)
      .groupBy(campaignContacts.assignedUserId, users.name)
      .orderBy(asc(users.name)),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(campaignContacts)
      .where(and(scope, isNull(campaignContacts.assignedUserId), eq(campaignContacts.status, "PENDING"))),
    db
      .select({ userId: users.id, name: users.name, role: memberships.role })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(eq(memberships.orgId, ctx.org.id))
      .orderBy(asc(users.name)),
  ]);
  const roleOf = new Map(members.map((m) => [m.userId, m.role as string]));
  return {
    campaign: { id: campaign.id, title: campaign.title, status: campaign.status },
    unassigned: unassigned?.n ?? 0,
    // A texter who has left the org keeps their rows until reassigned; "former member" says why they are not in the list.
    texters: rows.map((r) => ({ ...r, userId: r.userId!, role: roleOf.get(r.userId!) ?? "FORMER" })),
    members,
  };
}

/**
 * Deals the unassigned pending contacts to the chosen texters: by the counts given, or as
 * evenly as they go (the first texters get one more when it does not divide). The campaign
 * row is locked, so two admins splitting at once cannot hand one contact to two people.
 */
export async function splitContacts(
  ctx: OrgContext,
  campaignId: string,
  input: { userIds: string[]; counts?: number[] },
): Promise<{ assigned: Record<string, number>; unassigned: number }> {
  const campaign = await requireCampaign(ctx.org.id, campaignId);
  if (input.counts && input.counts.length !== input.userIds.length) {
    throw new ActionError(422, "counts: give one count per texter", { counts: "Give one count per texter" });
  }
  await requireMembers(ctx, input.userIds, "userIds");
  return db.transaction(async (tx) => {
    await tx.execute(sql`select 1 from ${campaigns} where ${campaigns.id} = ${campaign.id} for update`);
    const [{ n: available } = { n: 0 }] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(campaignContacts)
      .where(unassignedPending(ctx, campaign.id));
    const counts = input.counts ?? evenSplit(available, input.userIds.length);
    const wanted = counts.reduce((sum, n) => sum + n, 0);
    if (wanted > available) {
      const message = `Only ${available} unassigned contact${available === 1 ? "" : "s"} left; the counts add up to ${wanted}`;
      throw new ActionError(422, `counts: ${message}`, { counts: message });
    }
    const assigned: Record<string, number> = {};
    for (const [i, userId] of input.userIds.entries()) {
      assigned[userId] = await moveContacts(tx, unassignedPending(ctx, campaign.id), userId, counts[i]!);
    }
    await audit(tx, ctx, campaign.id, "campaign.assign", { assigned });
    return { assigned, unassigned: available - wanted };
  });
}

/**
 * Moves up to `count` (all when absent) of one texter's unsent contacts to another texter, or
 * back to the unassigned pool when toUserId is null. Sent contacts stay: their replies belong
 * with the person who started the conversation.
 */
export async function reassignContacts(
  ctx: OrgContext,
  campaignId: string,
  input: { fromUserId: string; toUserId: string | null; count?: number },
): Promise<{ moved: number }> {
  const campaign = await requireCampaign(ctx.org.id, campaignId);
  if (input.toUserId === input.fromUserId) {
    throw new ActionError(422, "toUserId: choose a different texter", { toUserId: "Choose a different texter" });
  }
  if (input.toUserId) await requireMembers(ctx, [input.toUserId], "toUserId");
  return db.transaction(async (tx) => {
    await tx.execute(sql`select 1 from ${campaigns} where ${campaigns.id} = ${campaign.id} for update`);
    const from = and(
      eq(campaignContacts.orgId, ctx.org.id),
      eq(campaignContacts.campaignId, campaign.id),
      eq(campaignContacts.assignedUserId, input.fromUserId),
      eq(campaignContacts.status, "PENDING"),
    )!;
    const moved = await moveContacts(tx, from, input.toUserId, input.count ?? null);
    await audit(tx, ctx, campaign.id, "campaign.reassign", { from: input.fromUserId, to: input.toUserId, moved });
    return { moved };
  });
}

/** `total` shared by `parts` as evenly as it goes: 10 by 3 is 4, 3, 3. */
export function evenSplit(total: number, parts: number): number[] {
  if (parts <= 0) return [];
  const base = Math.floor(total / parts);
  return Array.from({ length: parts }, (_, i) => base + (i < total % parts ? 1 : 0));
}

function unassignedPending(ctx: OrgContext, campaignId: string) {
  return and(
    eq(campaignContacts.orgId, ctx.org.id),
    eq(campaignContacts.campaignId, campaignId),
    isNull(campaignContacts.assignedUserId),
    eq(campaignContacts.status, "PENDING"),
  )!;
}

/** Oldest first, so a list is worked in the order it was imported; null count moves all. */
async function moveContacts(
  tx: Tx,
  where: ReturnType<typeof unassignedPending>,
  toUserId: string | null,
  count: number | null,
): Promise<number> {
  if (count === 0) return 0;
  const chosen = tx
    .select({ id: campaignContacts.id })
    .from(campaignContacts)
    .where(where)
    .orderBy(asc(campaignContacts.createdAt), asc(campaignContacts.id))
    .limit(count ?? 2_147_483_647)
    .for("update");
  const rows = await tx
    .update(campaignContacts)
    .set({ assignedUserId: toUserId, updatedAt: new Date() })
    .where(inArray(campaignContacts.id, chosen))
    .returning({ id: campaignContacts.id });
  return rows.length;
}

/** Everyone named must belong to this org; another org's user is as unknown as a made-up id. */
async function requireMembers(ctx: OrgContext, userIds: string[], field: string): Promise<void> {
  const unique = [...new Set(userIds)];
  if (unique.length !== userIds.length)
    throw new ActionError(422, `${field}: each texter once`, { [field]: "Choose each texter once" });
  const found = await db
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.orgId, ctx.org.id), inArray(memberships.userId, unique)));
  if (found.length !== unique.length) {
    throw new ActionError(422, `${field}: choose members of this organization`, {
      [field]: "Choose members of this organization",
    });
  }
}

async function audit(tx: Tx, ctx: OrgContext, campaignId: string, action: string, details: Record<string, unknown>) {
  await writeAudit(
    {
      orgId: ctx.org.id,
      actorUserId: ctx.user.id,
      actorLabel: "user",
      action,
      targetType: "campaign",
      targetId: campaignId,
      details,
    },
    tx,
  );
}
