import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db";
import { invitations } from "@/db/schema/invitations";
import { phoneNumbers } from "@/db/schema/phone-numbers";
import { addNumber } from "@/lib/numbers";
import { saveVendorAccount } from "@/lib/vendors/accounts";
import { memberships } from "@/db/schema/memberships";
import { users } from "@/db/schema/users";
import { createInvitation } from "@/lib/invitations";
import { startApp, type RunningApp } from "../helpers/app";
import { memberOf, ownerWithOrg, PASSWORD } from "../helpers/fixtures";
import { HttpSession } from "../helpers/http-session";

type Failure = { ok: false; status: number; error: string; fieldErrors?: Record<string, string> };

let app: RunningApp;
beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app?.stop();
});

async function signUp(fields: Record<string, string>) {
  const visitor = new HttpSession(app.url);
  const { result } = await visitor.callAction<Failure | undefined>("lib/actions/auth.ts#signUpAction", [null, fields], "/signup");
  return { visitor, result };
}

async function countUsers(): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(users);
  return row!.n;
}

describe("sign-up", () => {
  it.each([
    ["a weak password", { password: "short" }, "password", /at least 10/],
    ["a password of letters only", { password: "abcdefghijkl" }, "password", /digits or symbols/],
    ["a bad email", { email: "not-an-email" }, "email", /valid email/],
    ["no name", { name: "" }, "name", /your name/],
    ["no organization name", { orgName: "" }, "orgName", /at least 2/],
  ])("refuses %s at the field, writing nothing", async (_label, override, field, message) => {
    const before = await countUsers();
    const { result } = await signUp({ name: "Pat", email: "pat@example.test", password: PASSWORD, orgName: "Pat's Team", ...override });
    expect(result).toMatchObject({ ok: false, status: 422 });
    expect(result!.fieldErrors?.[field]).toMatch(message);
    expect(await countUsers()).toBe(before);
  });

  it("creates the user and their org as owner, signs them in, and refuses the same email twice", async () => {
    const fields = { name: "Sam", email: "Sam@Example.test", password: PASSWORD, orgName: "Sam's Shifts" };
    const { visitor } = await signUp(fields);
    const home = await visitor.request("/");
    expect(home.status).toBe(307);
    expect(home.headers.get("location")).toMatch(/\/sams-shifts\/conversations$/);
    const [member] = await db.select({ role: memberships.role }).from(memberships).innerJoin(users, eq(users.id, memberships.userId)).where(eq(users.email, "sam@example.test"));
    expect(member?.role).toBe("OWNER");

    const { result } = await signUp({ ...fields, email: "sam@example.TEST", orgName: "Another" });
    expect(result).toMatchObject({ ok: false, status: 409 });
    expect(result!.fieldErrors?.email).toMatch(/already exists/);
  });
});

describe("sign-in", () => {
  it("says the password is wrong without saying whether the email exists", async () => {
    const { user } = await ownerWithOrg("Login");
    for (const email of [user.email, "nobody@example.test"]) {
      const visitor = new HttpSession(app.url);
      const { result } = await visitor.callAction<Failure>("lib/actions/auth.ts#signInAction", [null, { email, password: "wrong-password-1" }], "/login");
      expect(result).toMatchObject({ ok: false, status: 401, error: "Wrong email or password." });
    }
  });

  it("refuses to redirect off-site after sign-in", async () => {
    const { user } = await ownerWithOrg("Redirect");
    const visitor = new HttpSession(app.url);
    const response = await visitor.request("/login", {
      method: "POST",
      headers: { "next-action": (await import("../helpers/http-session")).listActions().get("lib/actions/auth.ts#signInAction")!, "content-type": "text/plain;charset=UTF-8", accept: "text/x-component" },
      body: JSON.stringify([null, { email: user.email, password: PASSWORD, callbackUrl: "//evil.example/steal" }]),
    });
    const location = response.headers.get("x-action-redirect") ?? response.headers.get("location") ?? "";
    expect(location).not.toContain("evil.example");
  });
});

describe("the session on the JSON routes pages poll", () => {
  // Served beside Next.js (scripts/machine-lane.ts), they read the session from the request itself;
  // whatever the headers, they must agree with a page, which Next.js and Auth.js serve.
  it("agrees with a page on who is signed in, whatever the cookie, scheme or headers", async () => {
    const { user, org } = await ownerWithOrg("Lane");
    const session = await HttpSession.signIn(app.url, user.email, PASSWORD);
    const cookie = session.cookieHeader();
    const token = /authjs\.session-token=([^;]+)/.exec(cookie)![1]!;
    const tampered = cookie.replace(token, `${token.slice(0, -6)}${token.slice(-6) === "AAAAAA" ? "BBBBBB" : "AAAAAA"}`);
    const cases: [string, Record<string, string>, boolean][] = [
      ["the session cookie", { cookie }, true],
      ["the session cookie from a proxy on http", { cookie, "x-forwarded-proto": "http" }, true],
      // Over https Auth.js reads __Secure-authjs.session-token, which this browser does not have.
      ["the http cookie on https", { cookie, "x-forwarded-proto": "https" }, false],
      ["a tampered cookie", { cookie: tampered }, false],
      ["no cookie", {}, false],
      ["the session token as a bearer token", { authorization: `Bearer ${token}` }, false],
    ];
    for (const [label, headers, signedIn] of cases) {
      const page = await fetch(`${app.url}/${org.slug}/conversations`, { headers, redirect: "manual" });
      const json = await fetch(`${app.url}/api/orgs/${org.slug}/conversations`, { headers, redirect: "manual" });
      expect([label, page.status, page.status === 307 ? new URL(page.headers.get("location")!, app.url).pathname : ""]).toEqual([
        label,
        signedIn ? 200 : 307,
        signedIn ? "" : "/login",
      ]);
      expect([label, json.status]).toEqual([label, signedIn ? 200 : 401]);
      if (signedIn) expect(((await json.json()) as { rows: unknown[] }).rows).toEqual([]);
    }
  });
});

describe("invitations", () => {
  it("joins the org with the invited role, once", async () => {
    const { user: owner, org } = await ownerWithOrg("Invite");
    const { token } = await createInvitation({ orgId: org.id, role: "SUPERVOLUNTEER", invitedBy: owner.id });
    const { visitor, result } = await signUp({ name: "Ivy", email: "ivy@example.test", password: PASSWORD, invitation: token });
    expect(result).toBeUndefined();
    expect((await visitor.request(`/${org.slug}/contacts`)).status).toBe(200);
    const [row] = await db.select({ role: memberships.role }).from(memberships).innerJoin(users, eq(users.id, memberships.userId)).where(eq(users.email, "ivy@example.test"));
    expect(row?.role).toBe("SUPERVOLUNTEER");

    const again = await signUp({ name: "Eve", email: "eve@example.test", password: PASSWORD, invitation: token });
    expect(again.result).toMatchObject({ ok: false, status: 409 });
    expect(again.result!.error).toMatch(/already been used/);
    expect(await db.select().from(users).where(eq(users.email, "eve@example.test"))).toHaveLength(0);
    const page = await (await new HttpSession(app.url).request(`/invite/${token}`)).text();
    expect(page).toContain("already been used");
  });

  it("refuses expired and unknown links with a clear message", async () => {
    const { user: owner, org } = await ownerWithOrg("Expired");
    const { token, invitation } = await createInvitation({ orgId: org.id, role: "TEXTER", invitedBy: owner.id });
    await db.update(invitations).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(invitations.id, invitation.id));
    const { result } = await signUp({ name: "Late", email: "late@example.test", password: PASSWORD, invitation: token });
    expect(result).toMatchObject({ ok: false, status: 409 });
    expect(result!.error).toMatch(/expired/);
    expect(await (await new HttpSession(app.url).request(`/invite/${token}`)).text()).toContain("expired");
    expect(await (await new HttpSession(app.url).request(`/invite/inv_notarealtoken123`)).text()).toContain("not valid");
  });

  it("lets an owner create, see and revoke an invitation; others cannot", async () => {
    const { user: owner, org } = await ownerWithOrg("Revoke");
    const session = await HttpSession.signIn(app.url, owner.email, PASSWORD);
    const created = await session.callAction<{ ok: true; data: { id: string; url: string } }>("lib/actions/members.ts#inviteMemberAction", [org.slug, null, { role: "ADMIN", email: "" }], `/${org.slug}/members`);
    expect(created.result.ok).toBe(true);
    expect(created.result.data.url).toMatch(/\/invite\/inv_/);
    const token = created.result.data.url.split("/invite/")[1]!;
    const [stored] = await db.select().from(invitations).where(eq(invitations.id, created.result.data.id));
    expect(JSON.stringify(stored)).not.toContain(token);

    const revoked = await session.callAction("lib/actions/members.ts#revokeInvitationAction", [org.slug, null, { invitationId: created.result.data.id }], `/${org.slug}/members`);
    expect(revoked.result).toMatchObject({ ok: true });
    expect(await (await new HttpSession(app.url).request(`/invite/${token}`)).text()).toContain("revoked");
  });
});

describe("members", () => {
  it("keeps at least one owner", async () => {
    const { user: owner, org } = await ownerWithOrg("LastOwner");
    const session = await HttpSession.signIn(app.url, owner.email, PASSWORD);
    const [mine] = await db.select().from(memberships).where(eq(memberships.userId, owner.id));
    const { result } = await session.callAction<Failure>("lib/actions/members.ts#changeMemberRoleAction", [org.slug, null, { membershipId: mine!.id, role: "TEXTER" }], `/${org.slug}/members`);
    expect(result).toMatchObject({ ok: false, status: 409 });
    expect(result.error).toMatch(/at least one owner/);
  });
});

describe("removing a member", () => {
  it("unassigns their numbers so nothing stays with someone who left", async () => {
    const { user: owner, org } = await ownerWithOrg("Leaver");
    const texter = await memberOf(org.id, "Leaver", "TEXTER");
    const account = await saveVendorAccount(org.id, { userId: owner.id, label: "test" }, { kind: "fake", name: "Fake", values: { deliveryDelayMs: 0 } });
    const number = await addNumber(org.id, { userId: owner.id, label: "test" }, { vendorAccountId: account.id, e164: "+12125550160" });
    await db.update(phoneNumbers).set({ assignedUserId: texter.user.id }).where(eq(phoneNumbers.id, number.id));
    const session = await HttpSession.signIn(app.url, owner.email, PASSWORD);
    const { result } = await session.callAction("lib/actions/members.ts#removeMemberAction", [org.slug, null, { membershipId: texter.membership.id }], `/${org.slug}/members`);
    expect(result).toMatchObject({ ok: true });
    const [after] = await db.select().from(phoneNumbers).where(eq(phoneNumbers.id, number.id));
    expect(after!.assignedUserId).toBeNull();
  });
});

describe("health", () => {
  it("reports database and queue status", async () => {
    const response = await fetch(`${app.url}/api/health`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { status: string; database: { ok: boolean }; queue: { ok: boolean } };
    expect(body).toMatchObject({ status: "ok", database: { ok: true }, queue: { ok: true } });
  });

  it("answers 503 when the database is unreachable", async () => {
    const broken = await startApp({ DATABASE_URL: "postgres://postgres@127.0.0.1:1/nowhere" }, { requireHealthy: false });
    try {
      const response = await fetch(`${broken.url}/api/health`);
      expect(response.status).toBe(503);
      const body = (await response.json()) as { database: { ok: boolean; error: string } };
      expect(body.database.ok).toBe(false);
      expect(body.database.error).not.toContain("postgres://");
    } finally {
      await broken.stop();
    }
  });
});
