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

/**
 * SIGKILL a worker mid-send, again and again: every message must reach the vendor exactly
 * once. A message a killed worker left SENDING is reconciled with the vendor (the fake
 * vendor's ledger) by the next worker, never sent blind.
 */
const MESSAGES = 40;
const KILLS = 10;
const ledger = new FakeLedger(() => 30 + Math.floor(Math.random() * 250));
const workerEnv = { SEND_LEASE_SECONDS: "2", SEND_SWEEP_SECONDS: "1", SEND_RATE_LIMITS: "off" };
const ids: string[] = [];

beforeAll(async () => {
  await ledger.start();
  const { user, org } = await ownerWithOrg("Crash");
  const actor = { userId: user.id, label: "test" };
  // No delivery callbacks during the test: the ledger is what counts sends.
  const account = await saveVendorAccount(org.id, actor, { kind: "fake", name: "Fake", values: { deliveryDelayMs: 60_000, ledgerUrl: ledger.url } });
  await setDefaultVendorAccount(org.id, account.id, actor);
  await addNumber(org.id, actor, { vendorAccountId: account.id, e164: "+12125550100" });
  for (let i = 0; i < MESSAGES; i++) {
    ids.push((await queueMessage(org.id, { to: `+1415555${2000 + i * 10}`, body: `Shift update ${i}` })).message.id);
  }
});

afterAll(async () => {
  await ledger.stop();
});

describe("a worker killed mid-send", () => {
  it(`loses nothing and sends nothing twice across ${KILLS} SIGKILLs`, async () => {
    let kills = 0;
    for (let round = 0; round < KILLS; round++) {
      const before = ledger.received.length;
      const worker = spawnTs("workers/run.ts", [], workerEnv);
      // Kill it once it is sending (the ledger has seen a new request), at a random moment after.
      const sending = await waitFor(() => ledger.received.length > before || allDone(), 20_000);
      if (!sending) break;
      await new Promise((r) => setTimeout(r, Math.random() * 150));
      await kill(worker);
      kills++;
      if (await allDone()) break;
    }
    expect(kills).toBeGreaterThanOrEqual(3);

    const last = spawnTs("workers/run.ts", [], workerEnv);
    try {
      expect(await waitFor(allDone, 60_000)).toBe(true);
    } finally {
      await kill(last);
    }
    const rows = await db.select().from(messages).where(inArray(messages.id, ids));
    for (const row of rows) {
      expect(ledger.countFor(row.id), `sends of ${row.id}: ${row.status} ${row.errorCode} ${row.errorDescription}`).toBe(1);
      expect(row.vendorMessageId).toBe(ledger.received.find((r) => r.clientRef === row.id)!.id);
      expect(row.status).toBe("SENT");
    }
    expect(ledger.received).toHaveLength(MESSAGES);
    // Each round starts a worker process (a few seconds on a busy machine): allow for ten of them.
  }, 240_000);
});

async function allDone(): Promise<boolean> {
  const rows = await db.select({ status: messages.status }).from(messages).where(inArray(messages.id, ids));
  return rows.every((r) => r.status === "SENT" || r.status === "DELIVERED" || r.status === "FAILED");
}

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return false;
}

function kill(worker: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (worker.exitCode !== null || worker.signalCode !== null) return resolve();
    worker.once("exit", () => resolve());
    worker.kill("SIGKILL");
  });
}

