import { z } from "zod";
import { processWebhookEvent } from "@/lib/messaging/webhooks";
import { defineJob } from "../define-job";

/** Turns one stored webhook request into messages and status changes. */
export const processWebhookJob = defineJob({
  name: "process-webhook",
  schema: z.object({ webhookEventId: z.string().uuid() }),
  // A report can beat our own record of the send: retries with backoff give it time. A job whose
  // end the worker could not record (it was killed, or the database went away under it) stays
  // active: the heartbeat brings it back within a minute or two, not at pg-boss's 15-minute expiry.
  // A table of its own, analyzed often (workers/index.ts, ensureQueue).
  queue: { retryLimit: 8, retryDelay: 1, retryBackoff: true, heartbeatSeconds: 30, notify: true, partition: true },
  work: { batchSize: 50, pollingIntervalSeconds: 0.5, burstWhenBatchFull: true },
  async run({ webhookEventId }) {
    await processWebhookEvent(webhookEventId);
  },
});
