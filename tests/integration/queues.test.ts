import { describe, expect, it } from "vitest";
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
  });
});
