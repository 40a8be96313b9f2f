import type { Org } from "@/db/schema/orgs";
import type { User } from "@/db/schema/users";

/** Org B, whose objects org A's member tries to reach. Case files create what they need in it. */
export type VictimOrg = { org: Org; owner: User };

/**
 * One feature's share of the tenancy test: the org pages it adds (as route patterns with
 * "[param]" filled in from B's objects), and for each server action, input naming B's objects.
 */
export type TenancyCases = {
  /** Route patterns this file covers, exactly as in Next's app-paths manifest minus route groups, e.g. "/[org]/vendors/[id]". */
  pagePatterns: string[];
  /** Concrete paths under org B for those patterns, e.g. `/${b.org.slug}/vendors/${accountId}`. */
  pages: string[];
  /** "file#export" -> the action's input naming B's objects. */
  actions: Record<string, Record<string, unknown>>;
  /** Org-scoped route handlers (method, path under B) that must answer 404 to A's member. */
  routes?: { method: "GET" | "POST" | "DELETE"; path: string; body?: unknown }[];
};

export type TenancyCaseFactory = (b: VictimOrg) => Promise<TenancyCases>;
