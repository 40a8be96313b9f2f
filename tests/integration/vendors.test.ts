import { randomUUID } from "node:crypto";
import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db";
import { auditLog } from "@/db/schema/audit-log";
import { orgs } from "@/db/schema/orgs";
import { phoneNumbers } from "@/db/schema/phone-numbers";
import { vendorAccounts } from "@/db/schema/vendor-accounts";
import { buildVendorContext, decryptAccountSecrets } from "@/lib/vendors/context";
import { startApp, type RunningApp } from "../helpers/app";
import { memberOf, ownerWithOrg, PASSWORD } from "../helpers/fixtures";
import { HttpSession, listActions } from "../helpers/http-session";

/**
 * The Vendors pages and actions as an owner uses them, over HTTP against the production
 * build, with the database as the witness. The tests share one account and run in order.
 */
type Failure = { ok: false; status: number; error: string; fieldErrors?: Record<string, string> };
type Success<T> = { ok: true; data: T };
type Result<T> = Success<T> | Failure;

const SECRET = "super-secret-value-123";
const NEW_SECRET = "another-secret-value-456";
const ACTIONS = "lib/actions/vendors.ts";

let app: RunningApp;
let owner: Awaited<ReturnType<typeof ownerWithOrg>>;
let session: HttpSession;
let accountId: string;
/** Every action result the owner received, to prove no secret ever came back. */
const results: unknown[] = [];

beforeAll(async () => {
  owner = await ownerWithOrg("Vendors");
  app = await startApp();
  session = await HttpSession.signIn(app.url, owner.user.email, PASSWORD);
});

afterAll(async () => {
  await app?.stop();
});

const vendorsPath = () => `/${owner.org.slug}/vendors`;
const accountPath = (tab?: string) => `${vendorsPath()}/${accountId}${tab ? `?tab=${tab}` : ""}`;

async function call<T>(
  name: string,
  input: Record<string, unknown>,
  as: HttpSession = session,
  slug = owner.org.slug,
): Promise<Result<T>> {
  const { result } = await as.callAction<Result<T>>(`${ACTIONS}#${name}`, [slug, null, input], `/${slug}/vendors`);
  results.push(result);
  return result;
}

/** A successful delete redirects to the list (as React's client would follow it); answers where to. */
async function deleteAccount(input: { accountId: string; confirmName: string }): Promise<string | null> {
  const response = await session.request(`${vendorsPath()}/${input.accountId}`, {
    method: "POST",
    headers: {
      "next-action": listActions().get(`${ACTIONS}#deleteVendorAccountAction`)!,
      accept: "text/x-component",
      "content-type": "text/plain;charset=UTF-8",
    },
    body: JSON.stringify([owner.org.slug, null, input]),
  });
  const body = await response.text();
  results.push(body);
  return response.headers.get("x-action-redirect");
}

/** A page as HTML, or with rsc as the flight payload the client router fetches (Next first redirects to add its `_rsc` cache-busting parameter). */
async function page(path: string, as: HttpSession = session, rsc = false): Promise<{ status: number; body: string }> {
  const init = rsc ? { headers: { RSC: "1" } } : {};
  let response = await as.request(path, init);
  if (rsc && response.status === 307) response = await as.request(response.headers.get("location")!, init);
  if (rsc && response.ok) expect(response.headers.get("content-type")).toContain("text/x-component");
  return { status: response.status, body: await response.text() };
}

/** The <input> named `name` in a page's HTML, whatever the order of its attributes. */
function inputNamed(html: string, name: string): string {
  const tag = html.match(/<input[^>]*>/g)?.find((t) => t.includes(` name="${name}"`));
  if (!tag) throw new Error(`no input named ${name}`);
  return tag;
}

async function loadAccount(id = accountId) {
  const [row] = await db.select().from(vendorAccounts).where(eq(vendorAccounts.id, id));
  return row;
}

/** The list page's table row for one account, by its name. */
async function listRow(name: string): Promise<string> {
  const { body } = await page(vendorsPath());
  const row = body.split("<tr").find((chunk) => chunk.includes(`>${name}</a>`));
  if (!row) throw new Error(`no row for ${name} on the list page`);
  return row;
}

describe("vendor accounts", () => {
  it("shows an empty state with a way to add the first account", async () => {
    const { status, body } = await page(vendorsPath());
    expect(status).toBe(200);
    expect(body).toContain("Connect your first vendor account");
    expect(body).toContain(`href="${vendorsPath()}/new"`);
    const chooser = await page(`${vendorsPath()}/new`);
    expect(chooser.body).toContain("Fake vendor");
    expect(chooser.body).toContain(`href="${vendorsPath()}/new?kind=fake"`);
    const form = await page(`${vendorsPath()}/new?kind=fake`);
    expect(form.body).toContain("Delivery report delay (ms)");
    const secretInput = inputNamed(form.body, "webhookSecret");
    expect(secretInput).toContain('type="password"');
    expect(secretInput).toMatch(/autocomplete="off"/i);
    expect(inputNamed(form.body, "deliveryDelayMs")).toContain('type="number"');
  });

  it("creates an account and keeps its secret only as ciphertext", async () => {
    const created = await call<{ id: string; name: string }>("saveVendorAccountAction", {
      kind: "fake",
      name: "Main fake",
      deliveryDelayMs: "250",
      webhookSecret: SECRET,
    });
    expect(created).toMatchObject({ ok: true, data: { name: "Main fake" } });
    accountId = (created as Success<{ id: string }>).data.id;
    expect(Object.keys((created as Success<object>).data).sort()).toEqual(["id", "name"]);

    const row = (await loadAccount())!;
    expect(row).toMatchObject({
      orgId: owner.org.id,
      kind: "fake",
      name: "Main fake",
      enabled: true,
      config: { deliveryDelayMs: 250 },
    });
    expect(row.config).not.toHaveProperty("webhookSecret");
    expect(JSON.stringify(row.secrets)).not.toContain(SECRET);
    expect(Object.keys(row.secrets)).toEqual(["webhookSecret"]);
    for (const value of Object.values(row.secrets)) expect(value).toMatch(/^sb1\./);
    expect(decryptAccountSecrets(row)).toEqual({ webhookSecret: SECRET });
  });

  it("keeps a secret when its field is left blank, and replaces it when a new one is typed", async () => {
    const kept = await call("saveVendorAccountAction", {
      accountId,
      kind: "fake",
      name: "Main fake",
      deliveryDelayMs: "300",
      webhookSecret: "",
    });
    expect(kept).toMatchObject({ ok: true });
    let row = (await loadAccount())!;
    expect(row.config).toEqual({ deliveryDelayMs: 300 });
    expect(decryptAccountSecrets(row).webhookSecret).toBe(SECRET);

    const replaced = await call("saveVendorAccountAction", {
      accountId,
      kind: "fake",
      name: "Main fake",
      deliveryDelayMs: "300",
      webhookSecret: NEW_SECRET,
    });
    expect(replaced).toMatchObject({ ok: true });
    row = (await loadAccount())!;
    expect(decryptAccountSecrets(row).webhookSecret).toBe(NEW_SECRET);
    expect(JSON.stringify(row)).not.toContain(NEW_SECRET);

    // Back to the first secret, so the sweep below looks for both.
    await call("saveVendorAccountAction", {
      accountId,
      kind: "fake",
      name: "Main fake",
      deliveryDelayMs: "300",
      webhookSecret: SECRET,
    });
    expect(decryptAccountSecrets((await loadAccount())!).webhookSecret).toBe(SECRET);
  });

  it("names the field at fault and changes nothing", async () => {
    const before = await loadAccount();
    const negative = await call("saveVendorAccountAction", { accountId, kind: "fake", name: "Main fake", deliveryDelayMs: "-5" });
    expect(negative).toMatchObject({ ok: false, status: 422 });
    expect((negative as Failure).fieldErrors?.deliveryDelayMs).toMatch(/0 or more/);

    const short = await call("saveVendorAccountAction", { accountId, kind: "fake", name: "Main fake", webhookSecret: "tiny" });
    expect((short as Failure).fieldErrors?.webhookSecret).toMatch(/at least 8/);
    expect(JSON.stringify(short)).not.toContain("tiny");

    const unnamed = await call("saveVendorAccountAction", { accountId, kind: "fake", name: "  " });
    expect((unnamed as Failure).fieldErrors?.name).toBeTruthy();

    const unknown = await call("saveVendorAccountAction", { kind: "carrier-pigeon", name: "Birds" });
    expect(unknown).toMatchObject({ ok: false, status: 422 });
    expect((unknown as Failure).fieldErrors?.kind).toMatch(/fake/);
    expect((unknown as Failure).error).toMatch(/kind/);

    const noKind = await call("saveVendorAccountAction", { name: "Nothing" });
    expect(noKind).toMatchObject({ ok: false, status: 422 });
    expect((noKind as Failure).fieldErrors?.kind).toBeTruthy();

    expect(await loadAccount()).toEqual(before);
    expect(await db.select().from(vendorAccounts).where(eq(vendorAccounts.orgId, owner.org.id))).toHaveLength(1);
  });

  it("tests the connection and answers in words", async () => {
    const tested = await call<{ ok: boolean; detail: string }>("testVendorConnectionAction", { accountId });
    expect(tested).toMatchObject({ ok: true, data: { ok: true } });
    expect((tested as Success<{ detail: string }>).data.detail).toMatch(/ready.*300 ms/);
  });

  it("lists a logged request on the Logs tab, with secrets redacted", async () => {
    const empty = await page(accountPath("logs"));
    expect(empty.body).toContain("No requests yet");

    const { ctx } = buildVendorContext((await loadAccount())!);
    await ctx.http.request({ method: "GET", url: `${app.url}/api/health?probe=logs-tab&key=${SECRET}` });
    const { status, body } = await page(accountPath("logs"));
    expect(status).toBe(200);
    expect(body).toContain(`${app.url}/api/health?probe=logs-tab&amp;key=[redacted]`);
    expect(body).toMatch(/>GET</);
    expect(body).toMatch(/>200</);
    expect(body).toContain("<details");
    expect(body).toContain("Response body");
    expect(body).toContain("database");
    expect(body).not.toContain(SECRET);
    expect((await listRow("Main fake")).includes("No activity yet")).toBe(false);
  });

  it("never sends a secret to the browser, in HTML or in the RSC payload", async () => {
    const paths = [
      vendorsPath(),
      `${vendorsPath()}/new`,
      `${vendorsPath()}/new?kind=fake`,
      accountPath(),
      accountPath("settings"),
      accountPath("webhooks"),
      accountPath("logs"),
    ];
    for (const path of paths) {
      for (const rsc of [false, true]) {
        const { status, body } = await page(path, session, rsc);
        expect(status, path).toBe(200);
        for (const secret of [SECRET, NEW_SECRET]) {
          expect(body, `${path}${rsc ? " (RSC)" : ""}`).not.toContain(secret);
          expect(body).not.toContain(Buffer.from(secret).toString("base64").replace(/=+$/, ""));
        }
      }
    }
    for (const result of results) expect(JSON.stringify(result)).not.toMatch(new RegExp(`${SECRET}|${NEW_SECRET}`));

    const settings = (await page(accountPath("settings"))).body;
    const secretInput = inputNamed(settings, "webhookSecret");
    expect(secretInput).toContain('type="password"');
    expect(secretInput).toContain('placeholder="&lt;Encrypted&gt;"');
    expect(secretInput).toContain('value=""');
    expect(settings).toMatch(/Leave blank to keep/i);
    // The flight payload checked above is the real one: it carries the form's props, secrets as names only.
    expect((await page(accountPath("settings"), session, true)).body).toContain('"secretsSet":["webhookSecret"]');
    // The non-secret setting is shown as saved.
    expect(inputNamed(settings, "deliveryDelayMs")).toContain('value="300"');
  });

  it("shows each webhook URL with where to paste it", async () => {
    const row = (await loadAccount())!;
    const { body } = await page(accountPath("webhooks"));
    for (const action of ["inbound", "status"]) {
      expect(body).toContain(`/api/webhooks/fake/${row.webhookToken}/${action}`);
    }
    expect(body).toContain("Copy URL");
    expect(body).toMatch(/paste this as the status callback/);
  });

  it("enables, disables and picks the default, as the list shows", async () => {
    expect(await listRow("Main fake")).toMatch(/>Enabled</);
    expect(await listRow("Main fake")).toMatch(/>Fully configured</);
    expect(await listRow("Main fake")).not.toMatch(/>Default</);

    expect(await call("setVendorAccountEnabledAction", { accountId, enabled: false })).toMatchObject({ ok: true });
    expect((await loadAccount())!.enabled).toBe(false);
    expect(await listRow("Main fake")).toMatch(/>Disabled</);
    expect(await call("setVendorAccountEnabledAction", { accountId, enabled: "true" })).toMatchObject({ ok: true });
    expect(await listRow("Main fake")).toMatch(/>Enabled</);
    expect(await call("setVendorAccountEnabledAction", { accountId, enabled: "maybe" })).toMatchObject({
      ok: false,
      status: 422,
      fieldErrors: { enabled: expect.any(String) },
    });

    const backup = (await call<{ id: string }>("saveVendorAccountAction", { kind: "fake", name: "Backup fake" })) as Success<{
      id: string;
    }>;
    expect(await call("setDefaultVendorAccountAction", { accountId })).toMatchObject({ ok: true });
    expect(await listRow("Main fake")).toMatch(/>Default</);
    expect(await listRow("Backup fake")).not.toMatch(/>Default</);
    expect((await page(accountPath())).body).not.toContain(">Make default<");

    expect(await call("setDefaultVendorAccountAction", { accountId: backup.data.id })).toMatchObject({ ok: true });
    expect(await listRow("Main fake")).not.toMatch(/>Default</);
    expect(await listRow("Backup fake")).toMatch(/>Default</);
    expect((await page(accountPath())).body).toContain(">Make default<");
    const [org] = await db.select({ features: orgs.features }).from(orgs).where(eq(orgs.id, owner.org.id));
    expect(org!.features.DEFAULT_SERVICE).toBe(backup.data.id);

    expect(await deleteAccount({ accountId: backup.data.id, confirmName: "Backup fake" })).toMatch(
      /\/vendors\?deleted=Backup%20fake/,
    );
    const [after] = await db.select({ features: orgs.features }).from(orgs).where(eq(orgs.id, owner.org.id));
    expect(after!.features.DEFAULT_SERVICE).toBeUndefined();
  });

  it("refuses to delete an account while a number uses it, in words, then deletes it", async () => {
    const [number] = await db
      .insert(phoneNumbers)
      .values({ orgId: owner.org.id, vendorAccountId: accountId, e164: "+12015550123" })
      .returning();
    const { body } = await page(vendorsPath());
    expect(body).toMatch(/>1<\/td>/);

    const refused = await call("deleteVendorAccountAction", { accountId, confirmName: "Main fake" });
    expect(refused).toMatchObject({ ok: false, status: 409 });
    expect((refused as Failure).error).toMatch(/can't be deleted while it has 1 phone number \(release or move/);
    expect(await loadAccount()).toBeDefined();

    const mistyped = await call("deleteVendorAccountAction", { accountId, confirmName: "Main" });
    expect(mistyped).toMatchObject({
      ok: false,
      status: 422,
      fieldErrors: { confirmName: expect.stringContaining("Main fake") },
    });

    await db.delete(phoneNumbers).where(eq(phoneNumbers.id, number!.id));
    const redirectedTo = await deleteAccount({ accountId, confirmName: "Main fake" });
    expect(redirectedTo).toMatch(new RegExp(`^/${owner.org.slug}/vendors\\?deleted=Main%20fake`));
    expect(await loadAccount()).toBeUndefined();
    const list = (await page(redirectedTo!.split(";")[0]!)).body;
    expect(list).toContain("Deleted the vendor account “Main fake”.");
    expect(list).toContain("Connect your first vendor account");
    expect((await page(accountPath())).body).not.toContain("Main fake");
    expect(await call("testVendorConnectionAction", { accountId })).toMatchObject({ ok: false, status: 404 });
  });

  it("audits create, update and delete by field name, never a value", async () => {
    const entries = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.orgId, owner.org.id), eq(auditLog.targetId, accountId)));
    const byAction = (action: string) => entries.filter((e) => e.action === action);
    expect(byAction("vendor_account.create")).toHaveLength(1);
    expect(byAction("vendor_account.create")[0]!.details).toEqual({
      kind: "fake",
      fields: ["deliveryDelayMs"],
      secretsChanged: ["webhookSecret"],
    });
    expect(byAction("vendor_account.update").map((e) => e.details)).toEqual(
      expect.arrayContaining([
        { kind: "fake", fields: ["deliveryDelayMs"], secretsChanged: [] },
        { kind: "fake", fields: [], secretsChanged: ["webhookSecret"] },
      ]),
    );
    expect(byAction("vendor_account.delete")).toHaveLength(1);
    expect(entries.map((e) => e.action)).toEqual(
      expect.arrayContaining(["vendor_account.disable", "vendor_account.enable", "vendor_account.set_default"]),
    );
    expect(entries.every((e) => e.actorUserId === owner.user.id)).toBe(true);

    const everything = JSON.stringify(await db.select().from(auditLog));
    expect(everything).not.toContain(SECRET);
    expect(everything).not.toContain(NEW_SECRET);
  });
});

describe("who may use the vendor pages", () => {
  let otherAccountId: string;
  beforeAll(async () => {
    const created = (await call<{ id: string }>("saveVendorAccountAction", {
      kind: "fake",
      name: "Guarded",
      webhookSecret: SECRET,
    })) as Success<{ id: string }>;
    otherAccountId = created.data.id;
  });

  it.each(["TEXTER", "ADMIN"] as const)("refuses the %s role: 403 from every action, 404 from every page", async (role) => {
    const member = await memberOf(owner.org.id, "Vendors", role);
    const as = await HttpSession.signIn(app.url, member.user.email, PASSWORD);
    const base = vendorsPath();
    for (const path of [
      base,
      `${base}/new`,
      `${base}/new?kind=fake`,
      `${base}/${otherAccountId}`,
      `${base}/${otherAccountId}?tab=webhooks`,
      `${base}/${otherAccountId}?tab=logs`,
    ]) {
      const { status, body } = await page(path, as);
      expect(status, path).toBe(404);
      expect(body).not.toContain("Guarded");
    }
    const attempts: [string, Record<string, unknown>][] = [
      ["saveVendorAccountAction", { accountId: otherAccountId, kind: "fake", name: "Taken over" }],
      ["saveVendorAccountAction", { kind: "fake", name: "New one" }],
      ["testVendorConnectionAction", { accountId: otherAccountId }],
      ["setVendorAccountEnabledAction", { accountId: otherAccountId, enabled: false }],
      ["setDefaultVendorAccountAction", { accountId: otherAccountId }],
      ["deleteVendorAccountAction", { accountId: otherAccountId, confirmName: "Guarded" }],
    ];
    for (const [name, input] of attempts) {
      expect(await call(name, input, as), name).toMatchObject({ ok: false, status: 403 });
    }
    const rows = await db.select().from(vendorAccounts).where(eq(vendorAccounts.orgId, owner.org.id));
    expect(rows.map((r) => [r.name, r.enabled])).toEqual([["Guarded", true]]);
  });

  it("answers 404 for an account of another org and for an unknown id", async () => {
    const stranger = await ownerWithOrg("Stranger");
    const as = await HttpSession.signIn(app.url, stranger.user.email, PASSWORD);
    for (const id of [otherAccountId, randomUUID(), "not-a-uuid"]) {
      expect(await call("testVendorConnectionAction", { accountId: id }, as, stranger.org.slug)).toMatchObject({
        ok: false,
        status: 404,
      });
      expect(
        await call("saveVendorAccountAction", { accountId: id, kind: "fake", name: "Mine now" }, as, stranger.org.slug),
      ).toMatchObject({ ok: false, status: 404 });
      // No loading boundary sits above the page, so the missing account is a real HTTP 404.
      const { status, body } = await page(`/${stranger.org.slug}/vendors/${id}`, as);
      expect(status).toBe(404);
      expect(body).not.toContain("Guarded");
    }
    const [row] = await db
      .select()
      .from(vendorAccounts)
      .where(inArray(vendorAccounts.id, [otherAccountId]));
    expect(row!.name).toBe("Guarded");
  });
});
