import { z } from "zod";
import { deliverMessage, deliverMessages } from "@/lib/messaging/deliver";
import { defineJob } from "../define-job";

/** Sends one queued message through its vendor. Retries are ours (lib/messaging/deliver.ts), not pg-boss's. */
export const sendMessageJob = defineJob({
  name: "send-message",
  schema: z.object({ messageId: z.string().uuid() }),
  // A crash mid-send leaves the job active; it comes back after the heartbeat lapses and reconciles.
  // A table of its own, analyzed often (workers/index.ts, ensureQueue).
  queue: { retryLimit: 10, retryDelay: 1, retryBackoff: true, heartbeatSeconds: 30, notify: true, partition: true },
  // Up to four batches in flight: a batch spends most of its time waiting for the vendor's answers.
  work: { batchSize: 50, pollingIntervalSeconds: 0.5, burstWhenBatchFull: true, localConcurrency: 4 },
  async run({ messageId }) {
    await deliverMessage(messageId);
  },
  // A batch is read, claimed and stored with a few statements for all its messages.
  runBatch: (payloads) => deliverMessages(payloads.map((p) => p.messageId)),
});
