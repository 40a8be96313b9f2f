import { randomBytes } from "node:crypto";
import { findOrgBySlug } from "@/db/queries/orgs";
import { findUserByEmail } from "@/db/queries/users";
import { createOrg, createUser } from "@/lib/accounts";
import { addNumber } from "@/lib/numbers";
import { saveVendorAccount, setDefaultVendorAccount } from "@/lib/vendors/accounts";

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
  const org = await createOrg({ name: "Demo", slug: DEMO_SLUG, ownerUserId: user.id, actorLabel: "seed" });
  await seedFakeVendor(org.id);
  return { created: true, email, password, passwordGenerated };
}

/** The demo sends through the fake vendor: an account, the org's default, and three numbers. */
async function seedFakeVendor(orgId: string): Promise<void> {
  const actor = { userId: null, label: "seed" };
  const account = await saveVendorAccount(orgId, actor, { kind: "fake", name: "Fake vendor (demo)", values: { deliveryDelayMs: 1500 } });
  await setDefaultVendorAccount(orgId, account.id, actor);
  for (const e164 of ["+12025550100", "+12125550101", "+14155550102"]) {
    await addNumber(orgId, actor, { vendorAccountId: account.id, e164, senderType: "LONG_CODE" });
  }
}
