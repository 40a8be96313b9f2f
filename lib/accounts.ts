import { z } from "zod";
import { db, type DbOrTx } from "@/db";
import { findUserByEmail, insertUser } from "@/db/queries/users";
import { findOrgBySlug, freeSlugFor, insertOrgWithOwner, slugProblem } from "@/db/queries/orgs";
import { writeAudit } from "@/db/queries/audit";
import type { Org } from "@/db/schema/orgs";
import type { User } from "@/db/schema/users";
import { ActionError } from "./action-result";
import { passwordSchema } from "./passwords";

export const emailSchema = z.string().trim().toLowerCase().email("Enter a valid email address").max(254);
export const personNameSchema = z.string().trim().min(1, "Enter your name").max(100, "Use at most 100 characters");
export const orgNameSchema = z.string().trim().min(2, "Use at least 2 characters").max(80, "Use at most 80 characters");
export const slugSchema = z
  .string()
  .trim()
  .toLowerCase()
  .superRefine((slug, ctx) => {
    const problem = slugProblem(slug);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

export const newUserSchema = z.object({
  name: personNameSchema,
  email: emailSchema,
  password: passwordSchema,
});

/** Creates a user; a taken email is a 409 at the email field. */
export async function createUser(input: z.infer<typeof newUserSchema>, q: DbOrTx = db): Promise<User> {
  if (await findUserByEmail(input.email, q)) {
    throw new ActionError(409, "An account with this email already exists.", {
      email: "An account with this email already exists. Sign in instead.",
    });
  }
  return insertUser(input, q);
}

/** Creates an org with `ownerUserId` as its OWNER, taking a free slug when none is given. */
export async function createOrg(
  input: { name: string; slug?: string; ownerUserId: string; actorLabel?: string },
  q: DbOrTx = db,
): Promise<Org> {
  return q.transaction(async (tx) => {
    let slug = input.slug;
    if (slug) {
      const problem = slugProblem(slug);
      if (problem) throw new ActionError(422, `slug: ${problem}`, { slug: problem });
      if (await findOrgBySlug(slug, tx)) {
        throw new ActionError(409, `The slug "${slug}" is taken.`, { slug: `"${slug}" is taken` });
      }
    } else {
      slug = await freeSlugFor(input.name, tx);
    }
    const org = await insertOrgWithOwner({ name: input.name, slug, ownerUserId: input.ownerUserId }, tx);
    await writeAudit(
      { orgId: org.id, actorUserId: input.ownerUserId, actorLabel: input.actorLabel ?? "user", action: "org.create", targetType: "org", targetId: org.id },
      tx,
    );
    return org;
  });
}
