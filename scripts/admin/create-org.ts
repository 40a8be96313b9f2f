import { findOrgBySlug } from "@/db/queries/orgs";
import { findUserByEmail } from "@/db/queries/users";
import { createOrg, createUser, emailSchema, orgNameSchema, personNameSchema, slugSchema } from "@/lib/accounts";
import { passwordSchema } from "@/lib/passwords";
import { CliError, defineCommand, refusal } from "./cli";

export const createOrgCommand = defineCommand({
  name: "create-org",
  summary: "Creates an organization owned by a user, creating that user when no one has the email.",
  options: {
    name: { schema: orgNameSchema, placeholder: "name", description: "Organization name" },
    slug: {
      schema: slugSchema,
      placeholder: "slug",
      description: "URL name: lowercase letters, digits and dashes; not reserved, not taken",
    },
    "owner-email": { schema: emailSchema, placeholder: "email", description: "The owner; an existing user is reused" },
    "owner-password": {
      schema: passwordSchema.optional(),
      placeholder: "password",
      description: "Required for a new owner; must be omitted when the user exists",
    },
    "owner-name": {
      schema: personNameSchema.optional(),
      placeholder: "name",
      description: "A new owner's display name (default: the email's local part)",
    },
  },
  async run(options) {
    const email = options["owner-email"];
    // Checked before the user is created, so a taken slug does not leave a new user behind.
    if (await findOrgBySlug(options.slug)) throw new CliError(`--slug: "${options.slug}" is taken`, { field: "slug" });

    const existing = await findUserByEmail(email);
    if (existing && options["owner-password"] !== undefined) {
      throw new CliError(`--owner-password: user exists; omit --owner-password (${existing.email} keeps their password)`, {
        field: "owner-password",
      });
    }
    if (existing && options["owner-name"] !== undefined) {
      throw new CliError(`--owner-name: user exists; omit --owner-name`, { field: "owner-name" });
    }
    if (!existing && options["owner-password"] === undefined) {
      throw new CliError(`--owner-password: required, because no user has the email ${email} and one will be created`, {
        field: "owner-password",
      });
    }
    const fields = { email: "owner-email", password: "owner-password", name: "owner-name", slug: "slug" };
    const owner =
      existing ??
      (await createUser({ email, name: options["owner-name"] ?? defaultName(email), password: options["owner-password"]! }).catch(
        (e: unknown) => refusal(e, fields),
      ));
    const org = await createOrg({ name: options.name, slug: options.slug, ownerUserId: owner.id, actorLabel: "cli" }).catch(
      (e: unknown) => refusal(e, fields),
    );

    return {
      lines: [
        `Created organization "${org.name}"`,
        `  id:    ${org.id}`,
        `  slug:  ${org.slug}`,
        `  owner: ${owner.email} (${existing ? "existing user" : "new user"})`,
      ],
      json: {
        org: { id: org.id, slug: org.slug, name: org.name },
        owner: { id: owner.id, email: owner.email, created: !existing },
      },
    };
  },
});

function defaultName(email: string): string {
  return (email.split("@")[0] || email).slice(0, 100);
}
