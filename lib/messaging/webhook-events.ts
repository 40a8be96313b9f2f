import { timeOrderedId } from "@/db/ids";
import { db } from "@/db";
import type { VendorAccount } from "@/db/schema/vendor-accounts";
import { webhookEvents } from "@/db/schema/webhook-events";
import { coalesce } from "@/lib/coalesce";
import { groupBy } from "@/lib/group-by";
import { enqueueManyIn } from "@/lib/jobs";
import { processWebhookJob } from "@/workers/jobs/process-webhook";

type StoredRequest = Pick<typeof webhookEvents.$inferInsert, "action" | "method" | "url" | "headers" | "body" | "dedupeKey">;
type Pending = { row: typeof webhookEvents.$inferInsert & { id: string }; startAfter: number };

/** Requests that arrive within this long of each other are stored in one transaction. */
const STORE_WINDOW_MS = 2;
const STORE_MAX = 200;

/**
 * Stores what a vendor sent (a webhook, a polled item, an SMSsync message) raw, with its
 * processing job, in one transaction: once per dedupe key. Returns the row's id, or null when
 * it was stored before (a retry: nothing is stored or queued twice). Resolves only once the
 * row is committed, so a caller acknowledges nothing that could still be lost. Requests that
 * arrive together share the transaction: under load one commit stores dozens, where each alone
 * would pay for its own.
 */
export async function storeWebhookEvent(
  account: Pick<VendorAccount, "id" | "orgId">,
  request: StoredRequest,
  job: { startAfter?: number } = {},
): Promise<string | null> {
  return storeTogether({
    row: { id: timeOrderedId(), orgId: account.orgId, vendorAccountId: account.id, ...request },
    startAfter: job.startAfter ?? 0,
  });
}

/** Each request's row id once stored, or null for a retry already stored. */
const storeTogether = coalesce<Pending, string | null>(
  (batch) =>
    db.transaction(async (tx) => {
      // In one order everywhere, so two processes storing the same retries at once cannot deadlock.
      const rows = batch
        .map((p) => p.row)
        .sort((a, b) => `${a.vendorAccountId}|${a.dedupeKey}`.localeCompare(`${b.vendorAccountId}|${b.dedupeKey}`));
      const stored = new Set((await tx.insert(webhookEvents).values(rows).onConflictDoNothing().returning({ id: webhookEvents.id })).map((r) => r.id));
      const fresh = batch.filter((p) => stored.has(p.row.id));
      for (const [delay, pendings] of groupBy(fresh, (p) => p.startAfter)) {
        await enqueueManyIn(tx, processWebhookJob, pendings.map((p) => ({ webhookEventId: p.row.id })), { startAfterSeconds: delay });
      }
      return batch.map((p) => (stored.has(p.row.id) ? p.row.id : null));
    }),
  { windowMs: STORE_WINDOW_MS, max: STORE_MAX },
);
