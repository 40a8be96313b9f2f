import { setTimeout as sleep } from "node:timers/promises";
import { inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db";
import { postgresTarget } from "@/db/connect";
import { messages } from "@/db/schema/messages";
import { queueMessageBatch } from "@/lib/messaging/send-batch";
import { addNumber } from "@/lib/numbers";
import { saveVendorAccount, setDefaultVendorAccount } from "@/lib/vendors/accounts";
import { startWorker, type RunningWorker } from "../helpers/app";
import { CrashablePostgres } from "../helpers/crashable-postgres";
import { FakeLedger } from "../helpers/fake-ledger";
import { ownerWithOrg } from "../helpers/fixtures";
import { waitFor } from "../helpers/wait";

/**
 * PostgreSQL crashes (immediate shutdown) while the worker is sending. The worker's record of a
 * send commits without waiting for the disk (db/commit.ts), so the crash may take the last of
 * those records with it; the claim before each send does wait. Whatever the crash took, every
 * message must reach the vendor exactly once and end SENT with the vendor's id: a message found
 * SENDING afterwards is reconciled with the vendor (the fake vendor's ledger), never sent blind.
 * And the worker carries on through the crash, unrestarted: the driver's flush once threw the
 * dead socket's error out of every handler and ended the process (db/index.ts).
 *
 * Like db-outage.test.ts, this file runs its own embedded PostgreSQL, which it can crash.
 */
const MESSAGES = 600;
/** The crash comes once the vendor has this many sends, while hundreds are still to go. */
const CRASH_AFTER = 150;
const DOWN_MS = 1_000;
const ledger = new FakeLedger(() => 50 + Math.floor(Math.random() * 250));

let pg: CrashablePostgres | undefined;
let worker: RunningWorker | undefined;
const ids: string[] = [];

beforeAll(async () => {
  await ledger.start();
  pg = await CrashablePostgres.open("send-crash", "socket");

  const { user, org } = await ownerWithOrg("DbCrash");
  const actor = { userId: user.id, label: "test" };
  // No delivery callbacks during the test: the ledger is what counts sends.
  const account = await saveVendorAccount(org.id, actor, {
    kind: "fake",
    name: "Fake",
    values: { deliveryDelayMs: 60_000, ledgerUrl: ledger.url },
  });
  await setDefaultVendorAccount(org.id, account.id, actor);
  await addNumber(org.id, actor, { vendorAccountId: account.id, e164: "+12125550100" });
  for (let batch = 0; batch < MESSAGES / 100; batch++) {
    // Each number ends in 0: the fake vendor refuses those ending in 13 or 21.
    const inputs = Array.from({ length: 100 }, (_, k) => ({
      to: `+1415556${String((batch * 100 + k) * 10).padStart(4, "0")}`,
      body: `Shift update ${batch * 100 + k}`,
    }));
    for (const outcome of await queueMessageBatch(org.id, inputs)) {
      if (!("message" in outcome)) throw new Error(`refused: ${outcome.refused.message}`);
      ids.push(outcome.message.id);
    }
  }
}, 120_000);

afterAll(async () => {
  // In order, each step whatever the last did: the worker off the database, then the database.
  await worker?.stop().catch(() => {});
  await pg?.close();
  await ledger.stop();
});

describe("PostgreSQL crashes while the worker sends", () => {
  it("sends every message exactly once and records each SENT with the vendor's id", async () => {
    // Through the Unix socket, as `npm start` reaches its embedded server: a lost connection then
    // names the socket's path, not a port (db/index.ts, isLostDatabaseConnection).
    if (process.platform !== "win32") expect(postgresTarget(pg!.databaseUrl).path).toMatch(/\/\.s\.PGSQL\.\d+$/);
    worker = await startWorker({
      DATABASE_URL: pg!.databaseUrl,
      PUBLIC_URL: "http://127.0.0.1:9",
      SEND_LEASE_SECONDS: "2",
      SEND_SWEEP_SECONDS: "1",
      SEND_RATE_LIMITS: "off",
    });
    expect(await waitFor(() => ledger.received.length >= CRASH_AFTER, 60_000), "the worker started sending").toBe(true);
    await pg!.crash();
    const atCrash = ledger.received.length;
    await sleep(DOWN_MS);
    await pg!.start();
    // The crash came mid-stream: sends before it, and most of the messages after.
    expect(atCrash).toBeGreaterThanOrEqual(CRASH_AFTER);
    expect(atCrash).toBeLessThan(MESSAGES);

    const done = await waitFor(allSent, 150_000);
    const rows = await db.select().from(messages).where(inArray(messages.id, ids));
    if (!done) {
      const left = rows.filter((r) => r.status !== "SENT");
      throw new Error(`${left.length} not SENT, e.g. ${JSON.stringify(left.slice(0, 3))}\n${worker.output().slice(-3000)}`);
    }
    expect(rows).toHaveLength(MESSAGES);
    for (const row of rows) {
      expect(ledger.countFor(row.id), `sends of ${row.id}: ${row.status} ${row.errorDescription}`).toBe(1);
      expect(row.vendorMessageId).toBe(ledger.received.find((r) => r.clientRef === row.id)!.id);
      expect(row.needsReview).toBe(false);
    }
    expect(ledger.received).toHaveLength(MESSAGES);
  }, 240_000);
});

async function allSent(): Promise<boolean> {
  try {
    const rows = await db.select({ status: messages.status }).from(messages).where(inArray(messages.id, ids));
    return rows.length === MESSAGES && rows.every((r) => r.status === "SENT");
  } catch {
    return false; // the pool reconnecting after the crash
  }
}
