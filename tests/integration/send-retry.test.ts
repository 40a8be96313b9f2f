import type { ChildProcess } from "node:child_process";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db";
import { messageEvents } from "@/db/schema/message-events";
import { messages } from "@/db/schema/messages";
import { queueMessage } from "@/lib/messaging/send";
import { addNumber } from "@/lib/numbers";
import { saveVendorAccount, setDefaultVendorAccount } from "@/lib/vendors/accounts";
import { spawnTs, stopProcess } from "../helpers/app";
import { FakeLedger } from "../helpers/fake-ledger";
import { ownerWithOrg } from "../helpers/fixtures";

/** A vendor outage: retryable errors back off and retry, then fail with the vendor's words; a recovery sends once. */
const ledger = new FakeLedger();
let worker: ChildProcess;
let orgId: string;

beforeAll(async () => {
  await ledger.start();
  const { user, org } = await ownerWithOrg("Retry");
  orgId = org.id;
  const actor = { userId: user.id, label: "test" };
  const account = await saveVendorAccount(org.id, actor, { kind: "fake", name: "Fake", values: { deliveryDelayMs: 60_000, ledgerUrl: ledger.url } });
  await setDefaultVendorAccount(org.id, account.id, actor);
  await addNumber(org.id, actor, { vendorAccountId: account.id, e164: "+12125550100" });
  worker = spawnTs("workers/run.ts", [], { SEND_MAX_ATTEMPTS: "3", SEND_RETRY_BASE_SECONDS: "1", SEND_RATE_LIMITS: "off" });
});

afterAll(async () => {
  await stopProcess(worker);
  await ledger.stop();
});

async function statusOf(id: string, wanted: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [row] = await db.select().from(messages).where(eq(messages.id, id));
    if (row?.status === wanted) return row;
    if (Date.now() > deadline) throw new Error(`message stayed ${row?.status}, wanted ${wanted}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("a vendor outage", () => {
  it("retries with backoff, then marks the message FAILED with the vendor's description", async () => {
    ledger.failWith = 503;
    const before = ledger.attempts;
    const { message } = await queueMessage(orgId, { to: "+14155550170", body: "roster for next week" });
    const failed = await statusOf(message.id, "FAILED");
    expect(failed.attempts).toBe(3);
    expect(ledger.attempts - before).toBe(3);
    expect(failed.errorCode).toBe("http_503");
    expect(failed.errorDescription).toMatch(/answered 503/);
    const events = await db.select().from(messageEvents).where(eq(messageEvents.messageId, message.id));
    expect(events.filter((e) => e.vendorStatus === "retrying")).toHaveLength(2);
  });

  it("sends once when the vendor comes back during the retries", async () => {
    ledger.failWith = 503;
    const start = ledger.attempts;
    const { message } = await queueMessage(orgId, { to: "+14155550180", body: "shift swap" });
    const deadline = Date.now() + 10_000;
    while (ledger.attempts === start && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(ledger.attempts).toBe(start + 1); // the first attempt met the outage
    ledger.failWith = null;
    const sent = await statusOf(message.id, "SENT");
    expect(ledger.countFor(message.id)).toBe(1);
    expect(sent.attempts).toBe(2);
    expect(sent.errorCode).toBeNull();
  });
});
