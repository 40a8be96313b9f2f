import { sql } from "drizzle-orm";
import { db } from "@/db";

/** Slots closer than this are waited for in the worker; later ones go back to the queue. */
export const MAX_WAIT_MS = 1_500;
/**
 * Extra spacing for the jitter between a send's start and its arrival at the vendor (both
 * ends' event loops, the network). rate + 1 arrivals fit in one second only when the jitter
 * exceeds (margin - 1) seconds, whatever the rate. 10% was exceeded once on a slow two-core
 * host running two test files at once (a 1/s sender's first two sends reached the vendor
 * 975 ms apart, 125 ms of jitter); 20% allows 200 ms, at a sixth of a sender's peak rate.
 */
const SPACING_MARGIN = 1.2;
/** A worker that wakes this much after its slot gives the slot up: sending late would crowd the next one. */
const LATE_TOLERANCE_MS = 25;

/**
 * Reserves the next send slot for a sender, shared by every worker process: slots are at
 * least 1/rate seconds apart, on the database's clock (one clock for every worker). Returns
 * how long to wait for the slot, or, when the next free slot is more than MAX_WAIT_MS away,
 * reserves nothing and says when to come back.
 */
export async function reserveSendSlot(key: string, perSecond: number): Promise<{ waitMs: number } | { retryInMs: number }> {
  const intervalMs = (1000 / perSecond) * SPACING_MARGIN;
  return db.transaction(async (tx) => {
    await tx.execute(sql`insert into sender_rate_slots (key, next_at) values (${key}, clock_timestamp()) on conflict (key) do nothing`);
    const [row] = await tx.execute<{ wait_ms: number }>(sql`
      select greatest(0, extract(epoch from (next_at - clock_timestamp())) * 1000)::float8 as wait_ms
      from sender_rate_slots where key = ${key} for update`);
    const waitMs = Number(row!.wait_ms);
    if (waitMs > MAX_WAIT_MS) return { retryInMs: waitMs - MAX_WAIT_MS / 2 };
    await tx.execute(sql`
      update sender_rate_slots
      set next_at = greatest(next_at, clock_timestamp()) + ${`${intervalMs} milliseconds`}::interval
      where key = ${key}`);
    return { waitMs };
  });
}

/**
 * Waits for a send slot and returns once the send may start; never more than
 * LATE_TOLERANCE_MS after the slot, however busy the worker's event loop. Returns the
 * delay to come back after when the sender's queue of slots is too long.
 */
export async function awaitSendSlot(key: string, perSecond: number): Promise<{ retryInMs: number } | null> {
  for (;;) {
    const slot = await reserveSendSlot(key, perSecond);
    if ("retryInMs" in slot) return slot;
    const slotAt = Date.now() + slot.waitMs;
    if (slot.waitMs > 0) await new Promise((resolve) => setTimeout(resolve, slot.waitMs));
    if (Date.now() - slotAt <= LATE_TOLERANCE_MS) return null;
  }
}
