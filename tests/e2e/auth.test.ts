import { and, eq } from "drizzle-orm";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { db } from "@/db";
import { invitations } from "@/db/schema/invitations";
import { memberships } from "@/db/schema/memberships";
import { orgs } from "@/db/schema/orgs";
import { users } from "@/db/schema/users";
import { createUser } from "@/lib/accounts";
import { createInvitation } from "@/lib/invitations";
import { startApp, type RunningApp } from "../helpers/app";
import { launchBrowser, newPage, screenshot } from "../helpers/browser";
import { ownerWithOrg, PASSWORD } from "../helpers/fixtures";

/**
 * Sign-up, sign-out, sign-in and invitations as a person does them: in Chromium, against the
 * production build, finding everything by its label or role.
 */
let app: RunningApp;
let browser: Browser;
const contexts: BrowserContext[] = [];
/** Uncaught exceptions in any page: a crash in the client is a failure even if the flow "works". */
const pageErrors: string[] = [];

beforeAll(async () => {
  app = await startApp();
  browser = await launchBrowser();
});

afterAll(async () => {
  await Promise.all(contexts.map((c) => c.close().catch(() => {})));
  await browser?.close();
  await app?.stop();
});

/** A fresh, signed-out browser context; on failure, a screenshot and the server log help debugging. */
async function freshPage(label: string): Promise<Page> {
  const { context, page } = await newPage(browser, app.url);
  contexts.push(context);
  page.on("pageerror", (error) => pageErrors.push(`${label}: ${error.message}`));
  onTestFailed(async () => {
    const file = await screenshot(page, `FAILED-${label}`).catch(() => "(no screenshot)");
    console.error(`[${label}] failed at ${page.url()}; screenshot: ${file}\n--- next start output ---\n${app.output().slice(-4000)}`);
  });
  return page;
}

function pathOf(page: Page): string {
  return new URL(page.url()).pathname;
}

async function waitForPath(page: Page, pathname: string): Promise<void> {
  await page.waitForURL((url) => url.pathname === pathname, { timeout: 30_000 });
}

async function fillSignup(page: Page, values: { name: string; email: string; password: string; orgName?: string }) {
  await page.getByLabel("Your name", { exact: true }).fill(values.name);
  await page.getByLabel("Work email", { exact: true }).fill(values.email);
  await page.getByLabel("Password", { exact: true }).fill(values.password);
  if (values.orgName !== undefined) await page.getByLabel("Organization name", { exact: true }).fill(values.orgName);
}

async function signIn(page: Page, email: string, password: string) {
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

/** The org shell: its name in the sidebar's org switcher and the Conversations page heading. */
async function expectInOrg(page: Page, orgName: string, roleLabel: string) {
  const switcher = page.getByRole("button", { name: "Switch organization" });
  await switcher.waitFor({ state: "visible" });
  expect(await switcher.textContent()).toContain(orgName);
  expect(await switcher.textContent()).toContain(roleLabel);
  const heading = page.getByRole("heading", { level: 1, name: "Conversations" });
  await heading.waitFor({ state: "visible" });
  expect(await page.getByRole("button", { name: "Sign out" }).isVisible()).toBe(true);
}

/** The message rendered by `Field` for a control: id `<field>-error`, role=alert, wired to the input. */
async function fieldError(page: Page, field: string): Promise<string> {
  const message = page.locator(`#${field}-error`);
  await message.waitFor({ state: "visible" });
  expect(await message.getAttribute("role")).toBe("alert");
  const input = page.locator(`#${field}`);
  expect(await input.getAttribute("aria-invalid")).toBe("true");
  expect(await input.getAttribute("aria-describedby")).toContain(`${field}-error`);
  return (await message.textContent())?.trim() ?? "";
}

describe("sign-up and sign-in in the browser", () => {
  const person = { name: "Rosa Park", email: "rosa@riverside.example", password: "tide-pool-2024!" };
  const orgName = "Riverside Volunteers";

  it("shows a weak password and a taken email at their fields, without navigating", async () => {
    const page = await freshPage("signup-errors");
    await createUser({ name: "Taken Person", email: "taken@riverside.example", password: PASSWORD });

    await page.goto("/signup");
    await page.getByRole("heading", { name: "Create your account" }).waitFor();

    await fillSignup(page, { ...person, password: "short", orgName });
    await page.getByRole("button", { name: "Create account", exact: true }).click();
    expect(await fieldError(page, "password")).toBe("Use at least 10 characters");
    expect(pathOf(page)).toBe("/signup");
    // What the person typed is kept (except the password).
    expect(await page.getByLabel("Your name", { exact: true }).inputValue()).toBe(person.name);
    expect(await page.getByLabel("Work email", { exact: true }).inputValue()).toBe(person.email);
    expect(await page.getByLabel("Organization name", { exact: true }).inputValue()).toBe(orgName);
    expect(await page.getByLabel("Password", { exact: true }).inputValue()).toBe("");
    await screenshot(page, "signup-weak-password");

    await fillSignup(page, { ...person, email: "taken@riverside.example", orgName });
    await page.getByRole("button", { name: "Create account", exact: true }).click();
    expect(await fieldError(page, "email")).toBe("An account with this email already exists. Sign in instead.");
    expect(await page.locator("#password-error").count()).toBe(0);
    expect(pathOf(page)).toBe("/signup");

    // Neither attempt created anything.
    expect(await db.select().from(users).where(eq(users.email, person.email))).toHaveLength(0);
    expect(await db.select().from(orgs).where(eq(orgs.name, orgName))).toHaveLength(0);
    expect(pageErrors).toEqual([]);
  });

  it("signs up into a new org, signs out, is refused a wrong password, and signs back in", async () => {
    const page = await freshPage("signup-signin");

    await page.goto("/signup");
    await fillSignup(page, { ...person, orgName });
    await page.getByRole("button", { name: "Create account", exact: true }).click();

    await page.waitForURL((url) => url.pathname.endsWith("/conversations"), { timeout: 30_000 });
    const [org] = await db.select().from(orgs).where(eq(orgs.name, orgName));
    expect(org, "sign-up created the org").toBeDefined();
    const home = `/${org!.slug}/conversations`;
    expect(pathOf(page)).toBe(home);
    await expectInOrg(page, orgName, "Owner");
    expect(await page.getByText(person.email, { exact: true }).isVisible()).toBe(true);
    await screenshot(page, "landed-in-org");

    // Sign out → the login page, and the session is really gone.
    await page.getByRole("button", { name: "Sign out" }).click();
    await waitForPath(page, "/login");
    await page.getByRole("heading", { name: "Sign in to Switchboard" }).waitFor();
    await page.goto(home);
    await waitForPath(page, "/login");

    // Wrong password: an error on the page, still on /login.
    await page.goto("/login");
    await signIn(page, person.email, "not-the-password-1");
    const wrong = page.getByRole("alert").filter({ hasText: "Wrong email or password" }).first();
    await wrong.waitFor({ state: "visible" });
    expect(pathOf(page)).toBe("/login");
    expect(await page.getByLabel("Email", { exact: true }).inputValue()).toBe(person.email);
    await screenshot(page, "login-wrong-password");

    // Right password: back in the org.
    await signIn(page, person.email, person.password);
    await waitForPath(page, home);
    await expectInOrg(page, orgName, "Owner");
    expect(pageErrors).toEqual([]);
  });
});

describe("invitations in the browser", () => {
  it("signs up through an invitation into that org; the link then reads as used", async () => {
    const { user: owner, org } = await ownerWithOrg("Harbor");
    const { token } = await createInvitation({ orgId: org.id, role: "TEXTER", invitedBy: owner.id });
    const invitee = { name: "Ivan Texter", email: "ivan@harbor.example", password: "lighthouse-77" };

    const page = await freshPage("invite-accept");
    await page.goto(`/invite/${token}`);
    await page.getByRole("heading", { name: `Join ${org.name}` }).waitFor();
    expect(await page.getByLabel("Organization name").count()).toBe(0);
    await fillSignup(page, invitee);
    await page.getByRole("button", { name: "Create account and join", exact: true }).click();

    await waitForPath(page, `/${org.slug}/conversations`);
    await expectInOrg(page, org.name, "Texter");
    await screenshot(page, "invite-landed-in-org");

    const [joined] = await db
      .select({ role: memberships.role })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.orgId, org.id), eq(users.email, invitee.email)));
    expect(joined?.role).toBe("TEXTER");

    // The same link again, signed in as the invitee, and from someone else's browser.
    for (const again of [page, await freshPage("invite-reuse")]) {
      await again.goto(`/invite/${token}`);
      await again.getByRole("heading", { name: "This invitation can't be used" }).waitFor();
      expect(await again.getByRole("alert").filter({ hasText: "already been used" }).count()).toBe(1);
      expect(await again.getByLabel("Your name").count()).toBe(0);
    }
    expect(pageErrors).toEqual([]);
  });

  it("says an expired invitation has expired, and offers no form", async () => {
    const { user: owner, org } = await ownerWithOrg("Expired");
    const { token, invitation } = await createInvitation({ orgId: org.id, role: "TEXTER", invitedBy: owner.id });
    await db
      .update(invitations)
      .set({ expiresAt: new Date(Date.now() - 60_000) })
      .where(eq(invitations.id, invitation.id));

    const page = await freshPage("invite-expired");
    await page.goto(`/invite/${token}`);
    await page.getByRole("heading", { name: "This invitation can't be used" }).waitFor();
    expect(await page.getByRole("alert").filter({ hasText: "expired" }).count()).toBe(1);
    expect(await page.getByLabel("Your name").count()).toBe(0);
    expect(await page.getByRole("button", { name: /Create account/ }).count()).toBe(0);
    await screenshot(page, "invite-expired");
    expect(pageErrors).toEqual([]);
  });
});
