import type { PgBoss } from "pg-boss";
import type { z } from "zod";
import { sendJob, type JobDefinition } from "@/workers/define-job";
import { getBoss } from "./queue";

/** Queues a job from the web process (or the CLI): the payload is checked against the job's schema first. */
export async function enqueue<S extends z.ZodType>(
  job: JobDefinition<S>,
  payload: z.input<S>,
  options?: Parameters<PgBoss["send"]>[2],
): Promise<string | null> {
  return sendJob(await getBoss("web"), job, payload, options);
}
