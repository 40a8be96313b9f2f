import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp, type RunningApp } from "../helpers/app";
import { memberOf, ownerWithOrg, PASSWORD } from "../helpers/fixtures";
import { HttpSession, listActions } from "../helpers/http-session";
import { TENANCY_CASES } from "./tenancy-cases";
import type { TenancyCases } from "./tenancy-cases/types";

/**
 * A member of org A tries org B's pages, actions, routes and ids. Every attempt must answer
 * 404 and change nothing. A new page, action or org route fails the completeness checks
 * until a case file in tests/integration/tenancy-cases covers it.
 */
let app: RunningApp;
let a: Awaited<ReturnType<typeof ownerWithOrg>>;
let b: Awaited<ReturnType<typeof ownerWithOrg>>;
let cases: TenancyCases;
let alice: HttpSession;

/** Actions that take no org: they act on the signed-in person only. */
const NOT_ORG_SCOPED = ["signInAction", "signUpAction", "signOutAction", "createOrgAction", "acceptInvitationAction"].map((name) => `lib/actions/auth.ts#${name}`);

beforeAll(async () => {
  a = await ownerWithOrg("Alpha");
  b = await ownerWithOrg("Bravo");
  const parts = await Promise.all(TENANCY_CASES.map((factory) => factory({ org: b.org, owner: b.user })));
  cases = {
    pagePatterns: parts.flatMap((p) => p.pagePatterns),
    pages: parts.flatMap((p) => p.pages),
    actions: Object.assign({}, ...parts.map((p) => p.actions)) as TenancyCases["actions"],
    routes: parts.flatMap((p) => p.routes ?? []),
  };
  app = await startApp();
  alice = await HttpSession.signIn(app.url, a.user.email, PASSWORD);
});

afterAll(async () => {
  await app?.stop();
});

describe("tenancy", () => {
  it("covers every server action in the build", () => {
    const inBuild = [...listActions().keys()].filter((ref) => !NOT_ORG_SCOPED.includes(ref)).sort();
    expect(inBuild).toEqual(Object.keys(cases.actions).sort());
  });

  it("covers every org page and org route in the build", () => {
    const manifest = JSON.parse(readFileSync(path.resolve(".next/server/app-paths-manifest.json"), "utf8")) as Record<string, string>;
    const orgPaths = Object.keys(manifest)
      .map((p) => p.replace(/\/\([^)]+\)/g, "").replace(/\/(page|route)$/, "") || "/")
      .filter((p) => p.startsWith("/[org]") || p.startsWith("/api/orgs/"))
      .sort();
    expect(orgPaths).toEqual([...new Set(cases.pagePatterns)].sort());
  });

  it("answers 404 for every page of another org", async () => {
    for (const page of cases.pages) {
      const response = await alice.request(page);
      expect(response.status, page).toBe(404);
      expect(await response.text(), page).not.toContain(b.org.name);
    }
  });

  it("answers 404 for every org route of another org", async () => {
    for (const route of cases.routes ?? []) {
      const response = await alice.request(route.path, { method: route.method, body: route.body === undefined ? undefined : JSON.stringify(route.body), headers: { "content-type": "application/json" } });
      expect(response.status, `${route.method} ${route.path}`).toBe(404);
    }
  });

  it("answers 404 for every action aimed at another org, and changes nothing", async () => {
    for (const [ref, input] of Object.entries(cases.actions)) {
      const { result } = await alice.callAction<{ ok: boolean; status: number }>(ref, [b.org.slug, null, input], `/${a.org.slug}/members`);
      expect(result, ref).toMatchObject({ ok: false, status: 404 });
    }
    const bobs = await HttpSession.signIn(app.url, b.user.email, PASSWORD);
    const members = await (await bobs.request(`/${b.org.slug}/members`)).text();
    expect(members).toContain(b.org.name);
    expect(members).toContain("Bravo TEXTER");
  });

  it("answers 404 when org A's slug is paired with org B's object ids", async () => {
    const childCases = Object.entries(cases.actions).filter(([, input]) => Object.keys(input).some((k) => k.endsWith("Id")));
    expect(childCases.length).toBeGreaterThanOrEqual(4);
    for (const [ref, input] of childCases) {
      const { result } = await alice.callAction<{ ok: boolean; status: number }>(ref, [a.org.slug, null, input], `/${a.org.slug}/members`);
      expect(result, ref).toMatchObject({ ok: false, status: 404 });
    }
  });

  it("refuses owner-only actions and pages to a texter of the same org", async () => {
    const texter = await memberOf(a.org.id, "Alpha", "TEXTER");
    const session = await HttpSession.signIn(app.url, texter.user.email, PASSWORD);
    for (const segment of ["vendors", "api-keys", "audit", "members", "settings", "numbers", "contacts"]) {
      expect((await session.request(`/${a.org.slug}/${segment}`)).status, segment).toBe(404);
    }
    expect((await session.request(`/${a.org.slug}/conversations`)).status).toBe(200);
    const { result } = await session.callAction("lib/actions/members.ts#inviteMemberAction", [a.org.slug, null, { role: "OWNER" }], `/${a.org.slug}/conversations`);
    expect(result).toMatchObject({ ok: false, status: 403 });
  });

  it("sends signed-out visitors to sign-in instead of showing an org", async () => {
    const anonymous = new HttpSession(app.url);
    const response = await anonymous.request(`/${a.org.slug}/conversations`);
    expect(response.status).toBe(307);
    expect(response.headers.get("location")).toContain("/login");
    const { result } = await anonymous.callAction("lib/actions/members.ts#inviteMemberAction", [a.org.slug, null, { role: "OWNER" }], "/login");
    expect(result).toMatchObject({ ok: false, status: 401 });
  });
});
