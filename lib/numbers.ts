import { and, asc, count, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import { fromDrizzle } from "pg-boss";
import { db, type DbOrTx } from "@/db";
import { writeAudit } from "@/db/queries/audit";
import { memberships } from "@/db/schema/memberships";
import { numberOrders } from "@/db/schema/number-orders";
import { orgs } from "@/db/schema/orgs";
import { phoneNumbers, SENDER_TYPES, type PhoneNumber, type SenderType } from "@/db/schema/phone-numbers";
import { users } from "@/db/schema/users";
import { vendorAccounts, type VendorAccount } from "@/db/schema/vendor-accounts";
import { ActionError, isUniqueViolation } from "@/lib/action-result";
import { enqueue } from "@/lib/jobs";
import { formatPhone, toE164 } from "@/lib/phone";
import { DEFAULT_COUNTRY } from "@/lib/time";
import { findVendorAccount, isUuid, type Actor } from "@/lib/vendors/accounts";
import { buildVendorContext } from "@/lib/vendors/context";
import { VendorError } from "@/lib/vendors/errors";
import { getAdapter, isVendorKind } from "@/lib/vendors/registry";
import type { AnyVendorAdapter, NumberInventory, VendorContext } from "@/lib/vendors/types";
import { buyNumbersJob } from "@/workers/jobs/buy-numbers";

/** Messages per second when a number has no override (Twilio's limits per sender type). */
export const DEFAULT_RATES: Record<SenderType, number> = { LONG_CODE: 1, TOLL_FREE: 3, SHORT_CODE: 100, ALPHANUMERIC: 1 };

export const SENDER_TYPE_LABELS: Record<SenderType, string> = {
  LONG_CODE: "Long code",
  TOLL_FREE: "Toll-free",
  SHORT_CODE: "Short code",
  ALPHANUMERIC: "Alphanumeric",
};

export function effectiveRate(number: Pick<PhoneNumber, "rate" | "senderType">): { perSecond: number; isDefault: boolean } {
  return { perSecond: number.rate ?? DEFAULT_RATES[number.senderType], isDefault: number.rate === null };
}

/**
 * Adds a number the org already has with a vendor. The number may be typed any way; it is
 * read with the org's default country. Nothing is written unless every check passes.
 */
export async function addNumber(
  orgId: string,
  actor: Actor,
  input: { vendorAccountId: string; e164: string; senderType?: SenderType; messagingServiceId?: string },
): Promise<PhoneNumber> {
  const account = await findVendorAccount(orgId, input.vendorAccountId);
  // The CLI calls this directly, without the action's schema in front.
  if (input.senderType && !SENDER_TYPES.includes(input.senderType)) {
    throw new ActionError(422, `senderType: use one of ${SENDER_TYPES.join(", ")}`, { senderType: "Choose a sender type" });
  }
  if ((input.messagingServiceId?.trim().length ?? 0) > 64) {
    throw new ActionError(422, "messagingServiceId: use at most 64 characters", {
      messagingServiceId: "Use at most 64 characters",
    });
  }
  const parsed = toE164(input.e164, await orgDefaultCountry(orgId));
  if (!parsed.ok)
    throw new ActionError(422, `“${input.e164.trim()}” can't be read as a phone number: ${parsed.reason}.`, {
      e164: parsed.reason,
    });
  const existing = await findNumberByE164(orgId, parsed.e164);
  if (existing) throw duplicateNumber(parsed.e164, existing.accountName);
  try {
    return await db.transaction(async (tx) => {
      const [row] = await tx
        .insert(phoneNumbers)
        .values({
          orgId,
          vendorAccountId: account.id,
          e164: parsed.e164,
          senderType: input.senderType ?? "LONG_CODE",
          messagingServiceId: input.messagingServiceId?.trim() || null,
        })
        .returning();
      await writeAudit(
        {
          orgId,
          actorUserId: actor.userId,
          actorLabel: actor.label,
          action: "phone_number.add",
          targetType: "phone_number",
          targetId: row!.id,
          details: { e164: row!.e164, vendorAccountId: account.id, senderType: row!.senderType },
        },
        tx,
      );
      return row!;
    });
  } catch (error) {
    // Someone added the same number between our check and our insert.
    if (isUniqueViolation(error)) throw duplicateNumber(parsed.e164, account.name);
    throw error;
  }
}

export type NumberRow = Awaited<ReturnType<typeof listNumbers>>[number];

/** The org's numbers with their account and assigned texter, optionally for one account. */
export async function listNumbers(orgId: string, filter: { vendorAccountId?: string } = {}) {
  const conditions: SQL[] = [eq(phoneNumbers.orgId, orgId)];
  if (filter.vendorAccountId)
    conditions.push(eq(phoneNumbers.vendorAccountId, isUuid(filter.vendorAccountId) ? filter.vendorAccountId : NO_ID));
  return db
    .select({
      id: phoneNumbers.id,
      e164: phoneNumbers.e164,
      capabilities: phoneNumbers.capabilities,
      senderType: phoneNumbers.senderType,
      rate: phoneNumbers.rate,
      messagingServiceId: phoneNumbers.messagingServiceId,
      vendorAccountId: phoneNumbers.vendorAccountId,
      accountName: vendorAccounts.name,
      accountKind: vendorAccounts.kind,
      assignedUserId: phoneNumbers.assignedUserId,
      assignedName: users.name,
      // A texter who has left the org keeps the assignment until someone changes it; the page says so.
      assignedIsMember: sql<boolean>`${memberships.id} is not null`,
      createdAt: phoneNumbers.createdAt,
    })
    .from(phoneNumbers)
    .innerJoin(vendorAccounts, and(eq(vendorAccounts.id, phoneNumbers.vendorAccountId), eq(vendorAccounts.orgId, orgId)))
    .leftJoin(users, eq(users.id, phoneNumbers.assignedUserId))
    .leftJoin(memberships, and(eq(memberships.userId, phoneNumbers.assignedUserId), eq(memberships.orgId, orgId)))
    .where(and(...conditions))
    .orderBy(asc(phoneNumbers.e164));
}

export type NumberAccount = Awaited<ReturnType<typeof listNumberAccounts>>[number];

/** The org's vendor accounts as the numbers page needs them: no config, no secrets. */
export async function listNumberAccounts(orgId: string) {
  const [rows, counts] = await Promise.all([
    db
      .select({ id: vendorAccounts.id, name: vendorAccounts.name, kind: vendorAccounts.kind, enabled: vendorAccounts.enabled })
      .from(vendorAccounts)
      .where(eq(vendorAccounts.orgId, orgId))
      .orderBy(asc(vendorAccounts.name)),
    db
      .select({ accountId: phoneNumbers.vendorAccountId, n: count() })
      .from(phoneNumbers)
      .where(eq(phoneNumbers.orgId, orgId))
      .groupBy(phoneNumbers.vendorAccountId),
  ]);
  const numbers = new Map(counts.map((c) => [c.accountId, c.n]));
  return rows.map((row) => {
    const adapter = isVendorKind(row.kind) ? getAdapter(row.kind) : undefined;
    return {
      ...row,
      kindName: adapter?.displayName ?? row.kind,
      inventory: Boolean(adapter?.inventory),
      numbers: numbers.get(row.id) ?? 0,
    };
  });
}

/** Assigns a number to a member of the org (the texter who sends from it), or unassigns it with null. */
export async function assignNumber(orgId: string, actor: Actor, numberId: string, userId: string | null): Promise<void> {
  const number = await findNumber(orgId, numberId);
  if (userId) {
    const [member] = await db
      .select({ id: memberships.id })
      .from(memberships)
      .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, isUuid(userId) ? userId : NO_ID)))
      .limit(1);
    if (!member)
      throw new ActionError(422, "That person is not a member of this organization.", {
        userId: "Choose a member of this organization",
      });
  }
  await db.transaction(async (tx) => {
    await tx
      .update(phoneNumbers)
      .set({ assignedUserId: userId })
      .where(and(eq(phoneNumbers.orgId, orgId), eq(phoneNumbers.id, number.id)));
    await writeAudit(
      {
        orgId,
        actorUserId: actor.userId,
        actorLabel: actor.label,
        action: userId ? "phone_number.assign" : "phone_number.unassign",
        targetType: "phone_number",
        targetId: number.id,
        details: { e164: number.e164, userId },
      },
      tx,
    );
  });
}

/**
 * Changes how a number sends: sender type, a rate override (null: the type's default) and
 * its messaging service. A vendor that manages services is told first; a refusal changes nothing.
 */
export async function updateNumberSettings(
  orgId: string,
  actor: Actor,
  numberId: string,
  input: { senderType: SenderType; rate: number | null; messagingServiceId: string | null },
): Promise<PhoneNumber> {
  const number = await findNumber(orgId, numberId);
  const messagingServiceId = input.messagingServiceId?.trim() || null;
  if (messagingServiceId && messagingServiceId !== number.messagingServiceId) {
    const vendor = await inventoryFor(orgId, await findVendorAccount(orgId, number.vendorAccountId));
    const add = vendor?.inventory.addToMessagingService;
    if (vendor && add)
      await vendorCall(
        vendor.adapter,
        () => add(vendor.ctx, number, messagingServiceId),
        `add ${formatPhone(number.e164)} to ${messagingServiceId}`,
      );
  }
  const next = { senderType: input.senderType, rate: input.rate, messagingServiceId };
  const changed = (Object.keys(next) as (keyof typeof next)[]).filter((key) => next[key] !== number[key]);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(phoneNumbers)
      .set(next)
      .where(and(eq(phoneNumbers.orgId, orgId), eq(phoneNumbers.id, number.id)))
      .returning();
    await writeAudit(
      {
        orgId,
        actorUserId: actor.userId,
        actorLabel: actor.label,
        action: "phone_number.update",
        targetType: "phone_number",
        targetId: number.id,
        details: { e164: number.e164, fields: changed },
      },
      tx,
    );
    return row!;
  });
}

/**
 * Gives a number back to its vendor, then forgets it. If the vendor refuses, the number
 * stays. Accounts without a number inventory only lose the number here.
 */
export async function releaseNumber(
  orgId: string,
  actor: Actor,
  numberId: string,
): Promise<{ e164: string; releasedAtVendor: boolean }> {
  const number = await findNumber(orgId, numberId);
  const account = await findVendorAccount(orgId, number.vendorAccountId);
  const vendor = await inventoryFor(orgId, account);
  if (vendor)
    await vendorCall(
      vendor.adapter,
      () => vendor.inventory.release(vendor.ctx, number),
      `release ${formatPhone(number.e164)}; it is still on “${account.name}”`,
    );
  await db.transaction(async (tx) => {
    await tx.delete(phoneNumbers).where(and(eq(phoneNumbers.orgId, orgId), eq(phoneNumbers.id, number.id)));
    await writeAudit(
      {
        orgId,
        actorUserId: actor.userId,
        actorLabel: actor.label,
        action: "phone_number.release",
        targetType: "phone_number",
        targetId: number.id,
        details: { e164: number.e164, vendorAccountId: account.id, releasedAtVendor: vendor !== null },
      },
      tx,
    );
  });
  return { e164: number.e164, releasedAtVendor: vendor !== null };
}

/** Adds the numbers the vendor says this account already owns; ones the org has are left alone. */
export async function importOwnedNumbers(
  orgId: string,
  actor: Actor,
  vendorAccountId: string,
): Promise<{ imported: number; alreadyPresent: number; numbers: string[] }> {
  const account = await findVendorAccount(orgId, vendorAccountId);
  const vendor = await inventoryFor(orgId, account);
  if (!vendor) throw noInventory(account);
  const owned = await vendorCall(vendor.adapter, () => vendor.inventory.list(vendor.ctx), "list this account's numbers");
  const rows = owned.flatMap((n) => {
    const parsed = toE164(n.e164, vendor.ctx.defaultCountry);
    if (!parsed.ok) return [];
    return [
      {
        orgId,
        vendorAccountId: account.id,
        e164: parsed.e164,
        capabilities: n.capabilities,
        senderType: n.senderType ?? ("LONG_CODE" as const),
        messagingServiceId: n.messagingServiceId ?? null,
        vendorNumberId: n.vendorNumberId,
      },
    ];
  });
  return db.transaction(async (tx) => {
    const inserted =
      rows.length === 0
        ? []
        : await tx
            .insert(phoneNumbers)
            .values(rows)
            .onConflictDoNothing({ target: [phoneNumbers.orgId, phoneNumbers.e164] })
            .returning({ e164: phoneNumbers.e164 });
    const result = {
      imported: inserted.length,
      alreadyPresent: rows.length - inserted.length,
      numbers: inserted.map((r) => r.e164),
    };
    await writeAudit(
      {
        orgId,
        actorUserId: actor.userId,
        actorLabel: actor.label,
        action: "phone_number.import",
        targetType: "vendor_account",
        targetId: account.id,
        details: result,
      },
      tx,
    );
    return result;
  });
}

/** A preview for the buy form: what the vendor offers in an area code, marking what the org already has. */
export async function searchAvailableNumbers(orgId: string, vendorAccountId: string, areaCode: string, limit = 12) {
  const account = await findVendorAccount(orgId, vendorAccountId);
  const vendor = await inventoryFor(orgId, account);
  if (!vendor) throw noInventory(account);
  const found = await vendorCall(
    vendor.adapter,
    () => vendor.inventory.search(vendor.ctx, { areaCode, limit: Math.min(limit + 20, 100) }),
    `search ${areaCode}`,
  );
  const mine = await ownedAmong(
    orgId,
    found.map((n) => n.e164),
  );
  return found
    .map((n) => ({
      e164: n.e164,
      formatted: formatPhone(n.e164),
      locality: [n.locality, n.region].filter(Boolean).join(", "),
      capabilities: n.capabilities,
      owned: mine.has(n.e164),
    }))
    .sort((a, b) => Number(a.owned) - Number(b.owned))
    .slice(0, limit);
}

/**
 * Places an order to buy `quantity` numbers in an area code. The order row and its
 * buy-numbers job commit in one transaction: there is never an order no worker will see.
 */
export async function createNumberOrder(
  orgId: string,
  actor: Actor,
  input: { vendorAccountId: string; areaCode: string; quantity: number },
): Promise<{ orderId: string }> {
  const account = await findVendorAccount(orgId, input.vendorAccountId);
  if (!(isVendorKind(account.kind) && getAdapter(account.kind).inventory)) throw noInventory(account);
  if (!account.enabled)
    throw new ActionError(422, `“${account.name}” is disabled. Enable it on the Vendors page first.`, {
      vendorAccountId: "This account is disabled",
    });
  return db.transaction(async (tx) => {
    const [order] = await tx
      .insert(numberOrders)
      .values({ orgId, vendorAccountId: account.id, areaCode: input.areaCode, quantity: input.quantity, createdBy: actor.userId })
      .returning({ id: numberOrders.id });
    await writeAudit(
      {
        orgId,
        actorUserId: actor.userId,
        actorLabel: actor.label,
        action: "number_order.create",
        targetType: "number_order",
        targetId: order!.id,
        details: { vendorAccountId: account.id, areaCode: input.areaCode, quantity: input.quantity },
      },
      tx,
    );
    await enqueue(buyNumbersJob, { orderId: order!.id }, { db: fromDrizzle(tx, sql) });
    return { orderId: order!.id };
  });
}

export type NumberOrderView = Awaited<ReturnType<typeof listNumberOrders>>[number];

/** The org's latest orders, newest first, with their account's name. */
export async function listNumberOrders(orgId: string, limit = 5) {
  return orderQuery(eq(numberOrders.orgId, orgId)).orderBy(desc(numberOrders.createdAt)).limit(limit);
}

/** One order of the org, or null (another org's id is indistinguishable from none). */
export async function findNumberOrder(orgId: string, orderId: string): Promise<NumberOrderView | null> {
  if (!isUuid(orderId)) return null;
  const [row] = await orderQuery(and(eq(numberOrders.orgId, orgId), eq(numberOrders.id, orderId))!).limit(1);
  return row ?? null;
}

/** One number of the org, or 404. */
export async function findNumber(orgId: string, numberId: string): Promise<PhoneNumber> {
  const [row] = await db
    .select()
    .from(phoneNumbers)
    .where(and(eq(phoneNumbers.orgId, orgId), eq(phoneNumbers.id, isUuid(numberId) ? numberId : NO_ID)))
    .limit(1);
  if (!row) throw new ActionError(404, "Not found.");
  return row;
}

const NO_ID = "00000000-0000-0000-0000-000000000000";

function orderQuery(where: SQL) {
  return db
    .select({
      id: numberOrders.id,
      vendorAccountId: numberOrders.vendorAccountId,
      accountName: vendorAccounts.name,
      areaCode: numberOrders.areaCode,
      quantity: numberOrders.quantity,
      bought: numberOrders.bought,
      failed: numberOrders.failed,
      status: numberOrders.status,
      error: numberOrders.error,
      createdAt: numberOrders.createdAt,
      finishedAt: numberOrders.finishedAt,
    })
    .from(numberOrders)
    .innerJoin(
      vendorAccounts,
      and(eq(vendorAccounts.id, numberOrders.vendorAccountId), eq(vendorAccounts.orgId, numberOrders.orgId)),
    )
    .where(where);
}

async function orgDefaultCountry(orgId: string): Promise<string> {
  const [org] = await db.select({ features: orgs.features }).from(orgs).where(eq(orgs.id, orgId)).limit(1);
  return org?.features.defaultCountry ?? DEFAULT_COUNTRY;
}

async function findNumberByE164(orgId: string, e164: string, q: DbOrTx = db) {
  const [row] = await q
    .select({ id: phoneNumbers.id, accountName: vendorAccounts.name })
    .from(phoneNumbers)
    .innerJoin(vendorAccounts, and(eq(vendorAccounts.id, phoneNumbers.vendorAccountId), eq(vendorAccounts.orgId, orgId)))
    .where(and(eq(phoneNumbers.orgId, orgId), eq(phoneNumbers.e164, e164)))
    .limit(1);
  return row;
}

async function ownedAmong(orgId: string, e164s: string[]): Promise<Set<string>> {
  if (e164s.length === 0) return new Set();
  const rows = await db
    .select({ e164: phoneNumbers.e164 })
    .from(phoneNumbers)
    .where(and(eq(phoneNumbers.orgId, orgId), inArray(phoneNumbers.e164, e164s)));
  return new Set(rows.map((r) => r.e164));
}

function duplicateNumber(e164: string, accountName: string): ActionError {
  return new ActionError(409, `${formatPhone(e164)} is already one of this organization's numbers (on “${accountName}”).`, {
    e164: `${formatPhone(e164)} is already added`,
  });
}

function noInventory(account: VendorAccount): ActionError {
  const kindName = isVendorKind(account.kind) ? getAdapter(account.kind).displayName : account.kind;
  return new ActionError(
    422,
    `“${account.name}” (${kindName}) can't search, buy or list numbers. Add its numbers by hand instead.`,
    {
      vendorAccountId: "This account has no number inventory",
    },
  );
}

type Inventory = { adapter: AnyVendorAdapter; ctx: VendorContext; inventory: NumberInventory<Record<string, unknown>> };

/** The account's adapter, context and inventory, or null when it has none (or its kind has no adapter any more). */
async function inventoryFor(orgId: string, account: VendorAccount): Promise<Inventory | null> {
  if (!isVendorKind(account.kind) || !getAdapter(account.kind).inventory) return null;
  const { adapter, ctx } = buildVendorContext(account, { defaultCountry: await orgDefaultCountry(orgId) });
  return { adapter, ctx, inventory: adapter.inventory as NumberInventory<Record<string, unknown>> };
}

/** A vendor's refusal becomes a 409 in the vendor's own words; anything else is ours (500). */
async function vendorCall<T>(adapter: AnyVendorAdapter, call: () => Promise<T>, what: string): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!(error instanceof VendorError)) throw error;
    throw new ActionError(409, `${adapter.displayName} refused to ${what}: ${error.description}`);
  }
}
