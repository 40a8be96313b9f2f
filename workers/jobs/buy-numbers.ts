import { z } from "zod";
import { defineJob } from "../define-job";

/** Buys the numbers of one number order (number_orders row), updating its progress as it goes. */
export const buyNumbersJob = defineJob({
  name: "buy-numbers",
  schema: z.object({ orderId: z.string().uuid() }),
  queue: { retryLimit: 2, retryDelay: 5 },
  work: { pollingIntervalSeconds: 1 },
  async run() {
    throw new Error("buy-numbers is not implemented yet");
  },
});
