import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

const SOURCES = ["app", "components", "lib", "db", "workers", "public"];
const FILES = ["package-lock.json", "next.config.mjs", "postcss.config.mjs", "tsconfig.json", "proxy.ts"];
const STAMP = path.join(".next", "switchboard-source-hash");

/** A hash of everything the production build reads: rebuild only when it changed. */
export function sourceHash(root = process.cwd()): string {
  const hash = createHash("sha256");
  const visit = (rel: string) => {
    const full = path.join(root, rel);
    if (!existsSync(full)) return;
    if (statSync(full).isDirectory()) {
      for (const entry of readdirSync(full).sort()) {
        if (entry === "node_modules" || entry.endsWith(".test.ts")) continue;
        visit(path.join(rel, entry));
      }
      return;
    }
    hash.update(rel).update("\0").update(readFileSync(full)).update("\0");
  };
  for (const entry of [...SOURCES, ...FILES]) visit(entry);
  return hash.digest("hex");
}

export function buildIsCurrent(root = process.cwd()): boolean {
  const stamp = path.join(root, STAMP);
  return existsSync(path.join(root, ".next", "BUILD_ID")) && existsSync(stamp) && readFileSync(stamp, "utf8") === sourceHash(root);
}

/**
 * Runs `next build` when the sources changed since the last build. A lock directory keeps
 * two processes (parallel test runs, npm start beside npm test) from building at once.
 */
export function buildIfNeeded(root = process.cwd(), log: (line: string) => void = console.log): void {
  if (buildIsCurrent(root)) return;
  const release = acquireLock(path.join(root, ".next-build.lock"));
  try {
    if (!buildIsCurrent(root)) build(root, log);
  } finally {
    release();
  }
}

function build(root: string, log: (line: string) => void): void {
  log("[switchboard] building the web app (next build); this takes a minute the first time…");
  const result = spawnSync(process.execPath, [path.join(root, "node_modules", "next", "dist", "bin", "next"), "build"], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (result.status !== 0) throw new Error(`next build failed (exit ${result.status})`);
  writeFileSync(path.join(root, STAMP), sourceHash(root));
}

function acquireLock(dir: string): () => void {
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    try {
      mkdirSync(dir);
      writeFileSync(path.join(dir, "pid"), String(process.pid));
      return () => rmSync(dir, { recursive: true, force: true });
    } catch {
      if (lockIsStale(dir)) {
        rmSync(dir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`another build holds ${dir}; remove it if no build is running`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
    }
  }
}

function lockIsStale(dir: string): boolean {
  try {
    const pid = Number(readFileSync(path.join(dir, "pid"), "utf8"));
    process.kill(pid, 0);
    return false;
  } catch (error) {
    // No pid file yet means the holder is between mkdir and write: not stale.
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}
