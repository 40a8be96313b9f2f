import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, onTestFailed } from "vitest";
import { freePort, startApp, startWorker, type RunningApp, type RunningWorker } from "./app";
import { launchBrowser, newPage, screenshot } from "./browser";
import { PASSWORD } from "./fixtures";

export type BrowserFlow = { app: RunningApp; worker: RunningWorker; browser: Browser; context: BrowserContext; page: Page };

/**
 * A test file that walks one flow in Chromium against the production build and a real worker
 * (whose PUBLIC_URL is the app's URL), its steps sharing one page and running in order.
 * `start` (call it in beforeAll, after any fixtures the processes should find) starts
 * everything; after all the tests it is stopped. `step` opens each test: it skips the test
 * when an earlier step failed, and on failure prints a screenshot's path, the app's and the
 * worker's output and `diagnostics`. `pageErrors` collects uncaught exceptions in the page:
 * a crash in the client is a failure even if the flow "works".
 */
export function browserFlowForFile(name: string, options: { diagnostics?: () => Promise<string> } = {}) {
  let flow: BrowserFlow | undefined;
  let broken: string | null = null;
  const pageErrors: string[] = [];

  afterAll(async () => {
    await flow?.context.close().catch(() => {});
    await flow?.browser.close();
    await Promise.all([flow?.worker.stop(), flow?.app.stop()]);
  });

  async function start(): Promise<BrowserFlow> {
    const port = await freePort();
    // The worker starts once the web app answers: the fake vendor reports a delivery to our
    // webhook once, a moment after the send, and a message queued before the start would be
    // sent (and its report lost) while the web app was still coming up.
    const appThenWorker = startApp({}, { port }).then(async (app) => {
      try {
        return { app, worker: await startWorker({ PUBLIC_URL: `http://127.0.0.1:${port}` }) };
      } catch (error) {
        await app.stop();
        throw error;
      }
    });
    const started = await Promise.allSettled([appThenWorker, launchBrowser()] as const);
    const [processes, browser] = started;
    if (processes.status === "rejected" || browser.status === "rejected") {
      // Leave nothing running behind a failed start.
      await Promise.all([
        processes.status === "fulfilled" ? Promise.all([processes.value.worker.stop(), processes.value.app.stop()]) : undefined,
        browser.status === "fulfilled" ? browser.value.close() : undefined,
      ]);
      throw (started.find((s) => s.status === "rejected") as PromiseRejectedResult).reason;
    }
    const { app, worker } = processes.value;
    const { context, page } = await newPage(browser.value, app.url);
    page.on("pageerror", (error) => pageErrors.push(error.message));
    flow = { app, worker, browser: browser.value, context, page };
    return flow;
  }

  function step(label: string, skip: () => void): void {
    if (broken) skip();
    onTestFailed(async () => {
      broken = label;
      if (!flow) return;
      const { page, app, worker } = flow;
      const file = await screenshot(page, `FAILED-${name}-${label}`).catch(() => "(no screenshot)");
      const extra = options.diagnostics ? `\n${await options.diagnostics().catch((error: unknown) => String(error))}` : "";
      console.error(
        `[${label}] failed at ${page.url()}; screenshot: ${file}\n` +
          `--- next start output ---\n${app.output().slice(-4000)}\n--- worker output ---\n${worker.output().slice(-4000)}${extra}`,
      );
    });
  }

  return { start, step, pageErrors };
}

/** Signs in through the login form and waits to land on `landing`. */
export async function signIn(page: Page, email: string, landing: string): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL((url) => url.pathname === landing, { timeout: 30_000 });
}

/** Marks the page's window; a reload would wipe the mark, so `stillSamePage` tells whether one happened. */
export async function markNoReload(page: Page): Promise<void> {
  await page.evaluate(() => {
    (window as unknown as { __noReload?: boolean }).__noReload = true;
  });
}

export async function stillSamePage(page: Page): Promise<boolean> {
  return page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload === true);
}
