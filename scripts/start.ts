// `npm start`: database (embedded unless DATABASE_URL), migrations, demo seed, build when
// needed, then the web app and the worker as child processes. SIGINT/SIGTERM stop all three.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { closeDb } from "@/db";
import { runMigrations } from "@/db/migrate";
import { seedDemo } from "@/db/seed";
import { ensureLocalSecrets, missingProductionSecrets } from "@/lib/env";
import { buildIfNeeded } from "./build-if-needed";
import { openLocalDatabase } from "./local-database";
import { serverNodeFlags } from "./server-flags";

const log = (line: string) => console.log(line);
const missing = missingProductionSecrets();
if (missing.length > 0) {
  console.error(`[switchboard] refusing to start in production: set ${missing.join(" and ")} (see README, "Environment").`);
  process.exit(1);
}
ensureLocalSecrets();

const port = Number(process.env.PORT ?? 3000);
const children: ChildProcess[] = [];
let shuttingDown = false;

// Started before the signal handlers can need it, so a Ctrl-C during start-up still stops it.
const database = openLocalDatabase(log);

async function shutdown(code: number, why: string): Promise<never> {
  if (!shuttingDown) {
    shuttingDown = true;
    log(`[switchboard] ${why}: stopping…`);
    await Promise.all(children.map(stopChild));
    await closeDb();
    await (await database.catch(() => null))?.embedded?.stop();
    log("[switchboard] stopped.");
  }
  process.exit(code);
}
process.on("SIGINT", () => void shutdown(0, "SIGINT"));
process.on("SIGTERM", () => void shutdown(0, "SIGTERM"));

try {
  const { url, embedded } = await database;
  process.env.DATABASE_URL = url;
  await runMigrations(url);
  const seed = await seedDemo();
  await closeDb();
  buildIfNeeded();

  const childEnv: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: url, PORT: String(port), NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" };
  children.push(run("web", process.execPath, [...serverNodeFlags(), "--import", "tsx", path.resolve("scripts/serve.ts")], childEnv));
  children.push(run("worker", process.execPath, [...serverNodeFlags(), "--import", "tsx", path.resolve("workers/run.ts")], childEnv));

  await waitForHealth(port);
  const publicUrl = process.env.PUBLIC_URL ?? `http://localhost:${port}`;
  log("");
  log(`  Switchboard is running at ${publicUrl}`);
  if (seed.created) {
    log(`  Demo org "demo": sign in as ${seed.email}`);
    log(`  password: ${seed.password}${seed.passwordGenerated ? "   (generated; shown only this once)" : ""}`);
  } else if (seed.email) {
    log(`  Demo org "demo": sign in as ${seed.email} (the password was shown on the first run)`);
  }
  log(`  Database: ${embedded ? `embedded PostgreSQL on port ${embedded.port}` : "DATABASE_URL"}`);
  log("  Stop with Ctrl-C.");
  log("");
} catch (error) {
  console.error("[switchboard] failed to start:", error instanceof Error ? error.message : error);
  await shutdown(1, "start-up failed");
}

function run(name: string, command: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  const prefix = (chunk: Buffer) =>
    chunk
      .toString()
      .split("\n")
      .filter((line) => line.trim())
      .map((line) => `[${name}] ${line}`)
      .join("\n");
  child.stdout?.on("data", (chunk: Buffer) => console.log(prefix(chunk)));
  child.stderr?.on("data", (chunk: Buffer) => console.error(prefix(chunk)));
  child.on("exit", (code, signal) => {
    if (!shuttingDown) void shutdown(1, `${name} exited (${signal ?? code})`);
  });
  return child;
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

async function waitForHealth(port: number): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/api/health`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error("the web app did not become healthy within 120 s");
}
