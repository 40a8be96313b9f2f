import { z } from "zod";
import { fanOutCampaign } from "@/lib/campaigns/fanout";
import { getBoss } from "@/lib/queue";
import { defineJob, sendJob } from "../define-job";

/**
 * Queues a SEND_TO_ALL campaign's messages in batches (lib/campaigns/fanout.ts). Outside the
 * sending window it schedules its own next run for the window's opening; paused, it just ends
 * (resume queues a new run). A crash mid-run is retried, and the idempotency keys make the
 * retry pick up where the last committed batch stopped.
 */
export const campaignFanoutJob = defineJob({
  name: "campaign-fanout",
  schema: z.object({ campaignId: z.string().uuid() }),
  // stately: at most one run waiting and one running per campaign (singletonKey), so resumes don't pile up.
  queue: { policy: "stately", retryLimit: 5, retryDelay: 5, retryBackoff: true, heartbeatSeconds: 30 },
  work: { batchSize: 1, pollingIntervalSeconds: 1 },
  async run({ campaignId }, job) {
    const outcome = await fanOutCampaign(campaignId, { signal: job.signal });
    if (outcome.state === "waiting") {
      const boss = await getBoss("worker");
      await sendJob(
        boss,
        campaignFanoutJob,
        { campaignId },
        { singletonKey: `campaign-fanout:${campaignId}`, startAfter: outcome.until },
      );
    }
  },
});
