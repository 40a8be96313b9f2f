// `npm run bench [-- --quick]`: the throughput figures of issue 9 (a, c, f), each beside a ceiling measured in the same run.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, eq, inArray, sql } from "drizzle-orm";
import { PgBoss } from "pg-boss";
import postgres from "postgres";
import { runMigrations } from "@/db/migrate";
import { startEmbeddedPostgres } from "@/scripts/embedded-postgres";
import { startWorker, type RunningWorker } from "../tests/helpers/app";

const QUICK = process.argv.includes("--quick");
const SIZES = QUICK ? { send: 2_000, reports: 5_000, contacts: 10_000 } : { send: 20_000, reports: 50_000, contacts: 100_000 };
const CONCURRENCY = 16;
const TWILIO = { accountSid: `AC${"be7c".repeat(8)}`, authToken: "0f1e2d3c4b5a69788796a5b4c3d2e1f0" };
const OUR_NUMBER = "+14155550100";

type Row = {
  figure: string;
  unit: string;
  value: number | null;
  ceiling: number | null;
  target: string;
  pass: boolean | null;
  note?: string;
};

const seconds = (since: number) => (performance.now() - since) / 1000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs `task` over `items`, `limit` at a time. */
async function pool<T>(items: T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await task(items[next++]!);
    }),
  );
}

async function waitUntil(read: () => Promise<boolean>, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await read())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

async function main(): Promise<void> {
  let adminUrl = process.env.DATABASE_URL;
  let stopEmbedded: (() => Promise<void>) | undefined;
  let pgDir: string | undefined;
  if (!adminUrl) {
    pgDir = mkdtempSync(path.join(os.tmpdir(), "switchboard-bench-pg-"));
    const embedded = await startEmbeddedPostgres({ dir: pgDir, password: "bench", port: 0, persistent: false });
    adminUrl = embedded.url("postgres");
    stopEmbedded = embedded.stop;
  }
  // A fresh database per run, so figures never depend on what an earlier run left behind.
  const name = `sb_bench_${Date.now().toString(36)}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  let worker: RunningWorker | undefined;
  try {
    await admin.unsafe(`create database "${name}"`);
    await runMigrations(url.toString());
    // Set before the app's modules open their lazy pools; the worker child inherits it, and the secrets key.
    process.env.DATABASE_URL = url.toString();
    process.env.DB_POOL_MAX ??= String(CONCURRENCY + 4);
    const { ensureLocalSecrets } = await import("@/lib/env");
    ensureLocalSecrets();

    const rows: Row[] = [];
    const { startSimulator } = await import("@/sim/index");
    // Reports come long after the run: figure a measures the send path alone (no app is running to receive them).
    const sim = await startSimulator({ delayMs: 600_000 });
    sim.control.addAccount({ vendor: "twilio", ...TWILIO });
    const org = await orgWithTwilio("Bench", sim.url);
    const ceiling = await noopCeiling(url.toString(), SIZES.send);
    worker = await startWorker({ SEND_RATE_LIMITS: "off" });
    for (const latencyMs of [0, 50]) {
      sim.control.clearFaults();
      if (latencyMs) sim.control.injectFault({ vendor: "twilio", operation: "send", delayMs: latencyMs, times: "always" });
      const rate = await sendFigure(org.orgId, SIZES.send, latencyMs);
      const pass = rate >= 1000 && rate >= ceiling * 0.5;
      rows.push({
        figure: `a. send, ${latencyMs} ms vendor latency`,
        unit: "msg/s",
        value: rate,
        ceiling,
        target: "≥1,000/s and ≥50% of ceiling",
        pass,
      });
    }
    await worker.stop();
    worker = undefined;
    await sim.stop();
    rows.push(notYet("b. webhook ingest"));
    rows.push(await statusFigure(org, SIZES.reports));
    rows.push(notYet("d. inbox latency"));
    rows.push(notYet("e. RSS"));
    rows.push(await fanoutFigure(org, SIZES.contacts));

    printTable(rows);
    const file = path.join(import.meta.dirname, "results", `${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(
      file,
      JSON.stringify({ at: new Date().toISOString(), quick: QUICK, sizes: SIZES, machine: machine(), figures: rows }, null, 2) +
        "\n",
    );
    console.log(`\nwrote ${path.relative(process.cwd(), file)}`);
  } finally {
    await worker?.stop();
    const { closeDb } = await import("@/db");
    const { stopBoss } = await import("@/lib/queue");
    await stopBoss();
    await closeDb();
    await admin.unsafe(`drop database if exists "${name}" with (force)`).catch(() => {});
    await admin.end({ timeout: 5 });
    await stopEmbedded?.();
    if (pgDir) rmSync(pgDir, { recursive: true, force: true });
  }
}

type BenchOrg = { orgId: string; accountId: string; actor: { userId: string; label: string } };

/** An org whose default vendor account is Twilio at the simulator, saved through the same code as the Vendors page. */
async function orgWithTwilio(label: string, simUrl: string): Promise<BenchOrg> {
  const { createOrg, createUser } = await import("@/lib/accounts");
  const { saveVendorAccount, setDefaultVendorAccount } = await import("@/lib/vendors/accounts");
  const { addNumber } = await import("@/lib/numbers");
  const user = await createUser({
    name: `${label} Owner`,
    email: `${label.toLowerCase()}@example.test`,
    password: "correct-horse-42",
  });
  const org = await createOrg({ name: `${label} Org`, ownerUserId: user.id });
  const actor = { userId: user.id, label: "bench" };
  const values = {
    ...TWILIO,
    apiBaseUrl: `${simUrl}/twilio`,
    messagingBaseUrl: `${simUrl}/twilio-messaging`,
    lookupBaseUrl: `${simUrl}/twilio-lookup`,
  };
  const account = await saveVendorAccount(org.id, actor, { kind: "twilio", name: `${label} Twilio`, values });
  await setDefaultVendorAccount(org.id, account.id, actor);
  await addNumber(org.id, actor, { vendorAccountId: account.id, e164: OUR_NUMBER });
  return { orgId: org.id, accountId: account.id, actor };
}

/** Figure a: queueMessage (the code behind POST /api/v1/messages) to SENT, through the real worker and the simulator. */
async function sendFigure(orgId: string, n: number, latencyMs: number): Promise<number> {
  const { db } = await import("@/db");
  const { messages } = await import("@/db/schema/messages");
  const { queueMessage } = await import("@/lib/messaging/send");
  const base = latencyMs === 0 ? 4_000_000 : 5_000_000;
  const tos = Array.from({ length: n }, (_, i) => `+1202${base + i}`);
  const started = performance.now();
  await pool(tos, CONCURRENCY, async (to) => void (await queueMessage(orgId, { to, body: "Your shift starts at 9." })));
  const queuedIn = seconds(started);
  const sent = async () => {
    const [row] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(messages)
      .where(
        and(
          eq(messages.orgId, orgId),
          inArray(messages.status, ["SENT", "DELIVERED"]),
          sql`${messages.toE164} like ${`+1202${String(base).slice(0, 1)}%`}`,
        ),
      );
    return (row?.n ?? 0) >= n;
  };
  await waitUntil(sent, `${n} messages SENT`, QUICK ? 60_000 : 300_000);
  const total = seconds(started);
  console.log(`a. ${n} messages at ${latencyMs} ms: queued in ${queuedIn.toFixed(2)} s, all SENT after ${total.toFixed(2)} s`);
  return n / total;
}

/** Ceiling for a: pg-boss no-op jobs/s, in this process, with the send-message queue's and worker's settings. */
async function noopCeiling(connectionString: string, n: number): Promise<number> {
  const { sendMessageJob } = await import("@/workers/jobs/send-message");
  const boss = new PgBoss({ connectionString, schema: "pgboss", migrate: false, supervise: false, schedule: false, max: 8 });
  boss.on("error", (error: unknown) => console.error("[pg-boss bench]", error));
  await boss.start();
  try {
    const queue = "bench-noop";
    await boss.createQueue(queue, sendMessageJob.queue);
    let done = 0;
    // Inserted before the worker starts, in bulk; the clock runs from the first insert to the last handler call.
    const started = performance.now();
    for (let i = 0; i < n; i += 1000) {
      await boss.insert(
        queue,
        Array.from({ length: Math.min(1000, n - i) }, (_, j) => ({ data: { i: i + j } })),
      );
    }
    await boss.work(queue, { ...sendMessageJob.work }, async (jobs) => void (done += jobs.length));
    await waitUntil(async () => done >= n, `${n} no-op jobs`, 120_000);
    const total = seconds(started);
    console.log(`ceiling: ${n} no-op pg-boss jobs in ${total.toFixed(2)} s`);
    return n / total;
  } finally {
    await boss.stop({ graceful: false });
  }
}

/**
 * Figure c: M SENT messages get a SENT and a final report each (10% FAILED), plus 10% duplicates, shuffled,
 * applied CONCURRENCY at a time by applyStatus. Ceiling: as many single-row UPDATEs by primary key.
 */
async function statusFigure(org: BenchOrg, m: number): Promise<Row> {
  const { db } = await import("@/db");
  const { messages } = await import("@/db/schema/messages");
  const { vendorAccounts } = await import("@/db/schema/vendor-accounts");
  const { applyStatus } = await import("@/lib/messaging/receive");
  const { getAdapter } = await import("@/lib/vendors/registry");
  const [template] = await db.select().from(messages).where(eq(messages.orgId, org.orgId)).limit(1);
  if (!template) throw new Error("figure c needs figure a's messages");
  await db.execute(sql`
    insert into messages (org_id, conversation_id, direction, body, from_e164, to_e164, vendor_account_id, status, vendor_message_id, sent_at)
    select org_id, conversation_id, 'OUTBOUND', body, from_e164, to_e164, vendor_account_id, 'SENT', 'SMbench' || i, now()
    from messages, generate_series(1, ${m}) i where id = ${template.id}`);
  const [account] = await db.select().from(vendorAccounts).where(eq(vendorAccounts.id, org.accountId));
  const adapter = getAdapter("twilio");
  type Report = { vendorMessageId: string; status: "SENT" | "DELIVERED" | "FAILED" };
  const finals = new Map<string, Report["status"]>();
  const reports: Report[] = [];
  for (let i = 1; i <= m; i++) {
    const id = `SMbench${i}`;
    const final = i % 10 === 0 ? "FAILED" : "DELIVERED";
    finals.set(id, final);
    reports.push({ vendorMessageId: id, status: "SENT" }, { vendorMessageId: id, status: final });
  }
  const originals = reports.length;
  for (let i = 0; i < originals / 10; i++) reports.push(reports[Math.floor(Math.random() * originals)]!);
  for (let i = reports.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [reports[i], reports[j]] = [reports[j]!, reports[i]!];
  }
  const started = performance.now();
  await pool(reports, CONCURRENCY, (r) =>
    applyStatus(account!, adapter, {
      type: "status",
      vendorMessageId: r.vendorMessageId,
      status: r.status,
      vendorStatus: r.status.toLowerCase(),
      errorCode: r.status === "FAILED" ? "30003" : undefined,
    }),
  );
  const rate = reports.length / seconds(started);

  const ended = await db
    .select({ vendorMessageId: messages.vendorMessageId, status: messages.status })
    .from(messages)
    .where(and(eq(messages.orgId, org.orgId), sql`${messages.vendorMessageId} like 'SMbench%'`));
  const regressed = ended.filter((row) => finals.get(row.vendorMessageId!) !== row.status).length;

  const ids = ended.length
    ? (
        await db
          .select({ id: messages.id })
          .from(messages)
          .where(sql`${messages.vendorMessageId} like 'SMbench%'`)
      ).map((r) => r.id)
    : [];
  const updates = Array.from({ length: reports.length }, (_, i) => ids[i % ids.length]!);
  const ceilingStarted = performance.now();
  await pool(
    updates,
    CONCURRENCY,
    async (id) => void (await db.execute(sql`update messages set status = status where id = ${id}`)),
  );
  const ceiling = reports.length / seconds(ceilingStarted);
  console.log(`c. ${reports.length} reports for ${m} messages; ${regressed} ended in a status other than their final report`);
  const pass = regressed === 0 && ended.length === m;
  return {
    figure: "c. status apply (10% dup, shuffled)",
    unit: "reports/s",
    value: rate,
    ceiling,
    target: "no final status regresses",
    pass,
    note: `${regressed} regressed`,
  };
}

/** Figure f: SEND_TO_ALL to every contact, fanOutCampaign run in this process; seconds until all are queued. */
async function fanoutFigure(org: BenchOrg, n: number): Promise<Row> {
  const { startCampaign } = await import("@/lib/campaigns/campaigns");
  const { createSendToAllCampaign, seedContacts } = await import("../tests/helpers/campaign-seed");
  const { addContactsByFilter } = await import("@/lib/campaigns/contacts");
  const { fanOutCampaign } = await import("@/lib/campaigns/fanout");
  const { createOrg } = await import("@/lib/accounts");
  const { saveVendorAccount } = await import("@/lib/vendors/accounts");
  const { addNumber } = await import("@/lib/numbers");
  // Its own org, so the campaign's "all contacts" are exactly the n seeded here.
  const fanOrg = await createOrg({ name: "Bench Fanout Org", ownerUserId: org.actor.userId });
  const account = await saveVendorAccount(fanOrg.id, org.actor, { kind: "twilio", name: "Fanout Twilio", values: { ...TWILIO } });
  await addNumber(fanOrg.id, org.actor, { vendorAccountId: account.id, e164: "+14155550101" });
  await seedContacts(fanOrg.id, n);
  const campaign = await createSendToAllCampaign(fanOrg.id, org.actor, account.id);
  await addContactsByFilter(fanOrg.id, org.actor, campaign.id, { filter: "all", defaultCountry: "US" });
  await startCampaign(fanOrg.id, org.actor, campaign.id);
  const started = performance.now();
  const outcome = await fanOutCampaign(campaign.id);
  const took = seconds(started);
  console.log(`f. fan-out of ${n} contacts: ${outcome.state}, ${outcome.queued} queued in ${took.toFixed(2)} s`);
  const pass = outcome.state === "done" && outcome.queued === n;
  return {
    figure: `f. campaign fan-out, ${n.toLocaleString("en-US")} contacts`,
    unit: "s",
    value: took,
    ceiling: null,
    target: "all queued",
    pass,
    note: `${outcome.queued} queued`,
  };
}

function notYet(figure: string): Row {
  return { figure, unit: "", value: null, ceiling: null, target: "", pass: null, note: "not measured yet" };
}

function machine() {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    model: cpus[0]?.model ?? "unknown",
    memoryGb: +(os.totalmem() / 2 ** 30).toFixed(1),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  };
}

function printTable(rows: Row[]): void {
  const fmt = (v: number | null, unit: string) =>
    v === null ? "—" : `${v >= 100 ? Math.round(v).toLocaleString("en-US") : v.toFixed(2)} ${unit}`.trim();
  const table = rows.map((r) => [
    r.figure,
    r.value === null ? (r.note ?? "—") : fmt(r.value, r.unit),
    fmt(r.ceiling, r.unit),
    r.value !== null && r.ceiling ? `${Math.round((r.value / r.ceiling) * 100)}%` : "n/a",
    r.target || "—",
    r.pass === null ? "—" : r.pass ? "pass" : "FAIL",
  ]);
  const header = ["figure", "value", "ceiling", "ratio", "target", "result"];
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  const m = machine();
  console.log(`\n${m.cpus} × ${m.model}, ${m.memoryGb} GB, node ${m.node}${QUICK ? " (--quick)" : ""}`);
  console.log([line(header), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...table.map(line)].join("\n"));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
