import type { Job, PgBoss } from "pg-boss";
import type { z } from "zod";

type QueueOptions = Parameters<PgBoss["createQueue"]>[1];

/**
 * A job: its queue name, the zod schema every payload must pass, queue and polling
 * options, an optional cron schedule, and the handler for one payload (or for a batch).
 * Batches are fetched together and run concurrently; a payload that fails validation fails alone.
 */
export type JobDefinition<S extends z.ZodType = z.ZodType> = {
  name: string;
  schema: S;
  queue?: QueueOptions;
  work?: { batchSize?: number; pollingIntervalSeconds?: number; burstWhenBatchFull?: boolean; localConcurrency?: number };
  schedule?: { cron: string; data?: z.input<S> };
  run: (payload: z.infer<S>, job: Job<unknown>) => Promise<void>;
  /**
   * Optional: the whole batch at once, for jobs whose work is cheaper together (one query for
   * fifty messages instead of fifty). Returns, per payload, the error that fails its job or null.
   */
  runBatch?: (payloads: z.infer<S>[]) => Promise<(unknown | null)[]>;
};

export function defineJob<S extends z.ZodType>(definition: JobDefinition<S>): JobDefinition<S> {
  return definition;
}

/** Sends a job after validating its payload, so a bad payload fails at the sender, not later. */
export async function sendJob<S extends z.ZodType>(
  boss: PgBoss,
  job: JobDefinition<S>,
  payload: z.input<S>,
  options?: Parameters<PgBoss["send"]>[2],
): Promise<string | null> {
  const data = job.schema.parse(payload) as object;
  return boss.send(job.name, data, options);
}
