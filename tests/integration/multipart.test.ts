import { and, eq, inArray } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db";
import { contacts } from "@/db/schema/contacts";
import { inboundParts } from "@/db/schema/inbound-parts";
import { messageEvents } from "@/db/schema/message-events";
import { messageParts } from "@/db/schema/message-parts";
import { messages } from "@/db/schema/messages";
import { vendorAccounts, type VendorAccount } from "@/db/schema/vendor-accounts";
import { flushStaleParts } from "@/lib/messaging/concat";
import { applyStatus, receiveInbound, UnknownMessageError } from "@/lib/messaging/receive";
import { queueMessage } from "@/lib/messaging/send";
import { addNumber } from "@/lib/numbers";
import { saveVendorAccount, setDefaultVendorAccount } from "@/lib/vendors/accounts";
import { fakeAdapter } from "@/lib/vendors/fake/adapter";
import type { StatusUpdate, VendorEvent } from "@/lib/vendors/types";
import { ownerWithOrg } from "../helpers/fixtures";

/**
 * Vendors that split long texts (Vonage): inbound parts are joined into one message
 * whatever order, duplication or concurrency they arrive with, a set missing a part is
 * stored flagged rather than lost, and an outbound message sent in parts is DELIVERED only
 * when every part is. Reports that echo our id (Bandwidth's tag, Vonage's client-ref) find
 * their message by it, and settle a send a crash left for review.
 */
const OUR = "+12125550100";
let account: VendorAccount;
let orgId: string;

beforeAll(async () => {
  const { user, org } = await ownerWithOrg("Multipart");
  orgId = org.id;
  const actor = { userId: user.id, label: "test" };
  const saved = await saveVendorAccount(org.id, actor, { kind: "fake", name: "Fake", values: { deliveryDelayMs: 0 } });
  await setDefaultVendorAccount(org.id, saved.id, actor);
  await addNumber(org.id, actor, { vendorAccountId: saved.id, e164: OUR });
  [account] = (await db.select().from(vendorAccounts).where(eq(vendorAccounts.id, saved.id))) as [VendorAccount];
});

type Inbound = Extract<VendorEvent, { type: "inbound" }>;
const part = (from: string, ref: string, index: number, total: number, body: string): Inbound => ({
  type: "inbound",
  from,
  to: OUR,
  body,
  media: [],
  vendorMessageId: `VP-${from}-${ref}-${index}-${total}`,
  receivedAt: new Date(Date.UTC(2026, 10, 22, 9, 0, index)),
  parts: { ref, total, index },
});

const inboundFrom = (from: string) =>
  db
    .select()
    .from(messages)
    .where(and(eq(messages.orgId, orgId), eq(messages.fromE164, from), eq(messages.direction, "INBOUND")));

describe("inbound parts", () => {
  it("join into one message in part order, however they arrive, once", async () => {
    const from = "+14155550301";
    const parts = [
      part(from, "7", 3, 3, "the end."),
      part(from, "7", 1, 3, "Can I swap "),
      part(from, "7", 2, 3, "my Tuesday shift? "),
    ];
    await receiveInbound(account, parts[0]!);
    await receiveInbound(account, parts[1]!);
    expect(await inboundFrom(from)).toEqual([]);
    await receiveInbound(account, parts[2]!);
    await receiveInbound(account, parts[1]!); // the vendor sends a part again
    const rows = await inboundFrom(from);
    expect(rows.map((m) => [m.body, m.vendorMessageId, m.flag, m.createdAt.toISOString()])).toEqual([
      ["Can I swap my Tuesday shift? the end.", `VP-${from}-7-1-3`, null, "2026-11-22T09:00:01.000Z"],
    ]);
    const stored = await db.select().from(inboundParts).where(eq(inboundParts.fromE164, from));
    expect(stored).toHaveLength(3);
    expect(new Set(stored.map((p) => p.assembledMessageId))).toEqual(new Set([rows[0]!.id]));
  });

  it("join once when the parts are processed at the same moment by several workers", async () => {
    const from = "+14155550302";
    const texts = ["one ", "two ", "three ", "four ", "five"];
    const events = texts.map((text, i) => part(from, "200", i + 1, texts.length, text));
    await Promise.all([...events, ...events].map((e) => receiveInbound(account, e)));
    const rows = await inboundFrom(from);
    expect(rows.map((m) => m.body)).toEqual(["one two three four five"]);
  });

  it("keep a reused reference apart from the set it was used for before", async () => {
    const from = "+14155550303";
    await receiveInbound(account, part(from, "9", 1, 2, "first "));
    await receiveInbound(account, part(from, "9", 2, 2, "message"));
    // Days later the phone uses ref 9 again, for another message.
    await receiveInbound(account, { ...part(from, "9", 2, 2, "again"), vendorMessageId: "VP-reuse-2" });
    await receiveInbound(account, { ...part(from, "9", 1, 2, "second "), vendorMessageId: "VP-reuse-1" });
    const rows = await inboundFrom(from);
    expect(rows.map((m) => m.body).sort()).toEqual(["first message", "second again"]);
  });

  it("store a set whose missing part never came, flagged incomplete, with a gap where it is missing", async () => {
    const from = "+14155550304";
    await receiveInbound(account, part(from, "12", 1, 3, "Running late, "));
    await receiveInbound(account, part(from, "12", 3, 3, "by ten."));
    expect(await flushStaleParts(60_000)).toBe(0); // not stale yet
    expect(await inboundFrom(from)).toEqual([]);
    expect(await flushStaleParts(0)).toBe(1);
    const rows = await inboundFrom(from);
    expect(rows.map((m) => [m.body, m.flag])).toEqual([["Running late, […]by ten.", "incomplete"]]);
    expect(await flushStaleParts(0)).toBe(0);
  });

  it("take STOP sent in parts as STOP: the joined text is what keywords read", async () => {
    const from = "+14155550305";
    await receiveInbound(account, part(from, "3", 2, 2, "OP"));
    await receiveInbound(account, part(from, "3", 1, 2, "ST"));
    const [contact] = await db
      .select()
      .from(contacts)
      .where(and(eq(contacts.orgId, orgId), eq(contacts.e164, from)));
    expect(contact?.optedOutAt).toBeInstanceOf(Date);
    expect((await inboundFrom(from)).map((m) => m.body)).toEqual(["STOP"]);
  });
});

const report = (vendorMessageId: string, status: StatusUpdate, messageId?: string) => ({
  type: "status" as const,
  vendorMessageId,
  status,
  vendorStatus: status.toLowerCase(),
  errorCode: status === "FAILED" ? "FAKE-13" : undefined,
  messageId,
});

/** A message as the send worker leaves one the vendor split: SENT, the first part's id, a row per part. */
async function sentInParts(to: string, partIds: string[]): Promise<string> {
  const { message } = await queueMessage(orgId, { to, body: "x".repeat(300) });
  await db
    .update(messages)
    .set({ status: "SENT", vendorMessageId: partIds[0], sentAt: new Date() })
    .where(eq(messages.id, message.id));
  await db
    .insert(messageParts)
    .values(
      partIds.map((id, i) => ({
        orgId,
        messageId: message.id,
        vendorAccountId: account.id,
        vendorMessageId: id,
        partIndex: i + 1,
      })),
    );
  return message.id;
}

const statusOf = async (id: string) => (await db.select().from(messages).where(eq(messages.id, id)))[0]!;

describe("an outbound message sent in parts", () => {
  it("is DELIVERED only when every part is, whatever order the receipts come in", async () => {
    const id = await sentInParts("+14155550311", ["P1", "P2", "P3"]);
    await applyStatus(account, fakeAdapter, report("P3", "DELIVERED"));
    await applyStatus(account, fakeAdapter, report("P1", "DELIVERED"));
    await applyStatus(account, fakeAdapter, report("P1", "DELIVERED"));
    expect((await statusOf(id)).status).toBe("SENT");
    await applyStatus(account, fakeAdapter, report("P2", "DELIVERED"));
    expect((await statusOf(id)).status).toBe("DELIVERED");
    const events = await db.select().from(messageEvents).where(eq(messageEvents.messageId, id));
    expect(
      events
        .map((e) => e.vendorStatus)
        .filter((s) => s?.startsWith("delivered"))
        .sort(),
    ).toEqual(["delivered (part 1)", "delivered (part 1)", "delivered (part 2)", "delivered (part 3)"]);
  });

  it("becomes DELIVERED when receipts for all parts are applied at once by several workers", async () => {
    const ids = ["Q1", "Q2", "Q3", "Q4"];
    const id = await sentInParts("+14155550312", ids);
    await Promise.all(ids.map((p) => applyStatus(account, fakeAdapter, report(p, "DELIVERED"))));
    expect((await statusOf(id)).status).toBe("DELIVERED");
  });

  it("is FAILED when one part fails, with the vendor's words, and stays FAILED", async () => {
    const id = await sentInParts("+14155550313", ["R1", "R2"]);
    await applyStatus(account, fakeAdapter, report("R1", "DELIVERED"));
    await applyStatus(account, fakeAdapter, report("R2", "FAILED"));
    await applyStatus(account, fakeAdapter, report("R2", "DELIVERED"));
    const message = await statusOf(id);
    expect([message.status, message.errorCode]).toEqual(["FAILED", "FAKE-13"]);
    expect(message.errorDescription).toBe(fakeAdapter.errorDescription("FAKE-13")!.description);
  });
});

describe("reports that echo our id", () => {
  it("find the message by it, and refuse another account's message", async () => {
    const { message } = await queueMessage(orgId, { to: "+14155550321", body: "tagged" });
    await db
      .update(messages)
      .set({ status: "SENT", vendorMessageId: "TAG-1", sentAt: new Date() })
      .where(eq(messages.id, message.id));
    await applyStatus(account, fakeAdapter, report("vendor-id-we-never-stored", "DELIVERED", message.id));
    expect((await statusOf(message.id)).status).toBe("DELIVERED");

    const other = await ownerWithOrg("Multipart other");
    const otherSaved = await saveVendorAccount(
      other.org.id,
      { userId: other.user.id, label: "test" },
      { kind: "fake", name: "Fake", values: {} },
    );
    const [otherAccount] = await db.select().from(vendorAccounts).where(eq(vendorAccounts.id, otherSaved.id));
    const { message: second } = await queueMessage(orgId, { to: "+14155550322", body: "not theirs" });
    await db.update(messages).set({ status: "SENT", vendorMessageId: "TAG-2" }).where(eq(messages.id, second.id));
    await expect(applyStatus(otherAccount!, fakeAdapter, report("TAG-X", "DELIVERED", second.id))).rejects.toBeInstanceOf(
      UnknownMessageError,
    );
    expect((await statusOf(second.id)).status).toBe("SENT");
  });

  it("wait while the worker is still recording the send, and settle a send a crash left for review", async () => {
    const { message } = await queueMessage(orgId, { to: "+14155550323", body: "crashed mid-send" });
    await db.update(messages).set({ status: "SENDING" }).where(eq(messages.id, message.id));
    await expect(applyStatus(account, fakeAdapter, report("BW-77", "DELIVERED", message.id))).rejects.toBeInstanceOf(
      UnknownMessageError,
    );
    await db.update(messages).set({ needsReview: true }).where(eq(messages.id, message.id));
    await applyStatus(account, fakeAdapter, report("BW-77", "DELIVERED", message.id));
    const settled = await statusOf(message.id);
    expect([settled.status, settled.vendorMessageId, settled.needsReview]).toEqual(["DELIVERED", "BW-77", false]);
    const unrelated = await db
      .select()
      .from(messages)
      .where(inArray(messages.vendorMessageId, ["BW-77"]));
    expect(unrelated).toHaveLength(1);
  });
});
