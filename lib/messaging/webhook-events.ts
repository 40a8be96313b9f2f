import { db } from "@/db";
import type { VendorAccount } from "@/db/schema/vendor-accounts";
import { webhookEvents } from "@/db/schema/webhook-events";
import { enqueueIn } from "@/lib/jobs";
import { processWebhookJob } from "@/workers/jobs/process-webhook";

type StoredRequest = Pick<typeof webhookEvents.$inferInsert, "action" | "method" | "url" | "headers" | "body" | "dedupeKey">;

/**
 * Stores what a vendor sent (a webhook, a polled item, an SMSsync message) raw, with its
 * processing job, in one transaction: once per dedupe key. Returns the row's id, or null when
 * it was stored before (a retry: nothing is stored or queued twice).
 */
export async function storeWebhookEvent(
  account: Pick<VendorAccount, "id" | "orgId">,
  request: StoredRequest,
  job: { startAfter?: number } = {},
): Promise<string | null> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(webhookEvents)
      .values({ orgId: account.orgId, vendorAccountId: account.id, ...request })
      .onConflictDoNothing()
      .returning({ id: webhookEvents.id });
    if (row) await enqueueIn(tx, processWebhookJob, { webhookEventId: row.id }, job);
    return row?.id ?? null;
  });
}
