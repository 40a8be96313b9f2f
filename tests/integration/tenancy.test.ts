import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "@/lib/api-keys";
import { createInvitation } from "@/lib/invitations";
import { NAV_ITEMS } from "@/lib/nav";
import { startApp, type RunningApp } from "../helpers/app";
import { memberOf, ownerWithOrg, PASSWORD } from "../helpers/fixtures";
import { HttpSession, listActions } from "../helpers/http-session";

/**
 * A member of org A tries org B's pages, actions and ids. Every attempt must answer 404
 * and change nothing. New org actions fail the completeness check until they are added here.
 */
let app: RunningApp;
let a: Awaited<ReturnType<typeof ownerWithOrg>>;
let b: Awaited<ReturnType<typeof ownerWithOrg>>;
let bTexter: Awaited<ReturnType<typeof memberOf>>;
let bInvitationId: string;
let bKeyId: string;
let alice: HttpSession;

beforeAll(async () => {
  a = await ownerWithOrg("Alpha");
  b = await ownerWithOrg("Bravo");
  bTexter = await memberOf(b.org.id, "Bravo", "TEXTER");
  bInvitationId = (await createInvitation({ orgId: b.org.id, role: "ADMIN", invitedBy: b.user.id })).invitation.id;
  bKeyId = (await createApiKey({ orgId: b.org.id, name: "B system", createdBy: b.user.id, actorLabel: "test" })).id;
  app = await startApp();
  alice = await HttpSession.signIn(app.url, a.user.email, PASSWORD);
});

afterAll(async () => {
  await app?.stop();
});

/** Each org action with arguments that name org B's objects. */
function orgActionCases() {
  return {
    "lib/actions/members.ts#inviteMemberAction": { role: "ADMIN", email: "" },
    "lib/actions/members.ts#changeMemberRoleAction": { membershipId: bTexter.membership.id, role: "OWNER" },
    "lib/actions/members.ts#removeMemberAction": { membershipId: bTexter.membership.id },
    "lib/actions/members.ts#revokeInvitationAction": { invitationId: bInvitationId },
    "lib/actions/api-keys.ts#createApiKeyAction": { name: "stolen" },
    "lib/actions/api-keys.ts#revokeApiKeyAction": { keyId: bKeyId },
    "lib/actions/settings.ts#updateOrgSettingsAction": { name: "Hijacked", defaultCountry: "US", timeZone: "UTC" },
  } as Record<string, Record<string, unknown>>;
}

/** Actions that take no org: they act on the signed-in person only. */
const NOT_ORG_SCOPED = ["signInAction", "signUpAction", "signOutAction", "createOrgAction", "acceptInvitationAction"].map(
  (name) => `lib/actions/auth.ts#${name}`,
);

describe("tenancy", () => {
  it("covers every server action in the build", () => {
    const inBuild = [...listActions().keys()].filter((ref) => !NOT_ORG_SCOPED.includes(ref)).sort();
    expect(inBuild).toEqual(Object.keys(orgActionCases()).sort());
  });

  it("answers 404 for every page of another org", async () => {
    for (const item of NAV_ITEMS) {
      const response = await alice.request(`/${b.org.slug}/${item.segment}`);
      expect(response.status, `/${b.org.slug}/${item.segment}`).toBe(404);
      expect(await response.text()).not.toContain(b.org.name);
    }
    expect((await alice.request(`/${b.org.slug}`)).status).toBe(404);
  });

  it("answers 404 for every action aimed at another org, and changes nothing", async () => {
    for (const [ref, input] of Object.entries(orgActionCases())) {
      const { result } = await alice.callAction<{ ok: boolean; status: number }>(ref, [b.org.slug, null, input], `/${a.org.slug}/members`);
      expect(result, ref).toMatchObject({ ok: false, status: 404 });
    }
    const bobs = await HttpSession.signIn(app.url, b.user.email, PASSWORD);
    const members = await (await bobs.request(`/${b.org.slug}/members`)).text();
    expect(members).toContain(bTexter.user.email);
    expect(members).toContain(b.org.name);
  });

  it("answers 404 when org A's slug is paired with org B's object ids", async () => {
    const childCases = Object.entries(orgActionCases()).filter(([, input]) => Object.keys(input).some((k) => k.endsWith("Id")));
    expect(childCases.length).toBeGreaterThanOrEqual(4);
    for (const [ref, input] of childCases) {
      const { result } = await alice.callAction<{ ok: boolean; status: number }>(ref, [a.org.slug, null, input], `/${a.org.slug}/members`);
      expect(result, ref).toMatchObject({ ok: false, status: 404 });
    }
  });

  it("refuses owner-only actions and pages to a texter of the same org", async () => {
    const texter = await memberOf(a.org.id, "Alpha", "TEXTER");
    const session = await HttpSession.signIn(app.url, texter.user.email, PASSWORD);
    for (const segment of ["vendors", "api-keys", "audit", "members", "settings", "numbers"]) {
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
