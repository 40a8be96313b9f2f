import { sql } from "drizzle-orm";
import { db } from "@/db";
import { enqueueIn } from "@/lib/jobs";
import { sendMessageJob } from "@/workers/jobs/send-message";
import { sendConfig } from "./config";

/**
 * Re-queues messages whose lease ran out while QUEUED or SENDING: their job died with a
 * killed worker, or was lost. Each message is taken by one sweeping worker (SKIP LOCKED);
 * the send job then claims a QUEUED message or reconciles a SENDING one, never sending blind.
 * Messages waiting for a device-pull phone (./device.ts) are SENDING with no lease: `null < now()`
 * is not true, so they are left to the phone, however long it takes to come for them.
 */
export async function sweepStalledMessages(limit = 500): Promise<number> {
  return db.transaction(async (tx) => {
    const rows = await tx.execute<{ id: string }>(sql`
      update messages set lease_until = now() + ${`${sendConfig.leaseSeconds()} seconds`}::interval
      where id in (
        select id from messages
        where status in ('QUEUED', 'SENDING') and lease_until < now()
        order by lease_until
        limit ${limit}
        for update skip locked)
      returning id`);
    for (const row of rows) await enqueueIn(tx, sendMessageJob, { messageId: row.id });
    return rows.length;
  });
}
