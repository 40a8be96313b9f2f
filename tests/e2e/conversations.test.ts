import { createHmac } from "node:crypto";
import { and, eq } from "drizzle-orm";
import type { Browser, Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db";
import { contacts } from "@/db/schema/contacts";
import { conversations } from "@/db/schema/conversations";
import { messages } from "@/db/schema/messages";
import { queueMessage } from "@/lib/messaging/send";
import { addNumber } from "@/lib/numbers";
import { saveVendorAccount, setDefaultVendorAccount } from "@/lib/vendors/accounts";
import type { RunningApp } from "../helpers/app";
import { newPage, screenshot } from "../helpers/browser";
import { browserFlowForFile, markNoReload, signIn, stillSamePage } from "../helpers/browser-flow";
import { memberOf, ownerWithOrg } from "../helpers/fixtures";

/**
 * A conversation worked in Chromium against the production build and a real worker: the fake
 * vendor reports deliveries and answers "autorespond" through our own webhooks, and a STOP
 * from the contact locks the composer, all without a reload.
 */
const { start, step, pageErrors } = browserFlowForFile("conversations");
let app: RunningApp;
let browser: Browser;
let page: Page;

let owner: Awaited<ReturnType<typeof ownerWithOrg>>;
let webhookToken: string;
let conversationId: string;
const OUR_NUMBER = "+12125550100";
const CONTACT = { e164: "+14155550171", firstName: "Sam", lastName: "Rivera" };
const REPLY = "Thanks Sam! Could you autorespond so we know this works?";

beforeAll(async () => {
  owner = await ownerWithOrg("Chat");
  const actor = { userId: owner.user.id, label: "test" };
  const account = await saveVendorAccount(owner.org.id, actor, { kind: "fake", name: "Fake", values: { deliveryDelayMs: 300 } });
  await setDefaultVendorAccount(owner.org.id, account.id, actor);
  await addNumber(owner.org.id, actor, { vendorAccountId: account.id, e164: OUR_NUMBER });
  webhookToken = account.webhookToken;
  await db.insert(contacts).values({ orgId: owner.org.id, ...CONTACT });
  // The thread exists before the browser opens: the first text of a campaign, say.
  const { message } = await queueMessage(owner.org.id, {
    to: CONTACT.e164,
    body: "Hi Sam, it's the Riverside volunteers. Can you help on Saturday?",
  });
  conversationId = message.conversationId!;

  ({ app, browser, page } = await start());
});

/** The fake vendor's signed inbound webhook, as the vendor itself would call it. */
async function textFromContact(body: string): Promise<void> {
  const payload = JSON.stringify({ id: `IN${Date.now()}`, from: CONTACT.e164, to: OUR_NUMBER, body });
  const signature = createHmac("sha256", webhookToken).update(payload).digest("hex");
  const response = await fetch(`${app.url}/api/webhooks/fake/${webhookToken}/inbound`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-fake-signature": signature },
    body: payload,
  });
  expect(response.status).toBe(200);
}

describe("working a conversation in the browser", () => {
  it("signs in and sees the thread in the inbox", async ({ skip }) => {
    step("inbox", skip);
    await signIn(page, owner.user.email, `/${owner.org.slug}/conversations`);
    await page.getByRole("heading", { level: 1, name: "Conversations" }).waitFor();
    const row = page.getByRole("list", { name: "Conversations" }).getByRole("link", { name: /Sam Rivera/ });
    await row.waitFor();
    expect(await row.textContent()).toContain("You: Hi Sam, it's the Riverside volunteers.");
    await screenshot(page, "conversations-1-inbox");
  });

  it("opens the thread, sends an autorespond message and sees it delivered and answered without a reload", async ({ skip }) => {
    step("reply", skip);
    await page
      .getByRole("list", { name: "Conversations" })
      .getByRole("link", { name: /Sam Rivera/ })
      .click();
    await page.waitForURL((url) => url.pathname === `/${owner.org.slug}/conversations/${conversationId}`, { timeout: 30_000 });
    const thread = page.getByTestId("thread");
    await thread.getByRole("heading", { level: 2, name: /Sam Rivera/ }).waitFor();
    // The first message, sent before the page opened, has been delivered by now.
    await thread.locator('[data-testid="message"][data-status="DELIVERED"]').first().waitFor({ timeout: 20_000 });
    await markNoReload(page);

    const box = page.getByLabel("Message", { exact: true });
    const counter = page.getByTestId("segment-counter");
    await box.fill("Olá 😀");
    await expect.poll(() => counter.textContent()).toBe("6/70 · 1 segment · UCS-2");
    expect(await page.getByTestId("encoding-hint").textContent()).toContain("“😀”");
    await box.fill(REPLY);
    await expect.poll(() => counter.textContent()).toBe(`${REPLY.length}/160 · 1 segment · GSM-7`);
    expect(await page.getByTestId("encoding-hint").count()).toBe(0);
    await page.getByRole("button", { name: "Send", exact: true }).click();

    // Ours appears at once, then its status moves along by polling.
    const mine = thread.locator('[data-testid="message"][data-direction="OUTBOUND"]').filter({ hasText: REPLY });
    await mine.waitFor({ timeout: 5_000 });
    expect(await box.inputValue()).toBe("");
    await expect.poll(() => mine.getAttribute("data-status"), { timeout: 20_000, interval: 200 }).toBe("DELIVERED");
    expect(await mine.getByTestId("message-status").textContent()).toBe("Delivered");

    const answer = thread
      .locator('[data-testid="message"][data-direction="INBOUND"]')
      .filter({ hasText: `Automatic reply to: ${REPLY}` });
    await answer.waitFor({ timeout: 20_000 });
    expect(await stillSamePage(page)).toBe(true);
    // The inbox beside it caught up too.
    await expect
      .poll(
        () =>
          page
            .getByRole("list", { name: "Conversations" })
            .getByRole("link", { name: /Sam Rivera/ })
            .textContent(),
        { timeout: 10_000 },
      )
      .toContain("Automatic reply to:");
    await screenshot(page, "conversations-2-thread");

    const stored = await db
      .select()
      .from(messages)
      .where(and(eq(messages.conversationId, conversationId), eq(messages.body, REPLY)));
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ status: "DELIVERED", fromE164: OUR_NUMBER, sentByUserId: owner.user.id });
    expect(pageErrors).toEqual([]);
  });

  it("locks the composer when the contact texts STOP, without a reload", async ({ skip }) => {
    step("stop", skip);
    const box = page.getByLabel("Message", { exact: true });
    expect(await box.isDisabled()).toBe(false);
    await textFromContact("STOP");
    const thread = page.getByTestId("thread");
    await thread
      .locator('[data-testid="message"][data-direction="INBOUND"]')
      .filter({ hasText: /^STOP/ })
      .waitFor({ timeout: 20_000 });
    await page.getByTestId("composer-locked").waitFor({ timeout: 20_000 });
    expect(await page.getByTestId("composer-locked").textContent()).toBe(
      "This contact has opted out of messages (they texted STOP).",
    );
    await expect.poll(() => box.isDisabled()).toBe(true);
    expect(await page.getByRole("button", { name: "Send", exact: true }).isDisabled()).toBe(true);
    expect(await thread.getByRole("heading", { level: 2 }).textContent()).toContain("Opted out");
    expect(await stillSamePage(page)).toBe(true);
    await screenshot(page, "conversations-3-opted-out");

    const [contact] = await db
      .select()
      .from(contacts)
      .where(and(eq(contacts.orgId, owner.org.id), eq(contacts.e164, CONTACT.e164)));
    expect(contact!.optedOutAt).not.toBeNull();
    expect(pageErrors).toEqual([]);
  });

  it("shows one pane at a time on a phone, with a way back to the inbox", async ({ skip }) => {
    step("phone", skip);
    await page.setViewportSize({ width: 390, height: 844 });
    const back = page.getByRole("link", { name: "Back to the inbox" });
    await back.waitFor();
    expect(await page.getByRole("complementary", { name: "Inbox" }).isVisible()).toBe(false);
    await screenshot(page, "conversations-4-phone-thread");
    await back.click();
    await page.waitForURL((url) => url.pathname === `/${owner.org.slug}/conversations`, { timeout: 30_000 });
    const row = page.getByRole("list", { name: "Conversations" }).getByRole("link", { name: /Sam Rivera/ });
    await row.waitFor();
    expect(await page.getByRole("region", { name: "Conversation" }).isVisible()).toBe(false);
    await screenshot(page, "conversations-5-phone-inbox");
    await page.setViewportSize({ width: 1280, height: 800 });
    expect(pageErrors).toEqual([]);
  });

  it("shows a new thread arrive, and a failed send with the vendor's own words", async ({ skip }) => {
    step("failed", skip);
    // The fake vendor refuses every recipient ending in 13.
    await db.insert(contacts).values({ orgId: owner.org.id, e164: "+14155550113", firstName: "Fay", lastName: "Lure" });
    await queueMessage(owner.org.id, { to: "+14155550113", body: "Hi Fay, are you coming on Saturday?" });
    const row = page.getByRole("list", { name: "Conversations" }).getByRole("link", { name: /Fay Lure/ });
    await row.waitFor({ timeout: 20_000 });
    await expect.poll(() => row.getByText("Failed", { exact: true }).count(), { timeout: 20_000 }).toBe(1);
    await row.click();
    const failed = page.getByTestId("thread").locator('[data-testid="message"][data-status="FAILED"]');
    await failed.waitFor();
    expect(await failed.getByRole("note").textContent()).toBe(
      "Unreachable destination handset: the fake vendor fails every recipient ending in 13. (code FAKE-13)",
    );
    await page.getByLabel("Message", { exact: true }).fill("Olá Fay 😀 — did you get this?");
    await page.getByTestId("encoding-hint").waitFor();
    await screenshot(page, "conversations-6-failed-and-ucs2");
    expect(pageErrors).toEqual([]);
  });

  it("hands the thread to a texter, who then finds it in their inbox", async ({ skip }) => {
    step("reassign", skip);
    const texter = await memberOf(owner.org.id, "Chat", "TEXTER");
    // The select lists members as the page was rendered: load it again to include the new one.
    await page.reload();
    const select = page.getByLabel("Assigned texter");
    await select.selectOption({ label: `${texter.user.name} (texter)` });
    const threadId = new URL(page.url()).pathname.split("/").at(-1)!;
    await expect
      .poll(async () => (await db.select().from(conversations).where(eq(conversations.id, threadId)))[0]?.assignedUserId, {
        timeout: 10_000,
      })
      .toBe(texter.user.id);
    const row = page.getByRole("list", { name: "Conversations" }).getByRole("link", { name: /Fay Lure/ });
    await expect.poll(() => row.textContent(), { timeout: 10_000 }).toContain(texter.user.name);
    await screenshot(page, "conversations-7-reassigned");

    const { context: texterContext, page: texterPage } = await newPage(browser, app.url);
    try {
      await signIn(texterPage, texter.user.email, `/${owner.org.slug}/conversations`);
      const list = texterPage.getByRole("list", { name: "Conversations" });
      await list.getByRole("link", { name: /Fay Lure/ }).waitFor();
      expect(await list.getByRole("link").count()).toBe(1);
      expect(await texterPage.getByLabel("Assigned texter").count()).toBe(0);
      await screenshot(texterPage, "conversations-8-texter-inbox");
    } catch (error) {
      await screenshot(texterPage, "FAILED-conversations-texter-inbox").catch(() => {});
      throw error;
    } finally {
      await texterContext.close();
    }
    expect(pageErrors).toEqual([]);
  });
});
