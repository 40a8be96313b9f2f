import { setTimeout as sleep } from "node:timers/promises";
import type { ChildProcess } from "node:child_process";
import { inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db";
import { messages } from "@/db/schema/messages";
import { queueMessage } from "@/lib/messaging/send";
import { addNumber } from "@/lib/numbers";
import { saveVendorAccount, setDefaultVendorAccount } from "@/lib/vendors/accounts";
import { spawnTs } from "../helpers/app";
import { FakeLedger } from "../helpers/fake-ledger";
import { ownerWithOrg } from "../helpers/fixtures";
import { waitFor } from "../helpers/wait";

/**
 * SIGKILL a worker mid-send, twenty times over: every message must reach the vendor exactly
 * once. A message a killed worker left SENDING is reconciled with the vendor (the fake
 * vendor's ledger) by the next worker, never sent blind.
 *
 * A worker takes every due send job in one batch and starts the sends together, so a round
 * uses up whatever is queued; each round therefore queues a few new messages before its
 * worker starts, and every one of the twenty workers has sends to be killed in the middle of.
 */
const KILLS = 20;
const FIRST = 10;
const PER_ROUND = 3;
const MAX_LEDGER_DELAY_MS = 300;
const ledger = new FakeLedger(() => 30 + Math.floor(Math.random() * (MAX_LEDGER_DELAY_MS - 30)));
const workerEnv = { SEND_LEASE_SECONDS: "2", SEND_SWEEP_SECONDS: "1", SEND_RATE_LIMITS: "off" };
const ids: string[] = [];
let orgId: string;

beforeAll(async () => {
  await ledger.start();
  const { user, org } = await ownerWithOrg("Crash");
  orgId = org.id;
  const actor = { userId: user.id, label: "test" };
  // No delivery callbacks during the test: the ledger is what counts sends.
  const account = await saveVendorAccount(org.id, actor, { kind: "fake", name: "Fake", values: { deliveryDelayMs: 60_000, ledgerUrl: ledger.url } });
  await setDefaultVendorAccount(org.id, account.id, actor);
  await addNumber(org.id, actor, { vendorAccountId: account.id, e164: "+12125550100" });
  await queueMore(FIRST);
});

afterAll(async () => {
  await ledger.stop();
});

describe("a worker killed mid-send", () => {
  it(`loses nothing and sends nothing twice across ${KILLS} SIGKILLs`, async () => {
    let kills = 0;
    let killedInFlight = 0;
    for (let round = 0; round < KILLS; round++) {
      if (round > 0) await queueMore(PER_ROUND);
      const before = ledger.received.length;
      const worker = spawnTs("workers/run.ts", [], workerEnv);
      // Kill it once it is sending (the ledger has answered a new request), at a random moment after.
      const sending = await waitFor(() => ledger.received.length > before, 30_000);
      if (!sending) {
        await kill(worker);
        break;
      }
      await sleep(Math.random() * 150);
      await kill(worker);
      kills++;
      // Sends still on their way when it died land now; the next round counts only its own worker's.
      const atKill = ledger.received.length;
      await sleep(MAX_LEDGER_DELAY_MS + 50);
      if (ledger.received.length > atKill) killedInFlight++;
    }
    expect(kills).toBe(KILLS);
    // Most rounds kill a worker with a request at the vendor it never heard back from.
    expect(killedInFlight).toBeGreaterThanOrEqual(KILLS / 4);

    const last = spawnTs("workers/run.ts", [], workerEnv);
    try {
      expect(await waitFor(allDone, 60_000)).toBe(true);
    } finally {
      await kill(last);
    }
    const rows = await db.select().from(messages).where(inArray(messages.id, ids));
    expect(rows).toHaveLength(FIRST + (KILLS - 1) * PER_ROUND);
    for (const row of rows) {
      expect(ledger.countFor(row.id), `sends of ${row.id}: ${row.status} ${row.errorCode} ${row.errorDescription}`).toBe(1);
      expect(row.vendorMessageId).toBe(ledger.received.find((r) => r.clientRef === row.id)!.id);
      expect(row.status).toBe("SENT");
    }
    expect(ledger.received).toHaveLength(rows.length);
    // Each round starts a worker process (several seconds on a busy machine): allow for twenty-one of them.
  }, 360_000);
});

/** Queues `n` more messages, each to its own recipient. */
async function queueMore(n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const k = ids.length;
    ids.push((await queueMessage(orgId, { to: `+1415555${2000 + k * 10}`, body: `Shift update ${k}` })).message.id);
  }
}

async function allDone(): Promise<boolean> {
  const rows = await db.select({ status: messages.status }).from(messages).where(inArray(messages.id, ids));
  return rows.every((r) => r.status === "SENT" || r.status === "DELIVERED" || r.status === "FAILED");
}

function kill(worker: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (worker.exitCode !== null || worker.signalCode !== null) return resolve();
    worker.once("exit", () => resolve());
    worker.kill("SIGKILL");
  });
}
