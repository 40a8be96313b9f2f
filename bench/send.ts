// Figure a: messages/s from POST /api/v1/messages to SENT, through the production web app, a real worker and the simulator.
import autocannon from "autocannon";
import { and, eq, inArray, sql } from "drizzle-orm";
import { PgBoss } from "pg-boss";
import { db } from "@/db";
import { messages } from "@/db/schema/messages";
import { QUEUE_TOGETHER } from "@/lib/api/messages";
import { coalesce } from "@/lib/coalesce";
import { ensureQueue } from "@/workers";
import { sendMessageJob } from "@/workers/jobs/send-message";
import { QUICK, pool, seconds, waitUntil, type Row } from "./harness";

/**
 * Clients calling the API at once: a rostering system notifying a whole shift, say. At 32 a
 * single-message call's latency, not the machine, bounds the rate (the two cores are ~80% busy),
 * so single-message sends are measured at twice that too, where the machine is the limit.
 */
export const API_CONNECTIONS = 32;
export const SATURATING_CONNECTIONS = 64;
export const SEND_TARGET = "≥1,000/s and ≥50% of ceiling";

export type SendRun = { rate: number; accepted: number; refused: number; p99Ms: number };

/**
 * `n` messages through the API, API_CONNECTIONS calls at a time, each message to a new
 * recipient: one per call (POST /messages) or `perCall` per call (POST /messages/batch). The
 * clock runs from the first call until every accepted message is SENT (the simulator's answer
 * stored by the worker).
 */
export async function sendThroughApi(
  target: { appUrl: string; apiKey: string; orgId: string },
  n: number,
  numberBase: number,
  perCall = 1,
  connections = API_CONNECTIONS,
): Promise<SendRun> {
  let next = 0;
  let accepted = 0;
  const message = () => ({ to: `+1${numberBase + next++}`, body: "Your shift starts at 9." });
  // autocannon settles on its next one-second tick after the last answer, so the clock is read here:
  // at the first call, at each answer, and (below) from the messages' own sent_at.
  const started = Date.now();
  let lastAnswer = started;
  const result = await autocannon({
    url: `${target.appUrl}/api/v1/messages${perCall > 1 ? "/batch" : ""}`,
    connections,
    amount: Math.ceil(n / perCall),
    method: "POST",
    headers: { authorization: `Bearer ${target.apiKey}`, "content-type": "application/json" },
    requests: [
      {
        setupRequest: (request) => ({
          ...request,
          body: JSON.stringify(perCall > 1 ? { messages: Array.from({ length: perCall }, message) } : message()),
        }),
        onResponse: (status, body) => {
          lastAnswer = Date.now();
          if (status !== 202) return;
          accepted += perCall > 1 ? (JSON.parse(body) as { queued: number }).queued : 1;
        },
      },
    ],
  });
  const prefix = `+1${String(numberBase).slice(0, 4)}%`;
  const ofThisRun = and(
    eq(messages.orgId, target.orgId),
    inArray(messages.status, ["SENT", "DELIVERED"]),
    sql`${messages.toE164} like ${prefix}`,
  );
  const sent = async () => {
    const [row] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(messages)
      .where(ofThisRun);
    return (row?.n ?? 0) >= accepted;
  };
  const queuedIn = (lastAnswer - started) / 1000;
  // Counting the run's messages scans them (30 ms at 50,000), which took PostgreSQL time from the
  // worker while it was measured when polled every 50 ms; the clock stops at the last SENT anyway.
  await waitUntil(sent, `${accepted} messages SENT`, QUICK ? 90_000 : 600_000, 1_000);
  // The last SENT as the worker stored it (the same machine's clock), not when this loop next looked.
  const [last] = await db
    .select({ at: sql<Date>`max(${messages.sentAt})`.mapWith(messages.sentAt) })
    .from(messages)
    .where(ofThisRun);
  const total = (Math.max(lastAnswer, last?.at?.getTime() ?? lastAnswer) - started) / 1000;
  console.log(
    `a. ${accepted} of ${n} messages accepted, ${perCall} per call, ${connections} connections, in ${queuedIn.toFixed(2)} s (p99 ${result.latency.p99} ms), all SENT after ${total.toFixed(2)} s`,
  );
  return { rate: accepted / total, accepted, refused: n - accepted, p99Ms: result.latency.p99 };
}

export function sendRow(latencyMs: number, perCall: number, connections: number, run: SendRun, ceiling: number): Row {
  return {
    figure: `a. send, ${perCall === 1 ? "1 message" : `${perCall} messages`} per API call, ${connections} conn., ${latencyMs} ms vendor latency`,
    unit: "msg/s",
    value: run.rate,
    ceiling,
    target: SEND_TARGET,
    pass: run.refused === 0 && run.rate >= 1000 && run.rate >= ceiling * 0.5,
    note: `${run.accepted} sent, ${run.refused} refused; API call p99 ${run.p99Ms} ms`,
  };
}

/**
 * Ceiling for a: pg-boss no-op jobs/s, with the send-message queue's options (created the same
 * way: a table of its own, analyzed as often) and its worker's settings, handed in as the API
 * queues them by as many concurrent senders as the figure has connections, worked in this
 * process. One per call: each sender's job waits for the others that arrive within the API's
 * window (QUEUE_TOGETHER) and they go in one insert, as single-message calls do; `perCall` per
 * call: that many in one insert. The clock runs from the first send to the last handler call.
 */
export async function noopCeiling(
  connectionString: string,
  n: number,
  perCall = 1,
  connections = API_CONNECTIONS,
): Promise<number> {
  const { boss, queue } = await noopQueue(connectionString);
  try {
    let done = 0;
    await boss.work(queue, { ...sendMessageJob.work }, async (jobs) => void (done += jobs.length));
    const insertTogether = coalesce<number>(async (calls) => {
      await boss.insert(
        queue,
        calls.map((call) => ({ data: { call } })),
      );
    }, QUEUE_TOGETHER);
    const started = performance.now();
    await pool(
      Array.from({ length: Math.ceil(n / perCall) }, (_, call) => call),
      connections,
      async (call) => {
        if (perCall === 1) return insertTogether(call);
        await boss.insert(
          queue,
          Array.from({ length: perCall }, (_, i) => ({ data: { call, i } })),
        );
      },
    );
    await waitUntil(async () => done >= n, `${n} no-op jobs`, 120_000);
    const total = seconds(started);
    console.log(
      `ceiling a: ${n} no-op pg-boss jobs, ${perCall === 1 ? "1 per call, queued together as the API queues them" : `${perCall} per call`}, ${connections} at a time, worked in ${total.toFixed(2)} s`,
    );
    return n / total;
  } finally {
    await boss.stop({ graceful: false });
  }
}

/**
 * A pg-boss of the benchmark's own, in this process, and a queue created as the send-message queue
 * is (a table of its own, analyzed as often), for the ceilings of a and f. The caller stops it.
 */
export async function noopQueue(connectionString: string): Promise<{ boss: PgBoss; queue: string }> {
  const boss = new PgBoss({ connectionString, schema: "pgboss", migrate: false, supervise: false, schedule: false, max: 8 });
  boss.on("error", (error: unknown) => console.error("[pg-boss bench]", error));
  await boss.start();
  const queue = "bench-noop";
  await ensureQueue(boss, { name: queue, queue: sendMessageJob.queue });
  return { boss, queue };
}
