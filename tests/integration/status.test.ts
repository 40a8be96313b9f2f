import { eq, inArray } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db";
import { messageEvents } from "@/db/schema/message-events";
import { messages } from "@/db/schema/messages";
import { vendorAccounts, type VendorAccount } from "@/db/schema/vendor-accounts";
import { applyStatus, UnknownMessageError } from "@/lib/messaging/receive";
import { queueMessage } from "@/lib/messaging/send";
import { addNumber } from "@/lib/numbers";
import { saveVendorAccount, setDefaultVendorAccount } from "@/lib/vendors/accounts";
import { fakeAdapter } from "@/lib/vendors/fake/adapter";
import type { StatusUpdate } from "@/lib/vendors/types";
import { ownerWithOrg } from "../helpers/fixtures";

/**
 * Delivery reports arrive duplicated and in any order. The status only moves forward
 * (QUEUED < SENDING < SENT < DELIVERED; FAILED and DELIVERED final), and every report is
 * kept in message_events. Fixed seeds make each shuffle reproducible.
 */
let account: VendorAccount;
let orgId: string;

beforeAll(async () => {
  const { user, org } = await ownerWithOrg("Status");
  orgId = org.id;
  const actor = { userId: user.id, label: "test" };
  const saved = await saveVendorAccount(org.id, actor, { kind: "fake", name: "Fake", values: { deliveryDelayMs: 0 } });
  await setDefaultVendorAccount(org.id, saved.id, actor);
  await addNumber(org.id, actor, { vendorAccountId: saved.id, e164: "+12125550100" });
  [account] = (await db.select().from(vendorAccounts).where(eq(vendorAccounts.id, saved.id))) as [VendorAccount];
});

/** A message as the send worker leaves it: SENT with a vendor id (no worker runs in this file). */
async function sentMessage(i: number): Promise<string> {
  const { message } = await queueMessage(orgId, { to: `+1415555${4000 + i * 10}`, body: `report test ${i}` });
  await db.update(messages).set({ status: "SENT", vendorMessageId: `FKS${i}`, sentAt: new Date() }).where(eq(messages.id, message.id));
  return message.id;
}

function shuffle<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const report = (vendorMessageId: string, status: StatusUpdate) => ({
  type: "status" as const,
  vendorMessageId,
  status,
  vendorStatus: status.toLowerCase(),
  errorCode: status === "FAILED" ? "FAKE-13" : undefined,
});

describe("delivery reports, shuffled and duplicated", () => {
  it("end DELIVERED when the vendor says delivered, whatever the order, and keep every report", async () => {
    const ids = await Promise.all(Array.from({ length: 20 }, (_, i) => sentMessage(i)));
    const reports = ids.flatMap((_, i) => {
      const vendorId = `FKS${i}`;
      // sent twice, delivered twice: duplicates, in a shuffled order across all messages
      return [report(vendorId, "SENT"), report(vendorId, "DELIVERED"), report(vendorId, "SENT"), report(vendorId, "DELIVERED")];
    });
    for (const r of shuffle(reports, 7)) await applyStatus(account, fakeAdapter, r);
    const rows = await db.select().from(messages).where(inArray(messages.id, ids));
    expect(rows.every((m) => m.status === "DELIVERED" && m.deliveredAt)).toBe(true);
    const events = await db.select().from(messageEvents).where(inArray(messageEvents.messageId, ids));
    expect(events.filter((e) => e.vendorStatus === "delivered")).toHaveLength(40);
    expect(events.filter((e) => e.vendorStatus === "sent")).toHaveLength(40);
  });

  it("let the first final report win: DELIVERED then FAILED stays DELIVERED, FAILED then DELIVERED stays FAILED", async () => {
    const a = await sentMessage(100);
    const b = await sentMessage(101);
    for (const r of [report("FKS100", "DELIVERED"), report("FKS100", "FAILED"), report("FKS100", "SENT")]) await applyStatus(account, fakeAdapter, r);
    for (const r of [report("FKS101", "FAILED"), report("FKS101", "DELIVERED"), report("FKS101", "SENT")]) await applyStatus(account, fakeAdapter, r);
    const [ma] = await db.select().from(messages).where(eq(messages.id, a));
    const [mb] = await db.select().from(messages).where(eq(messages.id, b));
    expect(ma!.status).toBe("DELIVERED");
    expect(ma!.errorCode).toBeNull();
    expect(mb!.status).toBe("FAILED");
    expect(mb!.errorDescription).toMatch(/ending in 13/); // from the vendor's own error table
    expect(await db.select().from(messageEvents).where(inArray(messageEvents.messageId, [a, b]))).toHaveLength(6);
  });

  it("asks to be retried for a report about a message not yet recorded as sent", async () => {
    await expect(applyStatus(account, fakeAdapter, report("FK-not-yet", "DELIVERED"))).rejects.toBeInstanceOf(UnknownMessageError);
  });
});
