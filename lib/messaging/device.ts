import { and, asc, count, eq, gt, inArray, isNull, sql } from "drizzle-orm";
import { db } from "@/db";
import { messageEvents } from "@/db/schema/message-events";
import { messages, type Message } from "@/db/schema/messages";
import { vendorAccounts, type VendorAccount } from "@/db/schema/vendor-accounts";
import { getAdapter, isVendorKind } from "@/lib/vendors/registry";

/**
 * The outbox of device-pull accounts (SMSsync): no vendor to call, a phone that comes for its
 * messages. The send worker moves a message to SENDING with no lease, which the sweep never
 * re-queues (its `lease_until < now()` is never true for null); the phone is offered the waiting
 * ones, oldest first, each time it asks, until it acknowledges them (then SENT, with our id as
 * the vendor's). An offer the phone never acknowledged is simply offered again.
 */

/** At most this many messages per answer to the phone: it sends them one by one through its SIM. */
const DEVICE_BATCH = 50;
/** How far back "waiting for a delivery report" looks: a phone with reports turned off is not asked forever. */
const REPORT_WINDOW = "7 days";

const DEVICE_WAITING = "awaiting device";

export function isDevicePull(account: Pick<VendorAccount, "kind">): boolean {
  return isVendorKind(account.kind) && getAdapter(account.kind).capabilities.devicePull;
}

/** deliverMessage's step for a device-pull account, in place of the send: the message now waits for the phone. */
export async function awaitDevice(message: Message): Promise<void> {
  await db.transaction(async (tx) => {
    const [claimed] = await tx
      .update(messages)
      .set({ status: "SENDING", attempts: sql`${messages.attempts} + 1`, leaseUntil: null })
      .where(and(eq(messages.id, message.id), eq(messages.status, "QUEUED")))
      .returning({ id: messages.id });
    if (claimed)
      await tx
        .insert(messageEvents)
        .values({ orgId: message.orgId, messageId: message.id, status: "SENDING", vendorStatus: DEVICE_WAITING });
  });
}

/** QUEUED messages of the account, which the worker has not yet put in the phone's queue. */
export async function queuedForDevice(accountId: string, limit = DEVICE_BATCH): Promise<string[]> {
  const rows = await db
    .select({ id: messages.id })
    .from(messages)
    .where(and(eq(messages.vendorAccountId, accountId), eq(messages.status, "QUEUED"), eq(messages.direction, "OUTBOUND")))
    .orderBy(asc(messages.createdAt))
    .limit(limit);
  return rows.map((row) => row.id);
}

/** Hands the phone the messages waiting for it, oldest first, and records when. */
export async function offerToDevice(accountId: string, limit = DEVICE_BATCH): Promise<Message[]> {
  const waiting = db
    .select({ id: messages.id })
    .from(messages)
    .where(
      and(
        eq(messages.vendorAccountId, accountId),
        eq(messages.status, "SENDING"),
        isNull(messages.leaseUntil),
        eq(messages.direction, "OUTBOUND"),
      ),
    )
    .orderBy(asc(messages.createdAt))
    .limit(limit);
  const offered = await db
    .update(messages)
    .set({ deviceOfferedAt: sql`now()` })
    .where(inArray(messages.id, waiting))
    .returning();
  return offered.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
}

/**
 * The phone has queued these messages (`task=sent`): SENT, with our id as the vendor's, so they
 * are never offered again and its delivery results find them. Returns every uuid that is one of
 * this account's messages, also those acknowledged before (a retried acknowledgement).
 */
export async function acknowledgeByDevice(accountId: string, uuids: string[]): Promise<string[]> {
  const ids = uuids.map((id) => id.toLowerCase()).filter(isUuid);
  if (ids.length === 0) return [];
  return db.transaction(async (tx) => {
    const mine = and(eq(messages.vendorAccountId, accountId), eq(messages.direction, "OUTBOUND"), inArray(messages.id, ids));
    const sent = await tx
      .update(messages)
      .set({
        status: "SENT",
        vendorMessageId: sql`${messages.id}::text`,
        sentAt: new Date(),
        errorCode: null,
        errorDescription: null,
      })
      .where(and(mine, eq(messages.status, "SENDING")))
      .returning({ id: messages.id, orgId: messages.orgId });
    if (sent.length > 0) {
      await tx
        .insert(messageEvents)
        .values(
          sent.map((m) => ({ orgId: m.orgId, messageId: m.id, status: "SENT" as const, vendorStatus: "queued on the phone" })),
        );
    }
    const known = await tx
      .select({ id: messages.id })
      .from(messages)
      .where(and(mine, inArray(messages.status, ["SENT", "DELIVERED", "FAILED"])));
    const knownIds = new Set(known.map((row) => row.id));
    return ids.filter((id) => knownIds.has(id));
  });
}

/** `task=result`: messages the phone has queued whose outcome it has not reported, oldest first. */
export async function awaitingDeviceReport(accountId: string, limit = 100): Promise<string[]> {
  const rows = await db
    .select({ id: messages.id })
    .from(messages)
    .where(
      and(
        eq(messages.vendorAccountId, accountId),
        eq(messages.direction, "OUTBOUND"),
        eq(messages.status, "SENT"),
        gt(messages.sentAt, sql`now() - ${REPORT_WINDOW}::interval`),
      ),
    )
    .orderBy(asc(messages.sentAt))
    .limit(limit);
  return rows.map((row) => row.id);
}

export async function touchDeviceContact(accountId: string): Promise<void> {
  await db.update(vendorAccounts).set({ lastDeviceContactAt: new Date() }).where(eq(vendorAccounts.id, accountId));
}

export type DeviceQueueItem = Pick<Message, "id" | "toE164" | "body" | "status" | "createdAt" | "deviceOfferedAt">;

/** The account's queue for its page: what waits for the phone, oldest first; org-scoped like every page query. */
export async function listDeviceQueue(
  orgId: string,
  accountId: string,
  limit = 50,
): Promise<{ items: DeviceQueueItem[]; total: number }> {
  const waiting = and(
    eq(messages.orgId, orgId),
    eq(messages.vendorAccountId, accountId),
    eq(messages.direction, "OUTBOUND"),
    // QUEUED for the moment before the worker takes it; SENDING with a lease would be a vendor send, which this account never has.
    sql`(${messages.status} = 'QUEUED' or (${messages.status} = 'SENDING' and ${isNull(messages.leaseUntil)}))`,
  );
  const [items, [total]] = await Promise.all([
    db
      .select({
        id: messages.id,
        toE164: messages.toE164,
        body: messages.body,
        status: messages.status,
        createdAt: messages.createdAt,
        deviceOfferedAt: messages.deviceOfferedAt,
      })
      .from(messages)
      .where(waiting)
      .orderBy(asc(messages.createdAt))
      .limit(limit),
    db.select({ n: count() }).from(messages).where(waiting),
  ]);
  return { items, total: total?.n ?? 0 };
}

function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(value);
}
