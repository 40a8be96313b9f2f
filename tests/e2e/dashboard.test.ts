import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db";
import { messages } from "@/db/schema/messages";
import { startApp, type RunningApp } from "../helpers/app";
import { launchBrowser, newPage, screenshot } from "../helpers/browser";
import { ownerWithOrg, PASSWORD } from "../helpers/fixtures";

/** The dashboard's charts are client components: they must draw real SVG bars in a browser, without errors. */
let app: RunningApp;
let browser: Browser;

beforeAll(async () => {
  [app, browser] = await Promise.all([startApp(), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe("dashboard", () => {
  it("draws the traffic and vendor charts as SVG", async () => {
    const owner = await ownerWithOrg("Charts");
    const at = new Date(Date.now() - 3_600_000);
    await db.insert(messages).values([
      ...Array.from({ length: 12 }, (_, i) => ({
        orgId: owner.org.id,
        direction: "OUTBOUND" as const,
        body: "hi",
        fromE164: "+12125550101",
        toE164: "+14155550000",
        status: i < 9 ? ("DELIVERED" as const) : ("FAILED" as const),
        errorDescription: i < 9 ? null : "Carrier violation",
        createdAt: at,
      })),
      {
        orgId: owner.org.id,
        direction: "INBOUND" as const,
        body: "yo",
        fromE164: "+14155550000",
        toE164: "+12125550101",
        status: "RECEIVED" as const,
        createdAt: at,
      },
    ]);
    const { context, page } = await newPage(browser, app.url);
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    try {
      await page.goto("/login");
      await page.getByLabel("Email", { exact: true }).fill(owner.user.email);
      await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
      await page.getByRole("button", { name: "Sign in", exact: true }).click();
      await page.waitForURL((url) => url.pathname.startsWith(`/${owner.org.slug}/`), { timeout: 30_000 });
      await page.getByRole("link", { name: "Dashboard" }).click();
      await page.getByRole("heading", { level: 1, name: "Dashboard" }).waitFor();
      const traffic = page.getByRole("img", { name: "Messages out and in over time" });
      await traffic.locator("svg .recharts-bar-rectangle").first().waitFor();
      expect(await traffic.locator("svg .recharts-bar-rectangle").count()).toBeGreaterThan(0);
      const vendors = page.getByRole("img", { name: /per vendor account/ });
      await vendors.locator("svg .recharts-bar-rectangle").first().waitFor();
      await page.getByRole("link", { name: "24h" }).click();
      await page.waitForURL((url) => url.searchParams.get("range") === "24h");
      await traffic.locator("svg .recharts-bar-rectangle").first().waitFor();
      await screenshot(page, "dashboard-24h");
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
