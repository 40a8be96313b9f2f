import { and, desc, eq, gt, isNull } from "drizzle-orm";
import { db, type DbOrTx } from "@/db";
import { writeAudit } from "@/db/queries/audit";
import { findMembership, insertMembership } from "@/db/queries/orgs";
import { invitations } from "@/db/schema/invitations";
import type { Role } from "@/db/schema/memberships";
import { orgs } from "@/db/schema/orgs";
import { ActionError } from "./action-result";
import { newToken, sha256 } from "./tokens";

export const INVITATION_TTL_DAYS = 7;

/** Creates an invitation; the token is returned once and only its hash is stored. */
export async function createInvitation(input: { orgId: string; role: Role; email?: string; invitedBy: string }) {
  const token = newToken("inv_");
  const expiresAt = new Date(Date.now() + INVITATION_TTL_DAYS * 86_400_000);
  const [row] = await db.transaction(async (tx) => {
    const inserted = await tx
      .insert(invitations)
      .values({ orgId: input.orgId, role: input.role, email: input.email || null, tokenHash: sha256(token), invitedBy: input.invitedBy, expiresAt })
      .returning();
    await writeAudit(
      { orgId: input.orgId, actorUserId: input.invitedBy, actorLabel: "user", action: "invitation.create", targetType: "invitation", targetId: inserted[0]!.id, details: { role: input.role } },
      tx,
    );
    return inserted;
  });
  return { invitation: row!, token };
}

export type InvitationLookup =
  | { state: "valid"; invitationId: string; orgId: string; orgName: string; orgSlug: string; role: Role; email: string | null }
  | { state: "expired" | "used" | "revoked" | "unknown" };

export async function lookupInvitation(token: string): Promise<InvitationLookup> {
  if (!/^inv_[A-Za-z0-9_-]{10,64}$/.test(token)) return { state: "unknown" };
  const [row] = await db
    .select({ inv: invitations, orgName: orgs.name, orgSlug: orgs.slug })
    .from(invitations)
    .innerJoin(orgs, eq(orgs.id, invitations.orgId))
    .where(eq(invitations.tokenHash, sha256(token)))
    .limit(1);
  if (!row) return { state: "unknown" };
  if (row.inv.revokedAt) return { state: "revoked" };
  if (row.inv.acceptedAt) return { state: "used" };
  if (row.inv.expiresAt.getTime() <= Date.now()) return { state: "expired" };
  return { state: "valid", invitationId: row.inv.id, orgId: row.inv.orgId, orgName: row.orgName, orgSlug: row.orgSlug, role: row.inv.role, email: row.inv.email };
}

export const INVITATION_PROBLEMS: Record<Exclude<InvitationLookup["state"], "valid">, string> = {
  expired: "This invitation has expired. Ask the organization's owner for a new link.",
  used: "This invitation has already been used. Ask the organization's owner for a new link.",
  revoked: "This invitation was revoked. Ask the organization's owner for a new link.",
  unknown: "This invitation link is not valid. Check that you copied the whole link.",
};

/**
 * Accepts an invitation for userId. The UPDATE claims the invitation atomically, so two
 * tabs accepting one link make one membership and one "already used" error.
 */
export async function acceptInvitation(token: string, userId: string, q: DbOrTx = db): Promise<{ orgSlug: string }> {
  const found = await lookupInvitation(token);
  if (found.state !== "valid") throw new ActionError(409, INVITATION_PROBLEMS[found.state], { token: INVITATION_PROBLEMS[found.state] });
  return q.transaction(async (tx) => {
    const claimed = await tx
      .update(invitations)
      .set({ acceptedAt: new Date(), acceptedBy: userId })
      .where(and(eq(invitations.id, found.invitationId), isNull(invitations.acceptedAt), isNull(invitations.revokedAt), gt(invitations.expiresAt, new Date())))
      .returning({ id: invitations.id });
    if (claimed.length === 0) throw new ActionError(409, INVITATION_PROBLEMS.used, { token: INVITATION_PROBLEMS.used });
    const existing = await findMembership(found.orgId, userId, tx);
    if (!existing) await insertMembership(found.orgId, userId, found.role, tx);
    await writeAudit(
      { orgId: found.orgId, actorUserId: userId, actorLabel: "user", action: "invitation.accept", targetType: "invitation", targetId: found.invitationId, details: { role: found.role, alreadyMember: Boolean(existing) } },
      tx,
    );
    return { orgSlug: found.orgSlug };
  });
}

export async function listPendingInvitations(orgId: string) {
  return db
    .select({ id: invitations.id, role: invitations.role, email: invitations.email, expiresAt: invitations.expiresAt, createdAt: invitations.createdAt })
    .from(invitations)
    .where(and(eq(invitations.orgId, orgId), isNull(invitations.acceptedAt), isNull(invitations.revokedAt), gt(invitations.expiresAt, new Date())))
    .orderBy(desc(invitations.createdAt));
}

export async function revokeInvitation(orgId: string, invitationId: string, actorUserId: string): Promise<void> {
  await db.transaction(async (tx) => {
    const rows = await tx
      .update(invitations)
      .set({ revokedAt: new Date() })
      .where(and(eq(invitations.orgId, orgId), eq(invitations.id, invitationId), isNull(invitations.acceptedAt), isNull(invitations.revokedAt)))
      .returning({ id: invitations.id });
    if (rows.length === 0) throw new ActionError(404, "Not found.");
    await writeAudit({ orgId, actorUserId, actorLabel: "user", action: "invitation.revoke", targetType: "invitation", targetId: invitationId }, tx);
  });
}
