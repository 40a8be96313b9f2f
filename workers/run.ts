// The worker process: `npm run worker`, and the child that `npm start` runs.
import { closeDb } from "@/db";
import { ensureLocalSecrets } from "@/lib/env";
import { sendConfig } from "@/lib/messaging/config";
import { flushStaleParts } from "@/lib/messaging/concat";
import { dispatchPolls } from "@/lib/messaging/poll";
import { sweepStalledMessages } from "@/lib/messaging/sweep";
import { getBoss, stopBoss } from "@/lib/queue";
import { registerJobs, JOBS } from "./index";

process.env.SWITCHBOARD_PROCESS ??= "switchboard-worker";
if (!process.env.DATABASE_URL) {
  console.error("Set DATABASE_URL to run a worker on its own (`npm start` and `npm run dev` run one for you).");
  process.exit(1);
}
ensureLocalSecrets();

// Node loads its fetch implementation on first use (tens of milliseconds): load it now, so the
// first send leaves at its rate-limit slot like every other.
await fetch("data:,").catch(() => {});

const boss = await getBoss("worker");
await registerJobs(boss);
console.log(`working ${JOBS.length} queue(s): ${JOBS.map((j) => j.name).join(", ")}`);

// A killed worker's messages come back through the sweep, whichever worker runs it; vendors
// without webhooks are polled when due; parts of a long inbound text that never got their
// missing parts are stored as they are.
const sweep = async () => {
  try {
    const n = await sweepStalledMessages();
    if (n > 0) console.log(`re-queued ${n} stalled message(s)`);
    const polls = await dispatchPolls();
    if (polls > 0) console.log(`polling ${polls} vendor account(s)`);
    const flushed = await flushStaleParts();
    if (flushed > 0) console.log(`stored ${flushed} incomplete multipart message(s)`);
  } catch (error) {
    console.error("sweep failed:", error instanceof Error ? error.message : error);
  }
};
void sweep();
const sweeper = setInterval(() => void sweep(), sendConfig.sweepIntervalSeconds() * 1000);

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: finishing active jobs`);
  clearInterval(sweeper);
  await stopBoss();
  await closeDb();
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
