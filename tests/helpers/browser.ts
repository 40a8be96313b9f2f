import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from "playwright-core";

/** The system Chromium (Debian's package) unless CHROMIUM_PATH says otherwise; nothing is downloaded. */
export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
}

/** A desktop viewport: the sidebar (org name, "Sign out") is only visible at `lg` and wider. */
export const DESKTOP_VIEWPORT = { width: 1280, height: 800 } as const;

export const SCREENSHOT_DIR = path.resolve("test-results/screenshots");

const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
];

/** Launches headless Chromium; fails with install instructions when the executable is missing. */
export async function launchBrowser(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!existsSync(executablePath)) {
    throw new Error(
      `Chromium was not found at ${executablePath}. Browser tests use the system Chromium, not a downloaded one.\n` +
        `Install it (as root) with:  apt-get install -y chromium   (Debian/Ubuntu)\n` +
        `or point CHROMIUM_PATH at an existing Chromium/Chrome executable. Do not run "npx playwright install".`,
    );
  }
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
}

/**
 * A fresh context (its own cookies, so its own session) with relative URLs resolved against
 * baseURL, and one page in it. Close the context when done; the browser outlives it.
 */
export async function newPage(
  browser: Browser,
  baseURL: string,
  options: BrowserContextOptions = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL, viewport: DESKTOP_VIEWPORT, ...options });
  context.setDefaultTimeout(15_000);
  context.setDefaultNavigationTimeout(30_000);
  const page = await context.newPage();
  return { context, page };
}

/** Writes a full-page PNG to test-results/screenshots/<name>.png for a human to look at; returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name.replace(/[^A-Za-z0-9._-]+/g, "-")}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
