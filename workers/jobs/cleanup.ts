import { and, isNotNull, lt, or } from "drizzle-orm";
import { z } from "zod";
import { db } from "@/db";
import { invitations } from "@/db/schema/invitations";
import { defineJob } from "../define-job";

const KEEP_DAYS = 30;

/** Daily housekeeping: invitations that expired, were used or revoked a month ago go. */
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
  },
});
