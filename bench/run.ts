// `npm run bench [-- --quick]`: the figures of issue 9, each beside a ceiling measured in the same run (docs/performance.md).
import type { ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq, isNotNull, and, sql } from "drizzle-orm";
import { closeDb, getDb } from "@/db";
import { openPostgres } from "@/db/connect";
import { webhookEvents } from "@/db/schema/webhook-events";
import { runMigrations } from "@/db/migrate";
import { createOrg, createUser } from "@/lib/accounts";
import { createApiKey } from "@/lib/api-keys";
import { ensureLocalSecrets } from "@/lib/env";
import { addNumber } from "@/lib/numbers";
import { stopBoss } from "@/lib/queue";
import { saveVendorAccount, setDefaultVendorAccount } from "@/lib/vendors/accounts";
import { buildIfNeeded } from "@/scripts/build-if-needed";
import { startEmbeddedPostgres } from "@/scripts/embedded-postgres";
import { startSimulator } from "@/sim/index";
import { freePort, spawnTs, startApp, startWorker, stopProcess, type RunningApp, type RunningWorker } from "../tests/helpers/app";
import { fanoutFigure } from "./fanout";
import { QUICK, machine, wants, peakRssMb, printTable, seconds, sleep, type Row } from "./harness";
import { inboxRows, INBOX_SIZES, seedInbox } from "./inbox";
import { ingest, ingestDuration, ingestRows, type IngestTarget } from "./ingest";
import { API_CONNECTIONS, noopCeiling, SATURATING_CONNECTIONS, sendRow, sendThroughApi } from "./send";
import { statusFigure } from "./status";

// --quick: a tenth of the sends and the inbox, fewer reports and contacts still (c and f were half of
// its time on a slow host, where it took 2 min 13 s), so it stays under two minutes there too.
const SIZES = QUICK
  ? { warmUp: 500, send: 1_000, sendBatched: 5_000, reports: 2_000, contacts: 5_000 }
  : { warmUp: 5_000, send: 10_000, sendBatched: 50_000, reports: 50_000, contacts: 100_000 };
/** Messages per call of POST /api/v1/messages/batch: its maximum. */
const PER_CALL = 100;
const TWILIO = { accountSid: `AC${"be7c".repeat(8)}`, authToken: "0f1e2d3c4b5a69788796a5b4c3d2e1f0" };
const OUR_NUMBER = "+14155550100";
/** The bench process's own pool: figure c applies reports 16 at a time in this process. */
const BENCH_POOL = 20;

async function main(): Promise<void> {
  const database = await openDatabase();
  let app: RunningApp | undefined;
  let worker: RunningWorker | undefined;
  let bare: ChildProcess | undefined;
  const stopSim: (() => Promise<void>)[] = [];
  try {
    process.env.DATABASE_URL = database.url;
    ensureLocalSecrets();
    buildIfNeeded(process.cwd(), (line) => console.log(line));
    // The bench's pool opens with its own size; the web app and worker it starts keep the product's default.
    process.env.DB_POOL_MAX = String(BENCH_POOL);
    getDb();
    delete process.env.DB_POOL_MAX;

    const rows: Row[] = [];
    // Delivery reports come long after the run: figure a measures the send path alone.
    const sim = await startSimulator({ delayMs: 600_000 });
    stopSim.push(sim.stop);
    sim.control.addAccount({ vendor: "twilio", ...TWILIO });
    const org = await orgWithTwilio(sim.url);

    // a. send, through the API, the worker and the simulator; one message per call (at two concurrencies), and a hundred.
    // [vendor latency ms, messages per call, API connections, first recipient number (its first four digits tell runs apart)]
    const runs = [
      [0, 1, API_CONNECTIONS, 2_024_000_000],
      [50, 1, API_CONNECTIONS, 2_025_000_000],
      [0, 1, SATURATING_CONNECTIONS, 2_028_000_000],
      [50, 1, SATURATING_CONNECTIONS, 2_029_000_000],
      [0, PER_CALL, API_CONNECTIONS, 2_026_000_000],
      [50, PER_CALL, API_CONNECTIONS, 2_027_000_000],
    ] as const;
    // Each ceiling with its run's settings, measured before the app and worker start, so nothing else competes for the cores.
    const ceilings = new Map<string, number>();
    for (const [, perCall, connections] of wants("a") ? runs : []) {
      const key = `${perCall}/${connections}`;
      if (!ceilings.has(key))
        ceilings.set(key, await noopCeiling(database.url, perCall === 1 ? SIZES.send : SIZES.sendBatched, perCall, connections));
    }
    const port = await freePort();
    const appUrl = `http://127.0.0.1:${port}`;
    [app, worker] = await Promise.all([
      startApp({ PUBLIC_URL: appUrl, API_RATE_PER_SECOND: "100000", API_RATE_BURST: "100000" }, { port }),
      startWorker({ PUBLIC_URL: appUrl, SEND_RATE_LIMITS: "off" }),
    ]);
    // Freshly started, the web process and the worker take about four seconds to reach their pace (the
    // first run's messages per second, second by second: 385, 477, 492, 551, then 600–870 like the
    // runs after it): messages sent untimed first, so that each run measures a server that has been up
    // a while, as one in production has (docs/performance.md, *Warm-up*).
    if (wants("a")) {
      const warm = await sendThroughApi({ appUrl, apiKey: org.apiKey, orgId: org.orgId }, SIZES.warmUp, 2_023_000_000);
      console.log(`a. warm-up, untimed: ${warm.accepted} messages at ${Math.round(warm.rate)}/s`);
    }
    for (const [latencyMs, perCall, connections, base] of wants("a") ? runs : []) {
      sim.control.clearFaults();
      if (latencyMs) sim.control.injectFault({ vendor: "twilio", operation: "send", delayMs: latencyMs, times: "always" });
      const n = perCall === 1 ? SIZES.send : SIZES.sendBatched;
      const run = await sendThroughApi({ appUrl, apiKey: org.apiKey, orgId: org.orgId }, n, base, perCall, connections);
      rows.push(sendRow(latencyMs, perCall, connections, run, ceilings.get(`${perCall}/${connections}`)!));
    }
    sim.control.clearFaults();
    if (wants("a")) await settle();

    // b. webhook ingest: the worker is paused (SIGSTOP) so only the ingest path is measured, then resumed to drain.
    const barePort = await freePort();
    bare = spawnTs("bench/ingest-server.ts", [], { PORT: String(barePort), PUBLIC_URL: `http://127.0.0.1:${barePort}` });
    await waitForLine(bare, "listening");
    const ingestTarget = (baseUrl: string): IngestTarget => ({
      baseUrl,
      token: org.webhookToken,
      accountId: org.accountId,
      ourNumber: OUR_NUMBER,
      ...TWILIO,
    });
    if (worker.pid) process.kill(worker.pid, "SIGSTOP");
    for (const connections of wants("b") ? [50, 200] : []) {
      const onApp = await ingest(ingestTarget(appUrl), connections, ingestDuration());
      const onBare = await ingest(ingestTarget(`http://127.0.0.1:${barePort}`), connections, ingestDuration());
      console.log(
        `b. ${connections} connections: app ${Math.round(onApp.rate)}/s p99 ${onApp.p99Ms} ms; bare node:http ${Math.round(onBare.rate)}/s p99 ${onBare.p99Ms} ms`,
      );
      rows.push(...ingestRows(connections, onApp, onBare));
    }
    // e's ceiling for the web process: the bare server's peak over the same webhooks, without Next.js or the API's work of a.
    const bareRssMb = wants("b") ? peakRssMb(bare.pid) : null;
    await stopProcess(bare);
    bare = undefined;
    if (worker.pid) process.kill(worker.pid, "SIGCONT");
    if (wants("b")) rows.push(await drainFigure(org.accountId));

    // e. peak memory of the web app and the worker over a and b. The worker has no bare twin: its
    // work is the send and webhook jobs' own, through the same modules.
    for (const [label, pid, ceiling] of [
      ["web", app.pid, bareRssMb],
      ["worker", worker.pid, null],
    ] as const) {
      if (!wants("e")) break;
      const mb = peakRssMb(pid);
      rows.push({
        figure: `e. peak RSS, ${label}`,
        unit: "MB",
        value: mb,
        ceiling,
        target: "<400 MB",
        pass: mb === null ? null : mb < 400,
      });
    }
    await worker.stop();
    worker = undefined;
    await sim.stop();
    stopSim.length = 0;
    if (wants("a") || wants("b")) await settle();

    // c. status apply, in this process.
    if (wants("c")) {
      rows.push(await statusFigure(org, SIZES.reports));
      await settle();
    }

    // d. inbox latency, over HTTP from the web app.
    if (wants("d")) {
      const seeded = await seedInbox();
      await settle();
      console.log(
        `d. seeded ${INBOX_SIZES.conversations} conversations and ${INBOX_SIZES.conversations * INBOX_SIZES.messagesPerConversation} messages in ${INBOX_SIZES.orgs} orgs in ${seeded.tookSeconds.toFixed(1)} s`,
      );
      rows.push(...(await inboxRows(appUrl, seeded)));
    }
    await app.stop();
    app = undefined;

    // f. campaign fan-out, in this process.
    if (wants("f")) rows.push(await fanoutFigure(database.url, org.actor, { ...TWILIO }, SIZES.contacts));

    const label = database.embedded ? "embedded PostgreSQL" : "DATABASE_URL's PostgreSQL";
    printTable(rows, label);
    writeResults(rows, label);
  } finally {
    if (bare) await stopProcess(bare);
    if (worker?.pid) process.kill(worker.pid, "SIGCONT");
    await Promise.all([worker?.stop(), app?.stop(), ...stopSim.map((stop) => stop())]);
    await stopBoss();
    await closeDb();
    await database.drop();
  }
}

type BenchOrg = {
  orgId: string;
  accountId: string;
  webhookToken: string;
  apiKey: string;
  actor: { userId: string; label: string };
};

/** An org whose default vendor account is Twilio at the simulator, saved through the same code as the Vendors page, and an API key. */
async function orgWithTwilio(simUrl: string): Promise<BenchOrg> {
  const user = await createUser({ name: "Bench Owner", email: "bench@example.test", password: "correct-horse-42" });
  const org = await createOrg({ name: "Bench Org", ownerUserId: user.id });
  const actor = { userId: user.id, label: "bench" };
  const values = {
    ...TWILIO,
    apiBaseUrl: `${simUrl}/twilio`,
    messagingBaseUrl: `${simUrl}/twilio-messaging`,
    lookupBaseUrl: `${simUrl}/twilio-lookup`,
  };
  const account = await saveVendorAccount(org.id, actor, { kind: "twilio", name: "Bench Twilio", values });
  await setDefaultVendorAccount(org.id, account.id, actor);
  await addNumber(org.id, actor, { vendorAccountId: account.id, e164: OUR_NUMBER });
  const { key } = await createApiKey({ orgId: org.id, name: "bench", createdBy: user.id, actorLabel: "bench" });
  return { orgId: org.id, accountId: account.id, webhookToken: account.webhookToken, apiKey: key, actor };
}

/**
 * Between figures: what the last one wrote is vacuumed and analyzed, and a checkpoint writes its
 * pages out, so the next figure starts on a settled database instead of measuring the last one's
 * aftermath. After a's 140,000 messages, autovacuum and the checkpoint they caused ran through b
 * (its bare server, the ceiling, slowed too); a database that is written all the time does this
 * work all the time, spread out, which the figure that happens to come next should not bear alone.
 */
async function settle(): Promise<void> {
  const started = performance.now();
  await getDb().execute(sql`vacuum analyze`);
  // CHECKPOINT needs a superuser or pg_checkpoint: on a DATABASE_URL without either, the figures go on unsettled by it.
  const checkpointed = await getDb()
    .execute(sql`checkpoint`)
    .then(
      () => true,
      (error: unknown) => void console.warn(`no checkpoint between figures: ${error instanceof Error ? error.message : error}`),
    );
  console.log(`settled (vacuum analyze${checkpointed ? ", checkpoint" : ""}) in ${seconds(started).toFixed(1)} s`);
}

/**
 * After b, the resumed worker turns the stored webhooks into contacts, conversations and
 * messages: events processed per second over a fixed window (the backlog is larger than the
 * window on purpose, so the worker is busy throughout).
 */
async function drainFigure(accountId: string): Promise<Row> {
  const windowSeconds = QUICK ? 5 : 20;
  const processed = async () => {
    const [row] = await getDb()
      .select({ n: sql<number>`count(*)::int` })
      .from(webhookEvents)
      .where(and(eq(webhookEvents.vendorAccountId, accountId), isNotNull(webhookEvents.processedAt)));
    return row?.n ?? 0;
  };
  const before = await processed();
  const started = performance.now();
  await sleep(windowSeconds * 1000);
  const rate = ((await processed()) - before) / seconds(started);
  return { figure: "b. inbound processed by the worker", unit: "events/s", value: rate, ceiling: null, target: "—", pass: null };
}

type Database = { url: string; embedded: boolean; drop: () => Promise<void> };

/** A fresh database per run (on DATABASE_URL's server, or a throwaway embedded one), so figures never depend on what an earlier run left. */
async function openDatabase(): Promise<Database> {
  let adminUrl = process.env.DATABASE_URL;
  let stopEmbedded: (() => Promise<void>) | undefined;
  let dir: string | undefined;
  if (!adminUrl) {
    dir = mkdtempSync(path.join(os.tmpdir(), "switchboard-bench-pg-"));
    const embedded = await startEmbeddedPostgres({ dir, password: "bench", port: 0, persistent: false });
    adminUrl = embedded.url("postgres");
    stopEmbedded = embedded.stop;
  }
  const name = `sb_bench_${Date.now().toString(36)}`;
  const admin = openPostgres(adminUrl, { max: 1, onnotice: () => {} });
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  await admin.unsafe(`create database "${name}"`);
  await runMigrations(url.toString());
  return {
    url: url.toString(),
    embedded: Boolean(stopEmbedded),
    drop: async () => {
      // `--keep` leaves the database on DATABASE_URL's server, to look into a figure afterwards.
      if (process.argv.includes("--keep") && !stopEmbedded) console.log(`kept database ${url.toString()}`);
      else await admin.unsafe(`drop database if exists "${name}" with (force)`).catch(() => {});
      await admin.end({ timeout: 5 });
      await stopEmbedded?.();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

function waitForLine(child: ChildProcess, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = "";
    const timer = setTimeout(() => reject(new Error(`no "${text}" from ${child.spawnargs.join(" ")}:\n${seen}`)), 60_000);
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes(text)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (chunk: Buffer) => (seen += chunk.toString()));
    child.once("exit", (code) => reject(new Error(`${child.spawnargs.join(" ")} exited (${code}):\n${seen}`)));
  });
}

function writeResults(rows: Row[], database: string): void {
  const file = path.join(import.meta.dirname, "results", `${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
  mkdirSync(path.dirname(file), { recursive: true });
  const body = {
    at: new Date().toISOString(),
    quick: QUICK,
    database,
    sizes: { ...SIZES, inbox: INBOX_SIZES },
    machine: machine(),
    figures: rows,
  };
  writeFileSync(file, JSON.stringify(body, null, 2) + "\n");
  console.log(`\nwrote ${path.relative(process.cwd(), file)}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
