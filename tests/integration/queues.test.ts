import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db";
import { getBoss } from "@/lib/queue";
import { JOBS } from "@/workers";
import { processWebhookJob } from "@/workers/jobs/process-webhook";
import { sendMessageJob } from "@/workers/jobs/send-message";

/** The queues the migration creates (workers/index.ts, ensureQueue): the busiest on tables of their own. */
describe("job queues", () => {
  it("puts send-message and process-webhook on tables of their own, and the other queues on pg-boss's shared table", async () => {
    const boss = await getBoss();
    const tables = new Map<string, string>();
    for (const job of JOBS) {
      const queue = await boss.getQueue(job.name);
      expect(queue, job.name).toBeTruthy();
      tables.set(job.name, queue!.table);
    }
    const own = [sendMessageJob.name, processWebhookJob.name];
    for (const name of own) expect(tables.get(name), name).not.toBe("job_common");
    expect(new Set(own.map((name) => tables.get(name))).size).toBe(own.length);
    for (const [name, table] of tables) if (!own.includes(name)) expect(table, name).toBe("job_common");

    // Their tables are analyzed every 2,000 changed rows, whatever their size.
    for (const name of own) {
      const [row] = await db.execute<{ options: string[] | null }>(sql`
        select c.reloptions as options from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'pgboss' and c.relname = ${tables.get(name)!}`);
      expect(row?.options, name).toEqual(expect.arrayContaining(["autovacuum_analyze_scale_factor=0", "autovacuum_analyze_threshold=2000"]));
    }
  });
});
