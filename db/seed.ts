import { randomBytes } from "node:crypto";
import { findOrgBySlug } from "@/db/queries/orgs";
import { findUserByEmail } from "@/db/queries/users";
import { createOrg, createUser } from "@/lib/accounts";

export const DEMO_SLUG = "demo";

export type SeedResult =
  | { created: true; email: string; password: string; passwordGenerated: boolean }
  | { created: false; email: string | null };

/**
 * Seeds the demo org on first run. The owner's login comes from DEMO_OWNER_EMAIL and
 * DEMO_OWNER_PASSWORD when set; otherwise a password is generated and shown this once.
 */
export async function seedDemo(): Promise<SeedResult> {
  const email = (process.env.DEMO_OWNER_EMAIL?.trim() || "owner@demo.test").toLowerCase();
  const existing = await findOrgBySlug(DEMO_SLUG);
  if (existing) return { created: false, email: (await findUserByEmail(email)) ? email : null };
  const given = process.env.DEMO_OWNER_PASSWORD?.trim();
  const passwordGenerated = !given;
  const password = given || `demo-${randomBytes(9).toString("base64url")}`;
  const user = (await findUserByEmail(email)) ?? (await createUser({ name: "Demo Owner", email, password }));
  await createOrg({ name: "Demo", slug: DEMO_SLUG, ownerUserId: user.id, actorLabel: "seed" });
  return { created: true, email, password, passwordGenerated };
}
