import { z } from "zod";
import { findOrgBySlug } from "@/db/queries/orgs";
import { ROLES } from "@/db/schema/memberships";
import { emailSchema } from "@/lib/accounts";
import { addMemberByEmail } from "@/lib/members";
import { CliError, defineCommand, refusal } from "./cli";

export const orgSlugOption = {
  schema: z.string().trim().toLowerCase().min(1, "expected an organization slug"),
  placeholder: "slug",
  description: "The organization's slug",
};

/** The org named by --org, or a refusal naming --org. */
export async function orgFromOption(slug: string) {
  const org = await findOrgBySlug(slug);
  if (!org) throw new CliError(`--org: no organization with slug "${slug}"`, { field: "org" });
  return org;
}

const roleSchema = z
  .string()
  .trim()
  .toUpperCase()
  .pipe(z.enum(ROLES, { error: `expected one of ${ROLES.join(", ")}` }));

export const addMemberCommand = defineCommand({
  name: "add-member",
  summary: "Adds an existing user to an organization with a role.",
  options: {
    org: orgSlugOption,
    email: { schema: emailSchema, placeholder: "email", description: "The user's email (create-user first if needed)" },
    role: { schema: roleSchema, placeholder: ROLES.join("|"), description: "Their role in the organization" },
  },
  async run(options) {
    const org = await orgFromOption(options.org);
    const membership = await addMemberByEmail(org.id, options.email, options.role, "cli").catch((e: unknown) =>
      refusal(e, { email: "email", role: "role" }),
    );
    return {
      lines: [`Added ${options.email} to "${org.name}" (${org.slug}) as ${membership.role}`, `  membership id: ${membership.id}`],
      json: {
        membership: { id: membership.id, role: membership.role },
        org: { id: org.id, slug: org.slug },
        user: { id: membership.userId, email: options.email },
      },
    };
  },
});
