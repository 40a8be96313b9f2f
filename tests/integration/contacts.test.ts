import type { ChildProcess } from "node:child_process";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db";
import { auditLog } from "@/db/schema/audit-log";
import { contacts } from "@/db/schema/contacts";
import { MAX_CSV_ROWS } from "@/lib/contacts-csv";
import { saveVendorAccount, setDefaultVendorAccount } from "@/lib/vendors/accounts";
import { spawnTs, startApp, stopProcess, type RunningApp } from "../helpers/app";
import { memberOf, ownerWithOrg, PASSWORD } from "../helpers/fixtures";
import { HttpSession } from "../helpers/http-session";

type Failure = { ok: false; status: number; error: string; fieldErrors?: Record<string, string> };
type Report = {
  imported: number;
  updated: number;
  unchanged: number;
  skipped: number;
  blankLines: number;
  bad: { line: number; endLine: number; reason: string; value: string }[];
  lookupQueued: boolean;
};
type Result<T> = { ok: true; data: T } | Failure;

const ACTIONS = "lib/actions/contacts.ts";

let app: RunningApp;
beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app?.stop();
});

/** A fresh org with a signed-in owner, so each test's contacts are its own. */
async function orgWithOwner(label: string) {
  const { user, org } = await ownerWithOrg(label);
  const session = await HttpSession.signIn(app.url, user.email, PASSWORD);
  const call = async <T>(action: string, input: Record<string, unknown>, as: HttpSession = session) =>
    (await as.callAction<Result<T>>(`${ACTIONS}#${action}`, [org.slug, null, input], `/${org.slug}/contacts`)).result;
  return { user, org, session, call };
}

async function contactsOf(orgId: string) {
  return db.select().from(contacts).where(eq(contacts.orgId, orgId)).orderBy(asc(contacts.e164));
}

const FIRST_IMPORT = [
  "first_name,last_name,phone,ward",
  "Ada,Lovelace,(202) 555-0100,3",
  'Grace,Hopper,"202-555-0101",7',
  '"Multi',
  'Line",Name,202 555 0102,1',
  "Bad,Number,555-12,2",
  "Dup,Row,+1 202 555 0100,9",
  "",
].join("\n");

describe("CSV import", () => {
  it("imports the good rows, reports each bad row by its line, and updates on re-import", async () => {
    const { org, call } = await orgWithOwner("Importer");
    const first = await call<Report>("importContactsAction", { csv: FIRST_IMPORT });
    if (!first.ok) throw new Error(first.error);
    expect(first.data).toMatchObject({ imported: 3, updated: 0, unchanged: 0, skipped: 2, lookupQueued: true });
    expect(first.data.bad).toEqual([
      { line: 6, endLine: 6, reason: "phone: Not a valid number for US", value: "555-12" },
      { line: 7, endLine: 7, reason: "duplicate of line 2", value: "+1 202 555 0100" },
    ]);
    const stored = await contactsOf(org.id);
    expect(stored.map((c) => [c.e164, c.firstName, c.lastName, c.customFields])).toEqual([
      ["+12025550100", "Ada", "Lovelace", { ward: "3" }],
      ["+12025550101", "Grace", "Hopper", { ward: "7" }],
      ["+12025550102", "Multi\nLine", "Name", { ward: "1" }],
    ]);

    const second = await call<Report>("importContactsAction", {
      csv: "phone,first_name,last_name,ward,team\n2025550100,Ada,Lovelace,4,\n2025550101,Grace,Hopper,7,\n2025550103,Linus,,,Blue\n",
      mapping: { hasHeader: true, phone: 0, firstName: 1, lastName: 2, custom: [3, 4] },
    });
    if (!second.ok) throw new Error(second.error);
    expect(second.data).toMatchObject({ imported: 1, updated: 1, unchanged: 1, skipped: 0, bad: [] });
    const after = await contactsOf(org.id);
    expect(after).toHaveLength(4);
    expect(after.find((c) => c.e164 === "+12025550100")?.customFields).toEqual({ ward: "4" });
    expect(after.find((c) => c.e164 === "+12025550103")).toMatchObject({
      firstName: "Linus",
      lastName: "",
      customFields: { team: "Blue" },
    });

    const audits = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.orgId, org.id), eq(auditLog.action, "contact.import")))
      .orderBy(asc(auditLog.at));
    expect(audits.map((a) => a.details)).toEqual([
      { rows: 5, imported: 3, updated: 0, unchanged: 0, skipped: 2 },
      { rows: 3, imported: 1, updated: 1, unchanged: 1, skipped: 0 },
    ]);
    // No one's number or name in the audit log. (Not just /555/: a row's random UUIDs contain "555" about one run in thirty.)
    expect(JSON.stringify(audits)).not.toMatch(/2025550|555-01|Lovelace|Hopper|Linus/);
  });

  it("imports nothing from a structurally broken file, and names the line", async () => {
    const { org, call } = await orgWithOwner("Broken");
    const csv = 'first_name,phone\nAda,2025550110\n"Grace,2025550111\nLinus,2025550112\n';
    const preview = (await call("previewContactsCsvAction", { csv })) as Failure;
    expect(preview).toMatchObject({ ok: false, status: 422 });
    expect(preview.error).toMatch(/^Line 3: a quoted cell starts on this line and its closing quote/);
    const result = (await call("importContactsAction", { csv })) as Failure;
    expect(result).toMatchObject({ ok: false, status: 422 });
    expect(result.error).toMatch(/^Line 3: .*Nothing was imported/);
    expect(await contactsOf(org.id)).toEqual([]);
  });

  it("refuses a file without a phone column, and an empty one, with a clear message", async () => {
    const { org, call } = await orgWithOwner("NoPhone");
    const csv = "first_name,last_name,email\nAda,Lovelace,ada@example.org\n";
    const preview = await call<{ mapping: { phone: number | null }; columns: { label: string }[] }>("previewContactsCsvAction", {
      csv,
    });
    expect(preview.ok && preview.data.mapping.phone).toBeNull();
    const result = (await call("importContactsAction", { csv })) as Failure;
    expect(result).toMatchObject({ ok: false, status: 422, error: expect.stringMatching(/No column of phone numbers/) });
    expect(await call("importContactsAction", { csv: "" })).toMatchObject({
      ok: false,
      status: 422,
      error: "The file is empty.",
    });
    expect(await contactsOf(org.id)).toEqual([]);
  });

  it("shows the mapping step's guess: header, columns and sample values", async () => {
    const { call } = await orgWithOwner("Preview");
    const preview = await call<{
      hasHeader: boolean;
      rowCount: number;
      mapping: object;
      columns: { label: string; samples: string[] }[];
    }>("previewContactsCsvAction", { csv: FIRST_IMPORT });
    if (!preview.ok) throw new Error(preview.error);
    expect(preview.data).toMatchObject({
      hasHeader: true,
      rowCount: 5,
      mapping: { phone: 2, firstName: 0, lastName: 1, custom: [3] },
    });
    expect(preview.data.columns.map((c) => c.label)).toEqual(["first_name", "last_name", "phone", "ward"]);
  });
});

describe("adding and editing", () => {
  it("normalises the number, refuses bad and duplicate ones at the field, and audits", async () => {
    const { org, call } = await orgWithOwner("Editor");
    const bad = (await call("createContactAction", { firstName: "Ada", e164: "555-12" })) as Failure;
    expect(bad).toMatchObject({ ok: false, status: 422, fieldErrors: { e164: "Not a valid number for US" } });
    const letters = (await call("createContactAction", { firstName: "Ada", e164: "call me" })) as Failure;
    expect(letters.fieldErrors?.e164).toBe("Contains letters");

    const created = await call<{ id: string; e164: string }>("createContactAction", {
      firstName: " Ada ",
      lastName: "Lovelace",
      e164: "(202) 555-0150",
      customFields: { ward: "3" },
    });
    if (!created.ok) throw new Error(created.error);
    expect(created.data.e164).toBe("+12025550150");
    const second = await call<{ id: string }>("createContactAction", {
      firstName: "Grace",
      e164: "202.555.0151",
      customFields: JSON.stringify([{ key: "team", value: "Blue" }]),
    });
    if (!second.ok) throw new Error(second.error);

    const duplicate = (await call("createContactAction", { firstName: "Other", e164: "+1 202 555 0150" })) as Failure;
    expect(duplicate).toMatchObject({ ok: false, status: 409 });
    expect(duplicate.error).toBe("(202) 555-0150 is already a contact (Ada Lovelace).");
    expect(duplicate.fieldErrors?.e164).toBe(duplicate.error);

    const onEdit = (await call("updateContactAction", {
      contactId: second.data.id,
      firstName: "Grace",
      e164: "2025550150",
    })) as Failure;
    expect(onEdit).toMatchObject({ ok: false, status: 409, error: "(202) 555-0150 is already a contact (Ada Lovelace)." });
    const badEdit = (await call("updateContactAction", { contactId: second.data.id, firstName: "Grace", e164: "12" })) as Failure;
    expect(badEdit).toMatchObject({ ok: false, status: 422, fieldErrors: { e164: expect.stringMatching(/Not a valid number/) } });
    const unknown = (await call("updateContactAction", {
      contactId: "00000000-0000-0000-0000-000000000000",
      e164: "2025550152",
    })) as Failure;
    expect(unknown).toMatchObject({ ok: false, status: 404 });

    await db
      .update(contacts)
      .set({ statusCode: -1, carrier: "Old Co", lookedUpAt: new Date() })
      .where(eq(contacts.id, second.data.id));
    const edited = await call("updateContactAction", {
      contactId: second.data.id,
      firstName: "Grace",
      lastName: "Hopper",
      e164: "(202) 555-0153",
      customFields: {},
    });
    expect(edited).toMatchObject({ ok: true });
    const stored = await contactsOf(org.id);
    expect(stored.map((c) => [c.e164, c.firstName, c.lastName, c.customFields])).toEqual([
      ["+12025550150", "Ada", "Lovelace", { ward: "3" }],
      ["+12025550153", "Grace", "Hopper", {}],
    ]);
    // A new number forgets what the old one's lookup found.
    expect(stored[1]).toMatchObject({ statusCode: 0, carrier: null, lookedUpAt: null });

    const audits = await db
      .select({ action: auditLog.action, details: auditLog.details })
      .from(auditLog)
      .where(and(eq(auditLog.orgId, org.id), inArray(auditLog.action, ["contact.create", "contact.update"])))
      .orderBy(asc(auditLog.at));
    expect(audits).toEqual([
      { action: "contact.create", details: { customFields: 1 } },
      { action: "contact.create", details: { customFields: 1 } },
      { action: "contact.update", details: { fields: ["e164", "lastName", "customFields"] } },
    ]);
  });
});

describe("the contacts page", () => {
  it("filters by status, searches by name or number typed any way, and pages on", async () => {
    const { org, session } = await orgWithOwner("Lister");
    const base = { orgId: org.id, lookedUpAt: new Date() };
    await db.insert(contacts).values([
      { ...base, e164: "+12025550160", firstName: "Tess", lastName: "Abbott", statusCode: 0, carrier: "Fake Mobile" },
      { ...base, e164: "+12025550161", firstName: "Lara", lastName: "Barlow", statusCode: -1 },
      { ...base, e164: "+12025550162", firstName: "Ivan", lastName: "Cortez", statusCode: -2 },
      { ...base, e164: "+442079460958", firstName: "Will", lastName: "Dunmore", statusCode: -3 },
      { ...base, e164: "+12025550164", firstName: "Eli", lastName: "Ellery", statusCode: -4 },
      { ...base, e164: "+12025550165", firstName: "Otto", lastName: "Fairfax", statusCode: 0, optedOutAt: new Date() },
      { orgId: org.id, e164: "+12025550166", firstName: "Nell", lastName: "Gosling" },
    ]);
    const page = async (query: string) => {
      const response = await session.request(`/${org.slug}/contacts${query}`);
      expect(response.status).toBe(200);
      return response.text();
    };
    const names = ["Abbott", "Barlow", "Cortez", "Dunmore", "Ellery", "Fairfax", "Gosling"];
    const shown = (html: string) => names.filter((n) => html.includes(n));

    const all = await page("");
    expect(shown(all)).toEqual(names);
    for (const words of ["Textable", "Landline", "Invalid", "Wrong country", "Lookup failed", "Opted out", "Not looked up yet"])
      expect(all).toContain(words);
    expect(all).toContain("(202) 555-0160");
    expect(shown(await page("?filter=textable"))).toEqual(["Abbott", "Gosling"]);
    expect(shown(await page("?filter=landline"))).toEqual(["Barlow"]);
    expect(shown(await page("?filter=invalid"))).toEqual(["Cortez", "Dunmore"]);
    expect(shown(await page("?filter=lookup-error"))).toEqual(["Ellery"]);
    expect(shown(await page("?filter=opted-out"))).toEqual(["Fairfax"]);
    expect(shown(await page(`?q=${encodeURIComponent("(202) 555-0161")}`))).toEqual(["Barlow"]);
    expect(shown(await page(`?q=${encodeURIComponent("+44 20 7946 0958")}`))).toEqual(["Dunmore"]);
    expect(shown(await page("?q=555016"))).toEqual(names.filter((n) => n !== "Dunmore"));
    expect(shown(await page("?q=tess"))).toEqual(["Abbott"]);
    expect(shown(await page("?q=lara+barlow&filter=landline"))).toEqual(["Barlow"]);
    expect(await page("?q=nobody")).toContain("No contacts match");

    // 60 rows from one statement share created_at: the id has to break the tie.
    await db
      .insert(contacts)
      .values(
        Array.from({ length: 60 }, (_, i) => ({
          orgId: org.id,
          e164: `+1303555${String(1000 + i)}`,
          firstName: "Bulk",
          lastName: `Person${String(i).padStart(2, "0")}`,
        })),
      );
    const seen = new Set<string>();
    let html = await page("?q=bulk");
    for (let pages = 0; pages < 5; pages++) {
      for (const match of html.matchAll(/Bulk Person(\d\d)/g)) seen.add(match[1]!);
      const next = /href="([^"]*after=[^"]+)"/.exec(html)?.[1];
      if (!next) break;
      html = await (await session.request(next.replace(/&amp;/g, "&"))).text();
    }
    expect(seen.size).toBe(60);
  });

  it("shows an empty state with both ways to add contacts", async () => {
    const { org, session } = await orgWithOwner("Empty");
    const html = await (await session.request(`/${org.slug}/contacts`)).text();
    expect(html).toContain("No contacts yet");
    expect(html).toContain("Add contact");
    expect(html).toContain(`href="/${org.slug}/contacts/import"`);
  });
});

describe("roles", () => {
  it("hides contacts from texters, and keeps imports to admins", async () => {
    const { org, call } = await orgWithOwner("Roles");
    const texter = await memberOf(org.id, "Roles", "TEXTER");
    const sv = await memberOf(org.id, "Roles", "SUPERVOLUNTEER");
    const texterSession = await HttpSession.signIn(app.url, texter.user.email, PASSWORD);
    const svSession = await HttpSession.signIn(app.url, sv.user.email, PASSWORD);

    expect((await texterSession.request(`/${org.slug}/contacts`)).status).toBe(404);
    expect((await texterSession.request(`/${org.slug}/contacts/import`)).status).toBe(404);
    for (const [action, input] of [
      ["createContactAction", { firstName: "T", e164: "2025550170" }],
      ["importContactsAction", { csv: "phone\n2025550171\n" }],
    ] as const) {
      expect(await call(action, input, texterSession)).toMatchObject({ ok: false, status: 403 });
    }

    expect((await svSession.request(`/${org.slug}/contacts`)).status).toBe(200);
    const importPage = await svSession.request(`/${org.slug}/contacts/import`);
    expect(importPage.status).toBe(200);
    expect(await importPage.text()).toContain("Only admins can import contacts");
    expect(await call("importContactsAction", { csv: "phone\n2025550172\n" }, svSession)).toMatchObject({
      ok: false,
      status: 403,
    });
    expect(await call("previewContactsCsvAction", { csv: "phone\n2025550172\n" }, svSession)).toMatchObject({
      ok: false,
      status: 403,
    });
    expect(await call("createContactAction", { firstName: "Sv", e164: "2025550173" }, svSession)).toMatchObject({ ok: true });
    expect((await contactsOf(org.id)).map((c) => c.e164)).toEqual(["+12025550173"]);
  });
});

describe("lookups", () => {
  let worker: ChildProcess | undefined;
  afterAll(async () => {
    if (worker) await stopProcess(worker);
  });

  it("looks imported and added numbers up with the default vendor's free lookup", async () => {
    const { user, org, call } = await orgWithOwner("Lookup");
    const account = await saveVendorAccount(
      org.id,
      { userId: user.id, label: "test" },
      { kind: "fake", name: "Fake", values: { deliveryDelayMs: 0 } },
    );
    await setDefaultVendorAccount(org.id, account.id, { userId: user.id, label: "test" });
    worker = spawnTs("workers/run.ts", [], {});
    let workerLog = "";
    worker.stdout?.on("data", (c: Buffer) => (workerLog += c.toString()));
    worker.stderr?.on("data", (c: Buffer) => (workerLog += c.toString()));

    const imported = await call<Report>("importContactsAction", {
      csv: "name,phone\nMo Bile,2025550180\nLand Line,2025550187\nIn Valid,2025550188\nLook Error,2025550189\n",
    });
    expect(imported).toMatchObject({ ok: true, data: { imported: 4 } });
    expect(await call("createContactAction", { firstName: "Added", e164: "2025550190" })).toMatchObject({ ok: true });

    const deadline = Date.now() + 45_000;
    let rows = await contactsOf(org.id);
    while (rows.some((r) => !r.lookedUpAt) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      rows = await contactsOf(org.id);
    }
    expect(
      rows.map((r) => [r.e164, r.statusCode, r.carrier, r.lineType]),
      workerLog,
    ).toEqual([
      ["+12025550180", 0, "Fake Mobile", "mobile"],
      ["+12025550187", -1, "Fake Landline Co", "landline"],
      ["+12025550188", -2, null, "unknown"],
      ["+12025550189", -4, null, "unknown"],
      ["+12025550190", 0, "Fake Mobile", "mobile"],
    ]);
  });
});

/** Last: its thousands of queued lookups would otherwise sit ahead of the lookup test's. */
describe("limits", () => {
  it("imports a file at the row limit in one go, and refuses one row more", async () => {
    const { org, call } = await orgWithOwner("Bulk");
    // Distinct numbers in four real area codes; the few exchanges that are not valid are reported as bad rows.
    const areas = ["212", "202", "415", "312"];
    const line = (i: number) => `Person${i},Surname${i},(${areas[i % 4]}) ${String(200 + Math.floor(i / 400) % 800)}-${String(i % 10_000).padStart(4, "0")},${i % 9}`;
    const rows = Array.from({ length: MAX_CSV_ROWS }, (_, i) => line(i));
    const csv = `first,last,phone,ward\n${rows.join("\n")}\n`;
    const result = await call<Report>("importContactsAction", { csv });
    if (!result.ok) throw new Error(result.error);
    expect(result.data.imported + result.data.skipped).toBe(MAX_CSV_ROWS);
    expect(result.data.bad.every((b) => b.reason.startsWith("phone: ") || b.reason.startsWith("duplicate of line"))).toBe(true);
    const [row] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(contacts)
      .where(eq(contacts.orgId, org.id));
    expect(row!.n).toBe(result.data.imported);
    expect(row!.n).toBeGreaterThan(MAX_CSV_ROWS * 0.9);

    const over = (await call("importContactsAction", { csv: `${csv}${line(MAX_CSV_ROWS)}\n` })) as Failure;
    expect(over).toMatchObject({ ok: false, status: 422, error: expect.stringMatching(/more than 50,000 rows/) });
  });
});
