import { and, eq, inArray, isNull, lt, or, sql } from "drizzle-orm";
import { db } from "@/db";
import { vendorAccounts, type VendorAccount } from "@/db/schema/vendor-accounts";
import { enqueueIn } from "@/lib/jobs";
import { buildVendorContext } from "@/lib/vendors/context";
import { VendorError } from "@/lib/vendors/errors";
import { getAdapter, isVendorKind, VENDOR_KINDS } from "@/lib/vendors/registry";
import { pollInterval } from "@/lib/vendors/poll-interval";
import type { PolledItem, VendorEvent } from "@/lib/vendors/types";
import { pollVendorJob } from "@/workers/jobs/poll-vendor";
import { sendConfig } from "./config";
import { storeWebhookEvent } from "./webhook-events";

/** The webhook_events action of a polled item: stored and processed like a webhook, re-read from JSON. */
export const POLLED_ACTION = "poll";

const POLLING_KINDS = VENDOR_KINDS.filter((kind) => getAdapter(kind).poll);

/**
 * Queues a poll for each enabled account that is due, run by every worker's sweep. An
 * account is taken by one worker at a time (a claim in its row, on the database's clock), so
 * many workers never poll one account at once, and a crashed poll is retried once its claim lapses.
 */
export async function dispatchPolls(): Promise<number> {
  if (POLLING_KINDS.length === 0) return 0;
  const candidates = await db
    .select({
      id: vendorAccounts.id,
      kind: vendorAccounts.kind,
      config: vendorAccounts.config,
      // On the database's clock, like the claim: an account polled within its interval costs no transaction.
      sinceLastPoll: sql<number | null>`extract(epoch from now() - ${vendorAccounts.lastPollAt})::float8`,
    })
    .from(vendorAccounts)
    .where(
      and(
        inArray(vendorAccounts.kind, POLLING_KINDS),
        eq(vendorAccounts.enabled, true),
        or(isNull(vendorAccounts.pollClaimedUntil), lt(vendorAccounts.pollClaimedUntil, sql`now()`)),
      ),
    );
  let queued = 0;
  for (const account of candidates) {
    const interval = pollInterval(account);
    if (!interval || (account.sinceLastPoll !== null && account.sinceLastPoll <= interval)) continue;
    const claimed = await db.transaction(async (tx) => {
      const [row] = await tx
        .update(vendorAccounts)
        .set({ pollClaimedUntil: sql`now() + ${`${sendConfig.pollClaimSeconds()} seconds`}::interval` })
        .where(
          and(
            eq(vendorAccounts.id, account.id),
            or(isNull(vendorAccounts.pollClaimedUntil), lt(vendorAccounts.pollClaimedUntil, sql`now()`)),
            or(isNull(vendorAccounts.lastPollAt), lt(vendorAccounts.lastPollAt, sql`now() - ${`${interval} seconds`}::interval`)),
          ),
        )
        .returning({ id: vendorAccounts.id });
      if (row) await enqueueIn(tx, pollVendorJob, { accountId: row.id });
      return Boolean(row);
    });
    if (claimed) queued += 1;
  }
  return queued;
}

/**
 * One poll of one account: fetch what the vendor holds, store each item with its processing
 * job (once per vendor key, in one transaction each), and only then confirm those keys to the
 * vendor. A crash before the confirm loses nothing (the vendor returns the items next time,
 * and they are stored once); an item stored before is confirmed again, not stored twice.
 */
export async function pollAccount(accountId: string): Promise<void> {
  const [account] = await db.select().from(vendorAccounts).where(eq(vendorAccounts.id, accountId)).limit(1);
  if (!account || !isVendorKind(account.kind)) return;
  try {
    const { adapter, ctx } = buildVendorContext(account);
    if (!adapter.poll || !account.enabled) return release(account.id);
    const { items, confirm } = await adapter.poll(ctx);
    for (const item of items) await storeItem(account, item);
    const keys = items.map((item) => item.key);
    if (keys.length) await confirm(keys);
    await db
      .update(vendorAccounts)
      .set({ lastPollAt: sql`now()`, lastPollFetched: countKinds(items), pollClaimedUntil: null })
      .where(eq(vendorAccounts.id, account.id));
  } catch (error) {
    const description = error instanceof VendorError ? error.description : error instanceof Error ? error.message : String(error);
    // Polled again after the interval, not at once: a vendor that is down is not hammered.
    await db
      .update(vendorAccounts)
      .set({
        lastPollAt: sql`now()`,
        lastPollError: description.slice(0, 1000),
        lastPollErrorAt: sql`now()`,
        pollClaimedUntil: null,
      })
      .where(eq(vendorAccounts.id, account.id));
    throw error;
  }
}

async function release(accountId: string): Promise<void> {
  await db.update(vendorAccounts).set({ pollClaimedUntil: null }).where(eq(vendorAccounts.id, accountId));
}

/** Stores one polled item and its processing job; nothing when it was stored by an earlier poll. */
async function storeItem(account: VendorAccount, item: PolledItem): Promise<void> {
  await storeWebhookEvent(account, {
    action: POLLED_ACTION,
    method: "POLL",
    url: `poll:${account.kind}`,
    headers: {},
    body: JSON.stringify({ raw: item.raw, events: item.events }),
    dedupeKey: item.key,
  });
}

/** The events of a stored polled item, dates revived. */
export function polledEvents(body: string): VendorEvent[] {
  const parsed = JSON.parse(body) as { events: VendorEvent[] };
  return parsed.events.map((event) =>
    event.type === "inbound"
      ? { ...event, receivedAt: event.receivedAt ? new Date(event.receivedAt) : undefined }
      : { ...event, occurredAt: event.occurredAt ? new Date(event.occurredAt) : undefined },
  );
}

function countKinds(items: PolledItem[]): { replies: number; reports: number; other: number } {
  const counts = { replies: 0, reports: 0, other: 0 };
  for (const item of items) {
    if (item.events.some((e) => e.type === "inbound")) counts.replies += 1;
    else if (item.events.some((e) => e.type === "status")) counts.reports += 1;
    else counts.other += 1;
  }
  return counts;
}
