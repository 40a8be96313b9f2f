import { and, eq, like, sql } from "drizzle-orm";
import { z } from "zod";
import { db } from "@/db";
import { writeAudit } from "@/db/queries/audit";
import { numberOrders, type NumberOrder } from "@/db/schema/number-orders";
import { orgs } from "@/db/schema/orgs";
import { phoneNumbers } from "@/db/schema/phone-numbers";
import { vendorAccounts } from "@/db/schema/vendor-accounts";
import { areaCodeOf } from "@/lib/phone";
import { DEFAULT_COUNTRY } from "@/lib/time";
import { buildVendorContext } from "@/lib/vendors/context";
import { VendorError } from "@/lib/vendors/errors";
import type { NumberInventory, OwnedNumber, VendorContext } from "@/lib/vendors/types";
import { defineJob } from "../define-job";

const RETRY_LIMIT = 2;
/** A pause between purchases: vendors throttle their provisioning APIs, and people watch the bar move. */
const BUY_INTERVAL_MS = 250;
const SEARCH_ROUNDS = 3;
const ACTOR = { actorUserId: null, actorLabel: "worker" } as const;

/**
 * Buys the numbers of one number order (number_orders row), updating its progress as it goes.
 *
 * Each number is bought inside a transaction that holds the order row's lock: the vendor's
 * buy, the phone_numbers insert and the order's `bought` count commit together, so the
 * order row always says how many of its numbers exist, and two runs of the same order
 * (a retry, a re-sent job) take turns instead of both buying. A run picks up where the row
 * says the last one stopped. The one gap is a crash after the vendor sold a number and
 * before our commit: a run that finds its order already RUNNING first adopts numbers the
 * vendor lists in that area code that the org does not have, before buying more.
 */
export const buyNumbersJob = defineJob({
  name: "buy-numbers",
  schema: z.object({ orderId: z.string().uuid() }),
  // The heartbeat lets a crashed worker's order be picked up again within a minute or two.
  queue: { retryLimit: RETRY_LIMIT, retryDelay: 5, heartbeatSeconds: 30 },
  // Up to three orders at a time per worker; each runs as its own job in the batch.
  work: { batchSize: 3, pollingIntervalSeconds: 1 },
  async run({ orderId }, job) {
    try {
      await workOrder(orderId, job.signal);
    } catch (error) {
      // The last attempt says what went wrong on the order, so its bar does not spin forever.
      if (job.retryCount >= RETRY_LIMIT)
        await finishOrder(
          orderId,
          `Stopped by an unexpected error: ${error instanceof Error ? error.message : String(error)}`,
        ).catch(() => {});
      throw error;
    }
  },
});

function stopped(): Error {
  return new Error("the run was stopped (worker shutting down, or its claim on the job lapsed); a retry resumes the order");
}

type Vendor = { ctx: VendorContext; inventory: NumberInventory<Record<string, unknown>> };

async function workOrder(orderId: string, signal: AbortSignal): Promise<void> {
  const [order] = await db.select().from(numberOrders).where(eq(numberOrders.id, orderId)).limit(1);
  if (!order || order.status === "DONE" || order.status === "FAILED") return;
  const resumed = order.status === "RUNNING";
  if (!resumed)
    await db
      .update(numberOrders)
      .set({ status: "RUNNING" })
      .where(and(eq(numberOrders.id, order.id), eq(numberOrders.status, "QUEUED")));

  const vendor = await vendorFor(order);
  if (typeof vendor === "string") return finishOrder(order.id, vendor);

  if (resumed) await adoptOrphans(order, vendor, signal);
  let lastError: string | null = null;
  for (let round = 0; round < SEARCH_ROUNDS && !signal.aborted; round++) {
    const remaining = await remainingOf(order.id);
    if (remaining <= 0) break;
    const owned = await ownedInArea(order);
    let offered;
    try {
      offered = await withRetries(() =>
        vendor.inventory.search(vendor.ctx, { areaCode: order.areaCode, limit: Math.min(100, remaining + owned.size + 10) }),
      );
    } catch (error) {
      if (!(error instanceof VendorError)) throw error;
      return finishOrder(order.id, error.description);
    }
    const candidates = offered.map((n) => n.e164).filter((e164) => !owned.has(e164));
    if (candidates.length === 0) break;
    let calledVendor = false;
    for (const e164 of candidates) {
      if (signal.aborted) throw stopped();
      if (calledVendor) await sleep(BUY_INTERVAL_MS);
      const outcome = await recordNumber(order, e164, () => withRetries(() => vendor.inventory.buy(vendor.ctx, e164)));
      if (outcome === "full") break;
      if (typeof outcome === "object") lastError = outcome.error;
      calledVendor = outcome !== "skipped";
    }
  }
  // An aborted run must not end quietly: the order would stay RUNNING with no job to finish it.
  if (signal.aborted) throw stopped();
  await finishOrder(order.id, lastError);
}

/**
 * One number for the order, under the order row's lock: `acquire` buys (or adopts) it, and
 * the number, the count and the audit entry commit together. "full" when the order needs no more.
 */
async function recordNumber(
  order: NumberOrder,
  e164: string,
  acquire: () => Promise<OwnedNumber>,
): Promise<"bought" | "skipped" | "full" | { error: string }> {
  return db.transaction(async (tx) => {
    const [current] = await tx
      .select()
      .from(numberOrders)
      .where(and(eq(numberOrders.id, order.id), eq(numberOrders.orgId, order.orgId)))
      .for("update");
    if (!current || current.status !== "RUNNING" || current.bought + current.failed >= current.quantity) return "full";
    // Another order of the org may be after the same number: one of them gets it, the other skips it.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`${order.orgId}|${e164}`}, 0))`);
    const [existing] = await tx
      .select({ id: phoneNumbers.id })
      .from(phoneNumbers)
      .where(and(eq(phoneNumbers.orgId, order.orgId), eq(phoneNumbers.e164, e164)))
      .limit(1);
    if (existing) return "skipped";
    let bought: OwnedNumber;
    try {
      bought = await acquire();
    } catch (error) {
      if (!(error instanceof VendorError)) throw error;
      await tx
        .update(numberOrders)
        .set({ failed: sql`${numberOrders.failed} + 1`, error: error.description })
        .where(eq(numberOrders.id, order.id));
      return { error: error.description };
    }
    const [row] = await tx
      .insert(phoneNumbers)
      .values({
        orgId: order.orgId,
        vendorAccountId: order.vendorAccountId,
        e164,
        capabilities: bought.capabilities,
        senderType: bought.senderType ?? "LONG_CODE",
        messagingServiceId: bought.messagingServiceId ?? null,
        vendorNumberId: bought.vendorNumberId,
      })
      .returning({ id: phoneNumbers.id });
    await tx
      .update(numberOrders)
      .set({ bought: sql`${numberOrders.bought} + 1` })
      .where(eq(numberOrders.id, order.id));
    await writeAudit(
      {
        orgId: order.orgId,
        ...ACTOR,
        action: "phone_number.buy",
        targetType: "phone_number",
        targetId: row!.id,
        details: { e164, orderId: order.id },
      },
      tx,
    );
    return "bought";
  });
}

/** After a crash: numbers the vendor sold us in this area code that never reached our table. */
async function adoptOrphans(order: NumberOrder, vendor: Vendor, signal: AbortSignal): Promise<void> {
  let listed: OwnedNumber[];
  try {
    listed = await withRetries(() => vendor.inventory.list(vendor.ctx));
  } catch (error) {
    if (error instanceof VendorError) return;
    throw error;
  }
  const owned = await ownedInArea(order);
  for (const number of listed.filter((n) => areaCodeOf(n.e164) === order.areaCode && !owned.has(n.e164))) {
    if (signal.aborted || (await recordNumber(order, number.e164, async () => number)) === "full") return;
  }
}

/** Ends the order: DONE when anything was bought, FAILED otherwise; what was not bought counts as failed. */
async function finishOrder(orderId: string, error: string | null): Promise<void> {
  await db.transaction(async (tx) => {
    const [order] = await tx.select().from(numberOrders).where(eq(numberOrders.id, orderId)).for("update");
    if (!order || order.status === "DONE" || order.status === "FAILED") return;
    const missing = Math.max(0, order.quantity - order.bought - order.failed);
    const status = order.bought > 0 ? "DONE" : "FAILED";
    const reason =
      error ??
      (missing > 0
        ? `No more numbers available in area code ${order.areaCode}: the vendor offered none this organization doesn't already have.`
        : null);
    const message =
      order.bought === order.quantity
        ? null
        : order.bought > 0
          ? `Bought ${order.bought} of ${order.quantity}. ${reason ?? ""}`.trim()
          : reason;
    await tx
      .update(numberOrders)
      .set({ status, failed: order.failed + missing, error: message, finishedAt: new Date() })
      .where(eq(numberOrders.id, order.id));
    await writeAudit(
      {
        orgId: order.orgId,
        ...ACTOR,
        action: status === "DONE" ? "number_order.done" : "number_order.failed",
        targetType: "number_order",
        targetId: order.id,
        details: { bought: order.bought, failed: order.failed + missing, quantity: order.quantity },
      },
      tx,
    );
  });
}

/** The order's account, context and inventory, or why the order cannot go on. */
async function vendorFor(order: NumberOrder): Promise<Vendor | string> {
  const [account] = await db
    .select()
    .from(vendorAccounts)
    .where(and(eq(vendorAccounts.orgId, order.orgId), eq(vendorAccounts.id, order.vendorAccountId)))
    .limit(1);
  if (!account) return "The vendor account is gone.";
  if (!account.enabled) return `“${account.name}” was disabled before the order finished.`;
  const [org] = await db.select({ features: orgs.features }).from(orgs).where(eq(orgs.id, order.orgId)).limit(1);
  let built;
  try {
    built = buildVendorContext(account, { defaultCountry: org?.features.defaultCountry ?? DEFAULT_COUNTRY });
  } catch (error) {
    return `“${account.name}” is not set up correctly: ${error instanceof Error ? error.message : String(error)}`;
  }
  const inventory = built.adapter.inventory as NumberInventory<Record<string, unknown>> | undefined;
  if (!inventory) return `“${account.name}” (${built.adapter.displayName}) can't buy numbers.`;
  return { ctx: built.ctx, inventory };
}

async function remainingOf(orderId: string): Promise<number> {
  const [order] = await db.select().from(numberOrders).where(eq(numberOrders.id, orderId)).limit(1);
  return order && order.status === "RUNNING" ? order.quantity - order.bought - order.failed : 0;
}

async function ownedInArea(order: NumberOrder): Promise<Set<string>> {
  const rows = await db
    .select({ e164: phoneNumbers.e164 })
    .from(phoneNumbers)
    .where(and(eq(phoneNumbers.orgId, order.orgId), like(phoneNumbers.e164, `+1${order.areaCode}%`)));
  return new Set(rows.map((r) => r.e164));
}

/** Transient vendor trouble (network, 429, 5xx) is retried here a few times before it counts. */
async function withRetries<T>(call: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof VendorError) || !error.retryable || attempt >= attempts) throw error;
      await sleep(Math.min(5_000, (error.retryAfterSeconds ?? 0) * 1000 || 500 * 2 ** attempt));
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
