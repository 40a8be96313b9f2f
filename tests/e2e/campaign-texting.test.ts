import { and, eq } from "drizzle-orm";
import type { BrowserContext, Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db";
import { campaignContacts } from "@/db/schema/campaign-contacts";
import { campaigns } from "@/db/schema/campaigns";
import { messages } from "@/db/schema/messages";
import { addNumber } from "@/lib/numbers";
import { saveVendorAccount, setDefaultVendorAccount } from "@/lib/vendors/accounts";
import { screenshot } from "../helpers/browser";
import { browserFlowForFile, markNoReload, signIn, stillSamePage } from "../helpers/browser-flow";
import { memberOf, ownerWithOrg } from "../helpers/fixtures";

/**
 * A campaign from start to reply in Chromium, against the production build and a real worker:
 * the owner creates it on the new-campaign page, uploads a CSV and starts it, assigns it to a
 * texter on the assign page; the texter signs in, sends the first message with one click, and
 * the contact's answer (the fake vendor answers "autorespond" through our own webhook) arrives
 * in the texter's queue without a reload.
 */
const { start, step, pageErrors } = browserFlowForFile("campaign-texting");
let context: BrowserContext;
let page: Page;

let owner: Awaited<ReturnType<typeof ownerWithOrg>>;
let texter: Awaited<ReturnType<typeof memberOf>>;
let campaignId: string;
const OUR_NUMBER = "+12125550130";
const CONTACT = "+14155550131";
const CSV = `phone,first name,last name,team\n${CONTACT},Robin,Diaz,Blue\n`;
const SCRIPT = "Hi {firstName}, it's {texterName} with the {team} team. Please autorespond!";

beforeAll(async () => {
  owner = await ownerWithOrg("Drive");
  const actor = { userId: owner.user.id, label: "test" };
  const account = await saveVendorAccount(owner.org.id, actor, { kind: "fake", name: "Fake", values: { deliveryDelayMs: 200 } });
  await setDefaultVendorAccount(owner.org.id, account.id, actor);
  await addNumber(owner.org.id, actor, { vendorAccountId: account.id, e164: OUR_NUMBER });
  texter = await memberOf(owner.org.id, "Drive", "TEXTER");
  ({ context, page } = await start());
});

describe("a texters campaign in the browser", () => {
  it("creates a campaign from a CSV and starts it", async ({ skip }) => {
    step("create", skip);
    await signIn(page, owner.user.email, `/${owner.org.slug}/conversations`);
    await page.goto(`/${owner.org.slug}/campaigns/new`);
    await page.getByLabel("Title", { exact: true }).fill("Saturday canvass");
    // The CSV's columns become fields once it is uploaded; the script gains {team} after that.
    await page.getByLabel("Script", { exact: true }).fill("Hi {firstName}, it's {texterName}. Please autorespond!");
    // Any time, so the test does not depend on the hour it runs at.
    await page.getByLabel(/Sending window starts/).selectOption("");
    await page.getByLabel("Sending window ends", { exact: true }).selectOption("");
    await page.getByRole("button", { name: "Create campaign", exact: true }).click();
    await page.waitForURL((url) => /\/campaigns\/[0-9a-f-]{36}$/.test(url.pathname), { timeout: 30_000 });
    campaignId = page.url().split("/").pop()!;

    await page
      .getByLabel("Or upload a CSV", { exact: true })
      .setInputFiles({ name: "list.csv", mimeType: "text/csv", buffer: Buffer.from(CSV) });
    await page.getByRole("button", { name: "Upload", exact: true }).click();
    await expect
      .poll(async () => (await db.select().from(campaignContacts).where(eq(campaignContacts.campaignId, campaignId))).length, {
        timeout: 15_000,
      })
      .toBe(1);
    await page.getByLabel("Script", { exact: true }).fill(SCRIPT);
    await page.getByRole("button", { name: "Save campaign", exact: true }).click();
    await expect
      .poll(async () => (await db.select().from(campaigns).where(eq(campaigns.id, campaignId)))[0]?.script, { timeout: 15_000 })
      .toBe(SCRIPT);
    await page.reload();
    await page.getByRole("button", { name: "Start campaign", exact: true }).click();
    await page.getByText(/^Started: 1 to message/).waitFor({ timeout: 15_000 });
    const [row] = await db.select().from(campaigns).where(eq(campaigns.id, campaignId));
    expect(row).toMatchObject({ status: "RUNNING", mode: "TEXTERS" });
  });

  it("assigns the campaign to a texter on the assign page", async ({ skip }) => {
    step("assign", skip);
    await page.goto(`/${owner.org.slug}/campaigns/${campaignId}/assign`);
    await page.getByText("1 unassigned contact waiting").waitFor();
    await page.getByRole("form", { name: "Split contacts" }).getByLabel(new RegExp(texter.user.name)).check();
    await page.getByRole("button", { name: "Assign contacts", exact: true }).click();
    await page.getByText("Assigned 1 contact; 0 still unassigned.").waitFor({ timeout: 15_000 });
    const table = page.getByRole("table", { name: "Texters and their contacts" });
    await table.getByRole("row", { name: new RegExp(texter.user.name) }).waitFor();
    await screenshot(page, "campaign-texting-1-assign");
    await context.clearCookies();
  });

  it("signs in as the texter and sends the first message with one click", async ({ skip }) => {
    step("send", skip);
    await signIn(page, texter.user.email, `/${owner.org.slug}/conversations`);
    await page.goto(`/${owner.org.slug}/campaigns/${campaignId}/texting`);
    await page.getByText("0 of 1 sent").waitFor();
    const expected = `Hi Robin, it's ${texter.user.name} with the Blue team. Please autorespond!`;
    expect(await page.getByTestId("initial-message").textContent()).toBe(expected);
    await page.getByRole("button", { name: "Send", exact: true }).click();
    await page.getByText("1 of 1 sent").waitFor({ timeout: 15_000 });
    await page.getByText("All your first messages are done.").waitFor();
    const sent = await db
      .select()
      .from(messages)
      .where(
        and(eq(messages.orgId, owner.org.id), eq(messages.idempotencyKey, `campaign:${campaignId}:${(await contactIdOf())!}`)),
      );
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ body: expected, toE164: CONTACT, fromE164: OUR_NUMBER, sentByUserId: texter.user.id });
  });

  it("sees the contact's reply arrive in the texter's queue without a reload", async ({ skip }) => {
    step("reply", skip);
    await markNoReload(page);
    const replies = page.getByTestId("texter-replies");
    await replies.getByText(/^Automatic reply to: Hi Robin/).waitFor({ timeout: 30_000 });
    expect(await stillSamePage(page)).toBe(true);
    expect(await replies.getByRole("link", { name: /Open conversation/ }).count()).toBe(1);
    await screenshot(page, "campaign-texting-2-reply");

    // Answered inline, the reply leaves the list.
    await replies.getByLabel("Reply to Robin Diaz", { exact: true }).fill("Great, see you Saturday at 10.");
    await replies.getByRole("button", { name: "Send reply", exact: true }).click();
    await page.getByText("No replies waiting.").waitFor({ timeout: 15_000 });
    expect(pageErrors).toEqual([]);
  });
});

async function contactIdOf(): Promise<string | undefined> {
  const [row] = await db
    .select({ contactId: campaignContacts.contactId })
    .from(campaignContacts)
    .where(eq(campaignContacts.campaignId, campaignId));
  return row?.contactId;
}
