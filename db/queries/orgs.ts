import { and, eq, sql } from "drizzle-orm";
import { db, type DbOrTx } from "@/db";
import { memberships, type Role } from "@/db/schema/memberships";
import { orgs, type Org, type OrgFeatures } from "@/db/schema/orgs";

/** Paths under the site root that an org slug must not shadow. */
const RESERVED_SLUGS = new Set(["api", "login", "signup", "invite", "logout", "settings", "admin", "new", "_next", "static", "health", "docs", "c"]);

export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$/;

export function slugProblem(slug: string): string | null {
  if (!SLUG_PATTERN.test(slug)) return "Use 1-48 lowercase letters, digits and dashes, starting and ending with a letter or digit";
  if (RESERVED_SLUGS.has(slug)) return `"${slug}" is reserved`;
  return null;
}

export function slugify(name: string): string {
  const base = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/['’]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/g, "");
  return base || "org";
}

export async function findOrgBySlug(slug: string, q: DbOrTx = db): Promise<Org | undefined> {
  const [row] = await q.select().from(orgs).where(eq(orgs.slug, slug)).limit(1);
  return row;
}

/** A free slug derived from the name: "acme", then "acme-2", "acme-3", ... */
export async function freeSlugFor(name: string, q: DbOrTx = db): Promise<string> {
  let base = slugify(name);
  if (slugProblem(base)) base = `${base}-org`;
  const taken = await q
    .select({ slug: orgs.slug })
    .from(orgs)
    .where(sql`${orgs.slug} = ${base} or ${orgs.slug} like ${`${base}-%`}`);
  const used = new Set(taken.map((r) => r.slug));
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) if (!used.has(`${base}-${n}`)) return `${base}-${n}`;
}

export async function insertOrgWithOwner(
  input: { name: string; slug: string; ownerUserId: string; features?: OrgFeatures },
  q: DbOrTx,
): Promise<Org> {
  const [org] = await q
    .insert(orgs)
    .values({ name: input.name.trim(), slug: input.slug, features: input.features ?? {} })
    .returning();
  await q.insert(memberships).values({ orgId: org!.id, userId: input.ownerUserId, role: "OWNER" });
  return org!;
}

export async function updateOrgSettings(
  orgId: string,
  patch: { name?: string; features?: OrgFeatures },
  q: DbOrTx = db,
): Promise<void> {
  await q.update(orgs).set(patch).where(eq(orgs.id, orgId));
}

export async function findMembership(orgId: string, userId: string, q: DbOrTx = db) {
  const [row] = await q
    .select()
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)))
    .limit(1);
  return row;
}

export async function insertMembership(orgId: string, userId: string, role: Role, q: DbOrTx = db) {
  const [row] = await q.insert(memberships).values({ orgId, userId, role }).returning();
  return row!;
}
