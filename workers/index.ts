import type { Job, PgBoss } from "pg-boss";
import type { JobDefinition } from "./define-job";
import { buyNumbersJob } from "./jobs/buy-numbers";
import { campaignFanoutJob } from "./jobs/campaign-fanout";
import { cleanupJob } from "./jobs/cleanup";
import { lookupContactJob } from "./jobs/lookup-contact";
import { pollVendorJob } from "./jobs/poll-vendor";
import { processWebhookJob } from "./jobs/process-webhook";
import { sendMessageJob } from "./jobs/send-message";

/** Every job the worker runs. Add a job here and nowhere else. */
export const JOBS: JobDefinition[] = [cleanupJob, buyNumbersJob, lookupContactJob, sendMessageJob, processWebhookJob, pollVendorJob, campaignFanoutJob];

/** Creates each queue (idempotent), installs schedules and starts a worker per queue. */
export async function registerJobs(boss: PgBoss, jobs: JobDefinition[] = JOBS): Promise<void> {
  for (const job of jobs) {
    await ensureQueue(boss, job);
    if (job.schedule) await boss.schedule(job.name, job.schedule.cron, (job.schedule.data ?? {}) as object);
    await boss.work(job.name, { batchSize: 1, pollingIntervalSeconds: 2, ...job.work }, (batch: Job<unknown>[]) =>
      runBatch(boss, job, batch),
    );
  }
}

/** Creates the queues without working them: the web process sends to them. */
export async function ensureQueues(boss: PgBoss, jobs: JobDefinition[] = JOBS): Promise<void> {
  for (const job of jobs) await ensureQueue(boss, job);
}

/**
 * Creates the queue, or brings an existing one's options up to date.
 *
 * The busiest queues (send-message, process-webhook) ask for a table of their own
 * (`partition: true`) instead of the one the other queues share. PostgreSQL plans pg-boss's
 * fetch from the table's statistics, which speak for all the queues in it: a queue that was rare
 * when the shared table was last analyzed is estimated at a row or two however long its backlog,
 * and the fetch then read every one of its jobs for each of the fifty it took (900 ms a fetch at a
 * backlog of 50,000 in a benchmark run whose shared table had been analyzed full of other jobs).
 */
export async function ensureQueue(boss: PgBoss, job: Pick<JobDefinition, "name" | "queue">): Promise<void> {
  let queue = await boss.getQueue(job.name);
  if (queue) {
    if (job.queue?.partition && !queue.partition)
      console.warn(
        `[pg-boss] queue ${job.name} was created on pg-boss's shared job table and stays there (pg-boss cannot move a queue); ` +
          "it works as before; a new installation creates it on a table of its own.",
      );
    // pg-boss refuses to update policy or partitioning (set at creation) even to the same value.
    const { policy: _policy, partition: _partition, ...changeable } = job.queue ?? {};
    if (Object.keys(changeable).length > 0) await boss.updateQueue(job.name, changeable);
  } else {
    await boss.createQueue(job.name, job.queue ?? {});
    queue = await boss.getQueue(job.name);
  }
  if (queue?.partition) await analyzeOften(boss, queue.table);
}

/**
 * A queue on its own table has the table analyzed after every 2,000 changed rows, not after a
 * tenth of it has changed (PostgreSQL's default). pg-boss takes the oldest jobs through an index
 * in order when the statistics know of the backlog; a table not analyzed since its backlog came (a
 * new installation's first burst) is read with a bitmap scan that fetches and sorts every waiting
 * job on each fetch instead: 29 ms a fetch of 50 at a backlog of 30,000, 1.3 ms once analyzed. How
 * soon after a burst the analyze comes is autovacuum's round (`autovacuum_naptime`: a minute by
 * default, 5 s on the embedded server).
 */
async function analyzeOften(boss: PgBoss, tableName: string): Promise<void> {
  const table = `pgboss."${tableName.replace(/"/g, '""')}"`;
  try {
    await boss.getDb().executeSql(`alter table ${table} set (autovacuum_analyze_scale_factor = 0, autovacuum_analyze_threshold = 2000)`);
  } catch (error) {
    // Only the table's owner may; the queue works without it, analyzed on PostgreSQL's defaults.
    console.warn(`[pg-boss] could not set how often ${table} is analyzed:`, error instanceof Error ? error.message : error);
  }
}

async function runBatch(boss: PgBoss, job: JobDefinition, batch: Job<unknown>[]): Promise<void> {
  const results = job.runBatch ? await runTogether(job, batch) : await runEach(job, batch);
  const failed = results.flatMap((r, i) => (r.status === "rejected" ? [{ job: batch[i]!, reason: r.reason as unknown }] : []));
  if (failed.length === 0) return;
  const succeeded = batch.filter((_, i) => results[i]!.status === "fulfilled").map((j) => j.id);
  if (succeeded.length > 0) await boss.complete(job.name, succeeded);
  for (const f of failed) console.error(`[worker] ${job.name} ${f.job.id} failed:`, f.reason);
  // Throwing fails what is still active in the batch: the failed jobs, retried per the queue's policy.
  throw new AggregateError(failed.map((f) => f.reason), `${failed.length} of ${batch.length} ${job.name} jobs failed`);
}

function runEach(job: JobDefinition, batch: Job<unknown>[]): Promise<PromiseSettledResult<void>[]> {
  return Promise.allSettled(
    batch.map(async (entry) => {
      const parsed = job.schema.safeParse(entry.data);
      if (!parsed.success) throw invalidPayload(job, parsed.error);
      await job.run(parsed.data, entry);
    }),
  );
}

/** The batch through job.runBatch: the valid payloads together, an invalid one failing alone. */
async function runTogether(job: JobDefinition, batch: Job<unknown>[]): Promise<PromiseSettledResult<void>[]> {
  const parsed = batch.map((entry) => job.schema.safeParse(entry.data));
  const valid = parsed.flatMap((p, i) => (p.success ? [i] : []));
  let errors: (unknown | null)[];
  try {
    errors = await job.runBatch!(valid.map((i) => parsed[i]!.data));
  } catch (error) {
    errors = valid.map(() => error);
  }
  const errorOf = new Map(valid.map((i, k) => [i, errors[k] ?? null]));
  return parsed.map((p, i): PromiseSettledResult<void> => {
    if (!p.success) return { status: "rejected", reason: invalidPayload(job, p.error) };
    const error = errorOf.get(i);
    return error ? { status: "rejected", reason: error } : { status: "fulfilled", value: undefined };
  });
}

function invalidPayload(job: JobDefinition, error: { issues: { message: string }[] }): Error {
  return new Error(`invalid ${job.name} payload: ${error.issues[0]?.message ?? "unknown"}`);
}
