import { and, eq } from "drizzle-orm";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db";
import { numberOrders } from "@/db/schema/number-orders";
import { contacts } from "@/db/schema/contacts";
import { orgs } from "@/db/schema/orgs";
import { phoneNumbers } from "@/db/schema/phone-numbers";
import { vendorAccounts } from "@/db/schema/vendor-accounts";
import { screenshot } from "../helpers/browser";
import { browserFlowForFile, signIn } from "../helpers/browser-flow";
import { ownerWithOrg } from "../helpers/fixtures";

/**
 * An owner's first setup, as a person does it in Chromium against the production build and a
 * real worker process: connect a fake vendor account, buy two numbers on it (a pg-boss job the
 * worker runs while the page shows its progress), then import a CSV with one bad row.
 * The steps share one signed-in page and run in order; after a failed step the rest are skipped.
 */
const { start, step, pageErrors } = browserFlowForFile("vendor-setup", {
  diagnostics: async () => `--- number orders ---\n${JSON.stringify(await db.select().from(numberOrders))}`,
});
let page: Page;

let owner: Awaited<ReturnType<typeof ownerWithOrg>>;
const ACCOUNT_NAME = "Demo fake";
/** Line 1 is the header; line 3 (the second data row) has no phone number in it. */
const CSV = [
  "first_name,last_name,phone",
  "Ada,Lovelace,(212) 555-0142",
  "Bad,Row,not-a-number",
  "Grace,Hopper,(415) 555-0199",
  "",
].join("\n");

beforeAll(async () => {
  owner = await ownerWithOrg("Setup");
  ({ page } = await start());
});

function pathOf(): string {
  return new URL(page.url()).pathname;
}

async function waitForPath(pathname: string | RegExp): Promise<void> {
  await page.waitForURL((url) => (typeof pathname === "string" ? url.pathname === pathname : pathname.test(url.pathname)), {
    timeout: 30_000,
  });
}

/** A section of the org, reached from the sidebar as a person would. */
async function openFromSidebar(label: string, segment: string): Promise<void> {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: label, exact: true }).click();
  await waitForPath(`/${owner.org.slug}/${segment}`);
  await page.getByRole("heading", { level: 1, name: label }).waitFor();
}

describe("an owner sets up a vendor, numbers and contacts in the browser", () => {
  it("signs in through the login form", async ({ skip }) => {
    step("sign-in", skip);
    await signIn(page, owner.user.email, `/${owner.org.slug}/conversations`);
    await page.getByRole("heading", { level: 1, name: "Conversations" }).waitFor();
  });

  it("adds a fake vendor account, makes it the default and sees it listed", async ({ skip }) => {
    step("vendor", skip);
    await openFromSidebar("Vendors", "vendors");
    await page.getByRole("heading", { name: "Connect your first vendor account" }).waitFor();
    await page.getByRole("link", { name: "Add vendor account" }).click();

    await waitForPath(`/${owner.org.slug}/vendors/new`);
    await page.getByRole("heading", { level: 1, name: "Add a vendor account" }).waitFor();
    await page.getByRole("link", { name: /^Fake vendor/ }).click();

    await page.waitForURL((url) => url.searchParams.get("kind") === "fake", { timeout: 30_000 });
    await page.getByRole("heading", { level: 1, name: "Connect Fake vendor" }).waitFor();
    await page.getByLabel("Account name").fill(ACCOUNT_NAME);
    // The generated form shows the fake vendor's own settings, with their defaults.
    expect(await page.getByLabel("Delivery report delay (ms)").inputValue()).toBe("1500");
    await screenshot(page, "vendor-setup-1a-connect-form");
    await page.getByRole("button", { name: "Connect account" }).click();

    // The account's own page.
    await waitForPath(new RegExp(`^/${owner.org.slug}/vendors/[0-9a-f-]{36}$`));
    const accountPath = pathOf();
    await page.getByRole("heading", { level: 1, name: ACCOUNT_NAME }).waitFor();
    await page.getByText("Fully configured", { exact: true }).first().waitFor();

    // Not the default until made so; then the badge says it is.
    await page.getByRole("button", { name: "Make default" }).click();
    await page.getByRole("button", { name: "Make default" }).waitFor({ state: "detached" });
    await page.getByText("This organization's default vendor account", { exact: false }).waitFor();
    await screenshot(page, "vendor-setup-1a-account");

    // Back to the list: the account is there, linked, default, with no numbers yet.
    await page.getByRole("main").getByRole("link", { name: "Vendors", exact: true }).click();
    await waitForPath(`/${owner.org.slug}/vendors`);
    const row = page.getByRole("row").filter({ has: page.getByRole("link", { name: ACCOUNT_NAME, exact: true }) });
    await row.waitFor();
    expect(await row.getByRole("link", { name: ACCOUNT_NAME, exact: true }).getAttribute("href")).toBe(accountPath);
    for (const badge of ["Fully configured", "Enabled", "Default"]) {
      expect(await row.getByText(badge, { exact: true }).isVisible(), badge).toBe(true);
    }
    expect(await row.getByRole("cell").nth(2).textContent()).toBe("0");
    await screenshot(page, "vendor-setup-1-vendors-list");
    expect(pageErrors).toEqual([]);
  });

  it("buys two numbers in 212 and watches the order fill", async ({ skip }) => {
    step("numbers", skip);
    await openFromSidebar("Numbers", "numbers");
    await page.getByText("No numbers yet", { exact: true }).waitFor();

    // "Add a number" beside it has its own "Vendor account": work inside the buy form.
    const buy = page.getByRole("form", { name: "Buy numbers" });
    const buyButton = buy.getByRole("button", { name: "Buy numbers", exact: true });
    await buy.getByLabel("Vendor account").selectOption({ label: `${ACCOUNT_NAME} (Fake vendor)` });
    await buy.getByLabel("Area code").fill("212");
    await buy.getByLabel("How many").fill("2");
    await buyButton.click();
    await page.getByRole("status").filter({ hasText: "Order placed" }).waitFor();

    // The order's bar, polled by the page while the worker buys; record what it showed on the way.
    const bar = page.getByRole("progressbar", { name: "Order for 2 numbers in 212" });
    await bar.waitFor();
    const seen: string[] = [];
    await expect
      .poll(
        async () => {
          const text = (await bar.getAttribute("aria-valuetext")) ?? "";
          const shown = `${await bar.getAttribute("aria-valuenow")}: ${text}`;
          if (seen.at(-1) !== shown) seen.push(shown);
          return text;
        },
        { timeout: 45_000, interval: 150 },
      )
      .toBe("2 of 2 bought");
    console.log(`order progress seen: ${seen.join(" → ")}`);
    // Never went backwards, and ended full.
    const values = seen.map((s) => Number(s.split(":")[0]));
    expect(values).toEqual([...values].sort((a, b) => a - b));
    expect(await bar.getAttribute("aria-valuenow")).toBe("2");
    // And the bar is drawn full once its width transition has run.
    const filled = () =>
      bar.evaluate((el) => el.firstElementChild!.getBoundingClientRect().width / el.getBoundingClientRect().width);
    await expect.poll(filled, { timeout: 5_000 }).toBeCloseTo(1, 2);
    await page.getByRole("list", { name: "Recent orders" }).getByText("Done", { exact: true }).waitFor();

    // The table lists both, in national format, on the account.
    const table = page.getByRole("table", { name: "Phone numbers" });
    // Visible only: each row also has a closed settings dialog titled with its number.
    const numbers = table.getByText(/^\(212\) 555-01\d\d$/).filter({ visible: true });
    await expect.poll(() => numbers.count(), { timeout: 30_000 }).toBe(2);
    const shown = await numbers.allTextContents();
    expect(new Set(shown).size, shown.join(", ")).toBe(2);
    console.log(`numbers listed: ${shown.join(", ")}`);
    expect(await table.getByRole("row").filter({ hasText: ACCOUNT_NAME }).count()).toBe(2);
    await page.getByRole("heading", { level: 2, name: "2 numbers" }).waitFor();
    await screenshot(page, "vendor-setup-2-numbers");
    expect(pageErrors).toEqual([]);
  });

  it("imports a CSV with one bad row and reads the report", async ({ skip }) => {
    step("import", skip);
    await openFromSidebar("Contacts", "contacts");
    await page.getByText("No contacts yet", { exact: true }).waitFor();
    await page.getByRole("link", { name: "Import CSV" }).click();

    await waitForPath(`/${owner.org.slug}/contacts/import`);
    await page.getByRole("heading", { level: 1, name: "Import contacts" }).waitFor();
    await page.getByLabel("CSV file").setInputFiles({ name: "volunteers.csv", mimeType: "text/csv", buffer: Buffer.from(CSV) });

    // The suggested mapping: phone, first and last name recognised from the header.
    await page.getByRole("heading", { name: "Map columns" }).waitFor();
    expect(await page.getByText("volunteers.csv", { exact: true }).isVisible()).toBe(true);
    expect(await page.getByLabel("The first row holds column names").isChecked()).toBe(true);
    expect(await page.getByLabel("Import “first_name” as").inputValue()).toBe("firstName");
    expect(await page.getByLabel("Import “last_name” as").inputValue()).toBe("lastName");
    expect(await page.getByLabel("Import “phone” as").inputValue()).toBe("phone");
    await screenshot(page, "vendor-setup-3a-mapping");
    await page.getByRole("button", { name: "Import 3 rows" }).click();

    // The report: two new, one skipped, and the skipped row by its line in the file.
    const finished = page.getByRole("status").filter({ hasText: "Import finished" });
    await finished.waitFor({ timeout: 30_000 });
    expect(await finished.textContent()).toContain("2 new, 0 updated, 1 skipped");
    const stat = (label: string) => page.getByRole("term").filter({ hasText: label }).locator("xpath=following-sibling::dd[1]");
    expect(await stat("New contacts").textContent()).toBe("2");
    expect(await stat("Skipped").textContent()).toBe("1");
    await page.getByRole("heading", { name: "1 row skipped" }).waitFor();
    const bad = page.getByRole("row").filter({ hasText: "not-a-number" });
    expect(await bad.count()).toBe(1);
    const cells = await bad.getByRole("cell").allTextContents();
    expect(cells[0]).toBe("3");
    expect(cells[1]).toBe("not-a-number");
    expect(cells[2]).toMatch(/^phone: /);
    console.log(`skipped-row reason shown: ${cells[2]}`);
    await screenshot(page, "vendor-setup-3-import-report");

    // The contacts list has the two good rows and not the bad one.
    await page.getByRole("link", { name: "View contacts" }).click();
    await waitForPath(`/${owner.org.slug}/contacts`);
    await page.getByRole("heading", { level: 1, name: "Contacts" }).waitFor();
    for (const name of ["Ada Lovelace", "Grace Hopper"]) {
      await page.getByRole("cell", { name, exact: true }).waitFor();
    }
    expect(await page.getByText("Bad Row").count()).toBe(0);
    await screenshot(page, "vendor-setup-4-contacts");
    expect(pageErrors).toEqual([]);
  });

  it("left the account, two numbers and two contacts in the database", async ({ skip }) => {
    step("database", skip);
    const accounts = await db.select().from(vendorAccounts).where(eq(vendorAccounts.orgId, owner.org.id));
    expect(accounts.map((a) => ({ kind: a.kind, name: a.name, enabled: a.enabled }))).toEqual([
      { kind: "fake", name: ACCOUNT_NAME, enabled: true },
    ]);
    const [org] = await db.select({ features: orgs.features }).from(orgs).where(eq(orgs.id, owner.org.id));
    expect(org?.features.DEFAULT_SERVICE).toBe(accounts[0]!.id);

    const numbers = await db
      .select({ e164: phoneNumbers.e164 })
      .from(phoneNumbers)
      .where(and(eq(phoneNumbers.orgId, owner.org.id), eq(phoneNumbers.vendorAccountId, accounts[0]!.id)));
    expect(numbers).toHaveLength(2);
    for (const n of numbers) expect(n.e164).toMatch(/^\+121255501\d\d$/);

    const people = await db
      .select({ firstName: contacts.firstName, lastName: contacts.lastName, e164: contacts.e164 })
      .from(contacts)
      .where(eq(contacts.orgId, owner.org.id));
    expect(people.sort((a, b) => a.firstName.localeCompare(b.firstName))).toEqual([
      { firstName: "Ada", lastName: "Lovelace", e164: "+12125550142" },
      { firstName: "Grace", lastName: "Hopper", e164: "+14155550199" },
    ]);
  });
});
