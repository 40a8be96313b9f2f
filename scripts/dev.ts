// `npm run dev`: the database (embedded unless DATABASE_URL), migrations and seed, then
// `next dev` and the worker with reload. Ctrl-C stops all of them.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { closeDb } from "@/db";
import { runMigrations } from "@/db/migrate";
import { seedDemo } from "@/db/seed";
import { ensureLocalSecrets } from "@/lib/env";
import { openLocalDatabase } from "./local-database";

ensureLocalSecrets();
const { url, embedded } = await openLocalDatabase(console.log);
await runMigrations(url);
const seed = await seedDemo();
await closeDb();
if (seed.created) console.log(`[switchboard] demo owner: ${seed.email} / ${seed.password}`);

const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: url, NEXT_TELEMETRY_DISABLED: "1" };
const children: ChildProcess[] = [
  spawn(process.execPath, [path.resolve("node_modules/next/dist/bin/next"), "dev", "-p", process.env.PORT ?? "3000"], { env, stdio: "inherit" }),
  spawn(process.execPath, ["--import", "tsx", "--watch", path.resolve("workers/run.ts")], { env, stdio: "inherit" }),
];

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  for (const child of children) child.kill("SIGTERM");
  await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once("exit", r)))));
  await embedded?.stop();
  process.exit(0);
}
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());
