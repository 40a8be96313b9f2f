import { and, isNotNull, lt, or } from "drizzle-orm";
import { z } from "zod";
import { db } from "@/db";
import { invitations } from "@/db/schema/invitations";
import { vendorRequestLogs } from "@/db/schema/vendor-request-logs";
import { defineJob } from "../define-job";

const KEEP_DAYS = 30;
/** The Logs tab shows the last 100 per account; two weeks is plenty to debug with. */
const KEEP_LOG_DAYS = 14;

/** Daily housekeeping: old invitations and old vendor request logs go. */
export const cleanupJob = defineJob({
  name: "cleanup",
  schema: z.object({}).passthrough(),
  queue: { retryLimit: 1 },
  schedule: { cron: "17 3 * * *", data: {} },
  async run() {
    const cutoff = new Date(Date.now() - KEEP_DAYS * 86_400_000);
    await db
      .delete(invitations)
      .where(
        or(
          lt(invitations.expiresAt, cutoff),
          and(isNotNull(invitations.acceptedAt), lt(invitations.acceptedAt, cutoff)),
          and(isNotNull(invitations.revokedAt), lt(invitations.revokedAt, cutoff)),
        ),
      );
    await db.delete(vendorRequestLogs).where(lt(vendorRequestLogs.at, new Date(Date.now() - KEEP_LOG_DAYS * 86_400_000)));
  },
});
