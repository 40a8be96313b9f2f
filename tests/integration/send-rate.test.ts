import type { ChildProcess } from "node:child_process";
import { inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db";
import { messages } from "@/db/schema/messages";
import { queueMessage } from "@/lib/messaging/send";
import { addNumber } from "@/lib/numbers";
import { saveVendorAccount, setDefaultVendorAccount } from "@/lib/vendors/accounts";
import { spawnTs, stopProcess } from "../helpers/app";
import { FakeLedger } from "../helpers/fake-ledger";
import { ownerWithOrg } from "../helpers/fixtures";

/**
 * Two worker processes share per-sender rate limits through PostgreSQL: at the vendor, no
 * sender ever exceeds its rate in any one-second window (a long code 1/s, a toll-free 3/s).
 */
const ledger = new FakeLedger();
const workers: ChildProcess[] = [];
const ids: string[] = [];
const LONG_CODE = "+12125550100";
const TOLL_FREE = "+18885550100";

beforeAll(async () => {
  await ledger.start();
  const { user, org } = await ownerWithOrg("Rate");
  const actor = { userId: user.id, label: "test" };
  const account = await saveVendorAccount(org.id, actor, { kind: "fake", name: "Fake", values: { deliveryDelayMs: 60_000, ledgerUrl: ledger.url } });
  await setDefaultVendorAccount(org.id, account.id, actor);
  await addNumber(org.id, actor, { vendorAccountId: account.id, e164: LONG_CODE, senderType: "LONG_CODE" });
  await addNumber(org.id, actor, { vendorAccountId: account.id, e164: TOLL_FREE, senderType: "TOLL_FREE" });
  for (let i = 0; i < 6; i++) ids.push((await queueMessage(org.id, { to: `+1415555${3000 + i * 10}`, from: LONG_CODE, body: `long ${i}` })).message.id);
  for (let i = 0; i < 15; i++) ids.push((await queueMessage(org.id, { to: `+1312555${3000 + i * 10}`, from: TOLL_FREE, body: `toll-free ${i}` })).message.id);
  workers.push(spawnTs("workers/run.ts"), spawnTs("workers/run.ts"));
});

afterAll(async () => {
  await Promise.all(workers.map((w) => stopProcess(w)));
  await ledger.stop();
});

describe("per-sender rate limits across two workers", () => {
  it("keeps each sender at or under its rate in every one-second window", async () => {
    const deadline = Date.now() + 45_000;
    while (ledger.received.length < ids.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(ledger.received).toHaveLength(ids.length);
    for (const [from, rate] of [[LONG_CODE, 1], [TOLL_FREE, 3]] as const) {
      const times = ledger.received.filter((r) => r.from === from).map((r) => r.at).sort((a, b) => a - b);
      expect(maxInAnyWindow(times, 1000), `${from} at ${rate}/s: ${times.map((t) => t - times[0]!).join(", ")}`).toBeLessThanOrEqual(rate);
    }
    // The vendor has them all; our side records each as SENT just after.
    const allSent = async () => (await db.select({ status: messages.status }).from(messages).where(inArray(messages.id, ids))).every((r) => r.status === "SENT");
    const sentBy = Date.now() + 10_000;
    while (!(await allSent()) && Date.now() < sentBy) await new Promise((r) => setTimeout(r, 100));
    expect(await allSent()).toBe(true);
  });
});

/** The most events inside any window [t, t + width) starting at an event. */
function maxInAnyWindow(times: number[], width: number): number {
  let best = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[j]! - times[i]! < width && j < times.length) j++;
    best = Math.max(best, j - i);
  }
  return best;
}
