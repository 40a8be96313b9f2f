import { sql } from "drizzle-orm";
import { db } from "@/db";

export const dynamic = "force-dynamic";

type QueueRow = { name: string; queued: number; active: number; failed: number };

/** 200 with database and queue status; 503 when the database does not answer within 3 s. */
export async function GET(): Promise<Response> {
  const started = Date.now();
  try {
    await withTimeout(db.execute(sql`select 1`), 3000);
  } catch (error) {
    return Response.json(
      { status: "unavailable", database: { ok: false, error: describe(error) }, queue: { ok: false } },
      { status: 503, headers: { "cache-control": "no-store" } },
    );
  }
  const databaseMs = Date.now() - started;
  let queue: { ok: boolean; queues?: QueueRow[]; error?: string };
  try {
    const rows = await withTimeout(
      db.execute<QueueRow>(
        sql`select name, queued_count as queued, active_count as active, failed_count as failed from pgboss.queue where name not like '\_\_pgboss%' order by name`,
      ),
      3000,
    );
    queue = { ok: true, queues: [...rows] };
  } catch (error) {
    queue = { ok: false, error: describe(error) };
  }
  return Response.json(
    { status: queue.ok ? "ok" : "degraded", database: { ok: true, latencyMs: databaseMs }, queue },
    { status: 200, headers: { "cache-control": "no-store" } },
  );
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms).unref())]);
}

function describe(error: unknown): string {
  // The message only: connection strings and stack traces stay in our logs.
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/postgres(ql)?:\/\/\S+/g, "postgres://…");
}
