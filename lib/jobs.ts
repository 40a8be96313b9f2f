import { fromDrizzle, type PgBoss } from "pg-boss";
import { sql } from "drizzle-orm";
import type { Tx } from "@/db";
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

/**
 * Queues a job inside the caller's transaction: the job exists exactly when the rows it
 * works on do (a message and its send job, a webhook event and its processing job).
 */
export async function enqueueIn<S extends z.ZodType>(
  tx: Tx,
  job: JobDefinition<S>,
  payload: z.input<S>,
  options: Parameters<PgBoss["send"]>[2] = {},
): Promise<string | null> {
  return sendJob(await getBoss("web"), job, payload, { ...options, db: fromDrizzle(tx, sql) });
}

/**
 * Queues many jobs of one kind inside the caller's transaction, in one statement (pg-boss's
 * insert); payloads are checked first. `startAfterSeconds` delays them all.
 */
export async function enqueueManyIn<S extends z.ZodType>(
  tx: Tx,
  job: JobDefinition<S>,
  payloads: z.input<S>[],
  options: { startAfterSeconds?: number } = {},
): Promise<void> {
  if (payloads.length === 0) return;
  const boss = await getBoss("web");
  const startAfter = options.startAfterSeconds ? new Date(Date.now() + options.startAfterSeconds * 1000) : undefined;
  await boss.insert(
    job.name,
    payloads.map((payload) => ({ data: job.schema.parse(payload) as object, startAfter })),
    { db: fromDrizzle(tx, sql) },
  );
}
