import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { serverNodeFlags } from "@/scripts/server-flags";

export type RunningApp = { url: string; pid: number | undefined; stop: () => Promise<void>; output: () => string };

/**
 * The production build, served as `npm start` serves it (scripts/serve.ts), on a free port against this test file's database.
 * Global setup has already built it. Pass `port` when the URL must be known beforehand
 * (PUBLIC_URL, which vendors' webhook signatures cover).
 */
export async function startApp(
  env: Record<string, string> = {},
  options: { requireHealthy?: boolean; port?: number } = {},
): Promise<RunningApp> {
  const port = options.port ?? (await freePort());
  const child = spawn(process.execPath, [...serverNodeFlags(), "--import", "tsx", path.resolve("scripts/serve.ts")], {
    env: { ...process.env, NODE_ENV: "production", PORT: String(port), NEXT_TELEMETRY_DISABLED: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHealthy(url, child, options.requireHealthy ?? true);
  return { url, pid: child.pid, stop: () => stopProcess(child), output: captureOutput(child) };
}

/** Spawns a TypeScript entry point (the worker, the admin CLI) as its own process. */
export function spawnTs(entry: string, args: string[] = [], env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, [...serverNodeFlags(), "--import", "tsx", path.resolve(entry), ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

export function stopProcess(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill(signal);
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

function captureOutput(child: ChildProcess): () => string {
  let text = "";
  child.stdout?.on("data", (c: Buffer) => (text += c.toString()));
  child.stderr?.on("data", (c: Buffer) => (text += c.toString()));
  return () => text;
}

/** Until /api/health answers 200, or, with requireHealthy false, answers at all. */
async function waitForHealthy(url: string, child: ChildProcess, requireHealthy: boolean): Promise<void> {
  let log = "";
  child.stdout?.on("data", (c: Buffer) => (log += c.toString()));
  child.stderr?.on("data", (c: Buffer) => (log += c.toString()));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the web app exited (${child.exitCode}):\n${log}`);
    try {
      const response = await fetch(`${url}/api/health`);
      if (response.ok || !requireHealthy) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill("SIGKILL");
  throw new Error(`the web app did not become healthy:\n${log}`);
}

export type RunningWorker = { pid: number | undefined; output: () => string; stop: () => Promise<void> };

/**
 * A real worker process, returned once it has registered its queues (it prints "working
 * <n> queue(s)"); its output is kept for failure reports.
 */
export async function startWorker(env: Record<string, string> = {}): Promise<RunningWorker> {
  const child = spawnTs("workers/run.ts", [], env);
  const output = captureOutput(child);
  const deadline = Date.now() + 60_000;
  while (!output().includes("working")) {
    if (child.exitCode !== null) throw new Error(`the worker exited (${child.exitCode}):\n${output()}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`the worker did not start:\n${output()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { pid: child.pid, output, stop: () => stopProcess(child) };
}
