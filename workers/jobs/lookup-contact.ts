import { z } from "zod";
import { defineJob } from "../define-job";

/** Looks a contact's number up with the org's default vendor (free lookup first) and sets status_code. */
export const lookupContactJob = defineJob({
  name: "lookup-contact",
  schema: z.object({ orgId: z.string().uuid(), contactId: z.string().uuid() }),
  queue: { retryLimit: 3, retryDelay: 10, retryBackoff: true },
  work: { batchSize: 20, pollingIntervalSeconds: 1 },
  async run() {
    throw new Error("lookup-contact is not implemented yet");
  },
});
