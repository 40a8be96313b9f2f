import { and, asc, eq, ne, sql } from "drizzle-orm";
import { db, type Tx } from "@/db";
import { writeAudit } from "@/db/queries/audit";
import { findMembership, insertMembership } from "@/db/queries/orgs";
import { findUserByEmail } from "@/db/queries/users";
import { conversations } from "@/db/schema/conversations";
import { memberships, type Role } from "@/db/schema/memberships";
import { phoneNumbers } from "@/db/schema/phone-numbers";
import { users } from "@/db/schema/users";
import { ActionError } from "./action-result";

export async function listMembers(orgId: string) {
  return db
    .select({ membershipId: memberships.id, userId: users.id, name: users.name, email: users.email, role: memberships.role, joinedAt: memberships.createdAt })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.orgId, orgId))
    .orderBy(asc(users.name));
}

/** Adds an existing user by email (the operator CLI; people in the app use invitations). */
export async function addMemberByEmail(orgId: string, email: string, role: Role, actorLabel: string) {
  const user = await findUserByEmail(email);
  if (!user) throw new ActionError(404, `No user with email ${email}; create the user first.`, { email: "No such user" });
  if (await findMembership(orgId, user.id)) throw new ActionError(409, `${email} is already a member.`, { email: "Already a member" });
  return db.transaction(async (tx) => {
    const membership = await insertMembership(orgId, user.id, role, tx);
    await writeAudit({ orgId, actorUserId: null, actorLabel, action: "member.add", targetType: "user", targetId: user.id, details: { role } }, tx);
    return membership;
  });
}

export async function changeMemberRole(orgId: string, membershipId: string, role: Role, actorUserId: string): Promise<void> {
  await db.transaction(async (tx) => {
    const target = await lockMembership(tx, orgId, membershipId);
    if (target.role === "OWNER" && role !== "OWNER") await ensureAnotherOwner(tx, orgId, membershipId);
    await tx.update(memberships).set({ role }).where(and(eq(memberships.orgId, orgId), eq(memberships.id, membershipId)));
    await writeAudit(
      { orgId, actorUserId, actorLabel: "user", action: "member.role_change", targetType: "user", targetId: target.userId, details: { from: target.role, to: role } },
      tx,
    );
  });
}

export async function removeMember(orgId: string, membershipId: string, actorUserId: string): Promise<void> {
  await db.transaction(async (tx) => {
    const target = await lockMembership(tx, orgId, membershipId);
    if (target.role === "OWNER") await ensureAnotherOwner(tx, orgId, membershipId);
    await tx.delete(memberships).where(and(eq(memberships.orgId, orgId), eq(memberships.id, membershipId)));
    // Their numbers and conversations go back to the pool rather than to someone who left.
    await tx.update(phoneNumbers).set({ assignedUserId: null }).where(and(eq(phoneNumbers.orgId, orgId), eq(phoneNumbers.assignedUserId, target.userId)));
    await tx.update(conversations).set({ assignedUserId: null }).where(and(eq(conversations.orgId, orgId), eq(conversations.assignedUserId, target.userId)));
    await writeAudit({ orgId, actorUserId, actorLabel: "user", action: "member.remove", targetType: "user", targetId: target.userId, details: { role: target.role } }, tx);
  });
}

/** Locks the org's owner rows too, so two owners demoting each other at once cannot leave none. */
async function lockMembership(tx: Tx, orgId: string, membershipId: string) {
  await tx.execute(sql`select id from ${memberships} where ${memberships.orgId} = ${orgId} and ${memberships.role} = 'OWNER' for update`);
  const [row] = await tx
    .select()
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.id, membershipId)))
    .for("update")
    .limit(1);
  if (!row) throw new ActionError(404, "Not found.");
  return row;
}

async function ensureAnotherOwner(tx: Tx, orgId: string, membershipId: string): Promise<void> {
  const [others] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.role, "OWNER"), ne(memberships.id, membershipId)));
  if (!others || others.n === 0) {
    throw new ActionError(409, "An organization needs at least one owner. Make someone else an owner first.", { role: "The last owner cannot be removed or demoted" });
  }
}
