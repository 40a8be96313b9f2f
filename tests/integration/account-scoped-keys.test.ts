import { count, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db";
import { messageEvents } from "@/db/schema/message-events";
import { messages } from "@/db/schema/messages";
import { orgs } from "@/db/schema/orgs";
import { vendorAccounts, type VendorAccount } from "@/db/schema/vendor-accounts";
import { vendorRequestLogs } from "@/db/schema/vendor-request-logs";
import { webhookEvents } from "@/db/schema/webhook-events";
import { pgErrorCode } from "@/lib/action-result";
import { deleteVendorAccount, saveVendorAccount } from "@/lib/vendors/accounts";
import { ownerWithOrg } from "../helpers/fixtures";

/**
 * Request logs and webhook events reference their account as (org_id, vendor_account_id), and
 * message events reach their org through their message, instead of each row locking the org's
 * one row (migration 0009). What the old keys guaranteed must still hold: no row names an
 * account of another org, and deleting an account or an org takes its rows with it.
 */
type Org = Awaited<ReturnType<typeof ownerWithOrg>>;
let a: Org;
let b: Org;
let accountA: VendorAccount;
let accountB: VendorAccount;

beforeAll(async () => {
  a = await ownerWithOrg("Keys A");
  b = await ownerWithOrg("Keys B");
  accountA = await fakeAccount(a, "Fake A");
  accountB = await fakeAccount(b, "Fake B");
});

function fakeAccount(owner: Org, name: string): Promise<VendorAccount> {
  return saveVendorAccount(owner.org.id, { userId: owner.user.id, label: "test" }, { kind: "fake", name, values: { deliveryDelayMs: 0 } });
}

const logRow = (orgId: string, vendorAccountId: string) => ({ orgId, vendorAccountId, method: "POST", url: "http://127.0.0.1/x", durationMs: 3 });
const webhookRow = (orgId: string, vendorAccountId: string) => ({ orgId, vendorAccountId, action: "inbound", method: "POST", url: "/x", headers: {}, body: "" });

/** The PostgreSQL error code the statement failed with, or undefined when it succeeded. */
function codeOf(statement: Promise<unknown>): Promise<string | undefined> {
  return statement.then(() => undefined, pgErrorCode);
}

async function rowsOfAccount(accountId: string) {
  const [[logs], [events]] = await Promise.all([
    db.select({ n: count() }).from(vendorRequestLogs).where(eq(vendorRequestLogs.vendorAccountId, accountId)),
    db.select({ n: count() }).from(webhookEvents).where(eq(webhookEvents.vendorAccountId, accountId)),
  ]);
  return { logs: logs!.n, webhookEvents: events!.n };
}

describe("rows that belong to a vendor account", () => {
  it("are stored for the account's own org", async () => {
    await db.insert(vendorRequestLogs).values(logRow(a.org.id, accountA.id));
    await db.insert(webhookEvents).values(webhookRow(a.org.id, accountA.id));
    expect(await rowsOfAccount(accountA.id)).toEqual({ logs: 1, webhookEvents: 1 });
  });

  it("are refused by the database when they name another org's account", async () => {
    expect(await codeOf(db.insert(vendorRequestLogs).values(logRow(a.org.id, accountB.id)))).toBe("23503");
    expect(await codeOf(db.insert(webhookEvents).values(webhookRow(a.org.id, accountB.id)))).toBe("23503");
    expect(await codeOf(db.insert(vendorRequestLogs).values(logRow(b.org.id, accountA.id)))).toBe("23503");
    expect(await rowsOfAccount(accountB.id)).toEqual({ logs: 0, webhookEvents: 0 });
  });

  it("are refused when the account does not exist", async () => {
    expect(await codeOf(db.insert(webhookEvents).values(webhookRow(a.org.id, "00000000-0000-4000-8000-000000000000")))).toBe("23503");
  });

  it("go when their account is deleted, and another org's stay", async () => {
    const doomed = await fakeAccount(a, "Fake A doomed");
    await db.insert(vendorRequestLogs).values([logRow(a.org.id, doomed.id), logRow(a.org.id, doomed.id)]);
    await db.insert(webhookEvents).values(webhookRow(a.org.id, doomed.id));
    await db.insert(vendorRequestLogs).values(logRow(b.org.id, accountB.id));
    expect(await rowsOfAccount(doomed.id)).toEqual({ logs: 2, webhookEvents: 1 });

    await deleteVendorAccount(a.org.id, doomed.id, { userId: a.user.id, label: "test" });

    expect(await rowsOfAccount(doomed.id)).toEqual({ logs: 0, webhookEvents: 0 });
    expect(await rowsOfAccount(accountB.id)).toEqual({ logs: 1, webhookEvents: 0 });
  });
});

describe("deleting an org", () => {
  it("takes its accounts' logs and webhook events and its messages' events, and nothing of another org", async () => {
    const gone = await ownerWithOrg("Keys gone");
    const account = await fakeAccount(gone, "Fake gone");
    await db.insert(vendorRequestLogs).values(logRow(gone.org.id, account.id));
    await db.insert(webhookEvents).values(webhookRow(gone.org.id, account.id));
    const message = (orgId: string) => ({ orgId, direction: "OUTBOUND" as const, body: "hi", fromE164: "+14155550100", toE164: "+14155550101", status: "SENT" as const });
    const [goneMessage] = await db.insert(messages).values(message(gone.org.id)).returning();
    const [keptMessage] = await db.insert(messages).values(message(b.org.id)).returning();
    await db.insert(messageEvents).values([
      { orgId: gone.org.id, messageId: goneMessage!.id, status: "SENT" },
      { orgId: b.org.id, messageId: keptMessage!.id, status: "SENT" },
    ]);

    await db.delete(orgs).where(eq(orgs.id, gone.org.id));

    expect(await db.select().from(vendorAccounts).where(eq(vendorAccounts.orgId, gone.org.id))).toEqual([]);
    expect(await rowsOfAccount(account.id)).toEqual({ logs: 0, webhookEvents: 0 });
    expect(await db.select().from(messageEvents).where(eq(messageEvents.orgId, gone.org.id))).toEqual([]);
    expect(await db.select({ id: messageEvents.messageId }).from(messageEvents).where(eq(messageEvents.orgId, b.org.id))).toContainEqual({ id: keptMessage!.id });
  });
});
