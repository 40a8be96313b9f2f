import { createOrg, createUser } from "@/lib/accounts";
import { addMemberByEmail } from "@/lib/members";
import type { Role } from "@/db/schema/memberships";

export const PASSWORD = "correct-horse-42";

let counter = 0;

/** A user who owns a fresh org, made through the same code sign-up uses. */
export async function ownerWithOrg(label: string) {
  const n = ++counter;
  const user = await createUser({ name: `${label} Owner`, email: `${label.toLowerCase()}-${n}@example.test`, password: PASSWORD });
  const org = await createOrg({ name: `${label} Org ${n}`, ownerUserId: user.id });
  return { user, org };
}

export async function memberOf(orgId: string, label: string, role: Role) {
  const n = ++counter;
  const user = await createUser({ name: `${label} ${role}`, email: `${label.toLowerCase()}-${role.toLowerCase()}-${n}@example.test`, password: PASSWORD });
  const membership = await addMemberByEmail(orgId, user.email, role, "test");
  return { user, membership };
}
