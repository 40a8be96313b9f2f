import { z } from "zod";
import { pollAccount } from "@/lib/messaging/poll";
import { defineJob } from "../define-job";

/**
 * Fetches the replies and delivery reports a vendor without webhooks holds for one account
 * (MessageMedia SOAP, REST in polling mode). Queued by every worker's sweep when the
 * account's interval has passed (lib/messaging/poll.ts); a failed poll waits for the next.
 */
export const pollVendorJob = defineJob({
  name: "poll-vendor",
  schema: z.object({ accountId: z.string().uuid() }),
  queue: { retryLimit: 0 },
  work: { batchSize: 5, pollingIntervalSeconds: 1 },
  async run({ accountId }) {
    await pollAccount(accountId);
  },
});
