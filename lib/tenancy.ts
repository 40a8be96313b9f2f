import { and, asc, eq } from "drizzle-orm";
import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { z } from "zod";
import { db } from "@/db";
import { memberships, type Role } from "@/db/schema/memberships";
import { orgs, type OrgFeatures } from "@/db/schema/orgs";
import { users } from "@/db/schema/users";
import { currentUserId, requestUserId } from "./auth";
import { ActionError, toActionFailure, type ActionResult } from "./action-result";
import { parseInput, type ActionInput } from "./forms";

/**
 * The one place that turns "who is signed in" and "which org is in the URL" into an
 * OrgContext. Every org page, server action and org route handler goes through here;
 * a non-member gets 404 (never the object), and every query below takes ctx.org.id.
 */
export type OrgContext = {
  user: { id: string; name: string; email: string };
  org: { id: string; slug: string; name: string; features: OrgFeatures };
  role: Role;
};

const RANK: Record<Role, number> = { TEXTER: 1, SUPERVOLUNTEER: 2, ADMIN: 3, OWNER: 4 };

export function hasRole(role: Role, atLeast: Role): boolean {
  return RANK[role] >= RANK[atLeast];
}

/**
 * Membership of userId in the org with this slug, in one query; null for outsiders.
 * Cached per request, so a layout and its page share one lookup.
 */
export const resolveOrgAccess = cache(async (userId: string, orgSlug: string): Promise<OrgContext | null> => {
  if (!isPlausibleSlug(orgSlug)) return null;
  const [row] = await db
    .select({
      userId: users.id,
      userName: users.name,
      userEmail: users.email,
      orgId: orgs.id,
      orgSlug: orgs.slug,
      orgName: orgs.name,
      features: orgs.features,
      role: memberships.role,
    })
    .from(memberships)
    .innerJoin(orgs, eq(orgs.id, memberships.orgId))
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.userId, userId), eq(orgs.slug, orgSlug)))
    .limit(1);
  if (!row) return null;
  return {
    user: { id: row.userId, name: row.userName, email: row.userEmail },
    org: { id: row.orgId, slug: row.orgSlug, name: row.orgName, features: row.features },
    role: row.role,
  };
});

/** For org pages: sign-in first, 404 for outsiders and for members below `atLeast`. */
export async function requireOrgPage(orgSlug: string, atLeast: Role = "TEXTER"): Promise<OrgContext> {
  const userId = await currentUserId();
  if (!userId) redirect(`/login?callbackUrl=${encodeURIComponent(`/${orgSlug}`)}`);
  const ctx = await resolveOrgAccess(userId, orgSlug);
  if (!ctx || !hasRole(ctx.role, atLeast)) notFound();
  return ctx;
}

type ActionOptions<S extends z.ZodType> = { role: Role; schema: S };

/**
 * Wraps a server action: resolves the org from its slug, checks the role, parses the input
 * with zod (the first message per field comes back as fieldErrors), and turns thrown
 * ActionErrors and unique-constraint violations into results. Signature fits useActionState
 * once the slug is bound: action.bind(null, orgSlug).
 */
export function orgAction<S extends z.ZodType, T>(
  options: ActionOptions<S>,
  handler: (ctx: OrgContext, input: z.infer<S>) => Promise<T>,
): (orgSlug: string, previous: unknown, input: ActionInput) => Promise<ActionResult<T>> {
  return async (orgSlug, _previous, input) => {
    try {
      const userId = await currentUserId();
      if (!userId) return { ok: false, status: 401, error: "Sign in first." };
      const ctx = typeof orgSlug === "string" ? await resolveOrgAccess(userId, orgSlug) : null;
      if (!ctx) return { ok: false, status: 404, error: "Not found." };
      if (!hasRole(ctx.role, options.role)) {
        return { ok: false, status: 403, error: `Only ${roleLabel(options.role)}s can do this.` };
      }
      const parsed = parseInput(options.schema, input);
      if (!parsed.ok) return parsed;
      return { ok: true, data: await handler(ctx, parsed.data) };
    } catch (error) {
      return toActionFailure(error);
    }
  };
}

/**
 * For org-scoped route handlers (JSON): 401 without a session, 404 for outsiders. The session is
 * read from the request itself, so the route works outside Next.js too (scripts/machine-lane.ts).
 */
export async function resolveOrgRoute(
  request: Request,
  orgSlug: string,
  atLeast: Role = "TEXTER",
): Promise<{ ctx: OrgContext } | { response: Response }> {
  const userId = await requestUserId(request);
  if (!userId) return { response: jsonError(401, "unauthenticated", "Sign in first.") };
  const ctx = await resolveOrgAccess(userId, orgSlug);
  if (!ctx || !hasRole(ctx.role, atLeast)) return { response: jsonError(404, "not_found", "Not found.") };
  return { ctx };
}

/** Every org the user belongs to, for the org switcher and the landing redirect. */
export async function listOrgsForUser(userId: string) {
  return db
    .select({ slug: orgs.slug, name: orgs.name, role: memberships.role })
    .from(memberships)
    .innerJoin(orgs, eq(orgs.id, memberships.orgId))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(orgs.name));
}

export function roleLabel(role: Role): string {
  return { OWNER: "owner", ADMIN: "admin", SUPERVOLUNTEER: "supervolunteer", TEXTER: "texter" }[role];
}

export { ActionError };

function jsonError(status: number, code: string, message: string): Response {
  return Response.json({ error: { code, message } }, { status });
}

function isPlausibleSlug(slug: unknown): slug is string {
  return typeof slug === "string" && /^[a-z0-9][a-z0-9-]{0,62}$/.test(slug);
}
