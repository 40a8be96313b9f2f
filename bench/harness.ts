// What every figure of the benchmark shares: the row it reports, timing, concurrency, percentiles and process memory.
import { readFileSync } from "node:fs";
import os from "node:os";
import { waitFor } from "../tests/helpers/wait";

export const QUICK = process.argv.includes("--quick");
/** `--only=a,b`: just those figures (e comes with a or b), to look into one without the whole run. */
const ONLY = process.argv.find((a) => a.startsWith("--only="))?.slice("--only=".length).split(",");
export const wants = (figure: "a" | "b" | "c" | "d" | "e" | "f"): boolean =>
  !ONLY || ONLY.includes(figure) || (figure === "e" && (ONLY.includes("a") || ONLY.includes("b")));

/**
 * One line of the table. `ceiling` is measured in the same run; for a rate the ratio is
 * value / ceiling, for what is better lower (a latency, a duration, memory: LOWER_IS_BETTER) it is
 * ceiling / value, so 100% is always "as good as the ceiling". `pass` is null where the issue sets
 * no target.
 */
export type Row = {
  figure: string;
  unit: string;
  value: number | null;
  ceiling: number | null;
  target: string;
  pass: boolean | null;
  note?: string;
};

const LOWER_IS_BETTER = new Set(["ms", "s", "MB"]);

export const seconds = (since: number) => (performance.now() - since) / 1000;
export { setTimeout as sleep } from "node:timers/promises";

/** Runs `task` over `items`, `limit` at a time. */
export async function pool<T>(items: T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await task(items[next++]!);
    }),
  );
}

/** Calls `read` every `everyMs` until it says yes, or throws. A read that asks the database competes with what is measured: poll it slowly. */
export async function waitUntil(read: () => Promise<boolean>, what: string, timeoutMs: number, everyMs = 50): Promise<void> {
  if (!(await waitFor(read, timeoutMs, everyMs))) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** The p-th percentile (0..100) of `samples`, nearest rank. */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** A process's peak resident memory in MB so far (VmHWM), or null once it has exited. */
export function peakRssMb(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

export function machine() {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    model: cpus[0]?.model ?? "unknown",
    memoryGb: +(os.totalmem() / 2 ** 30).toFixed(1),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  };
}

export function printTable(rows: Row[], database: string): void {
  const fmt = (v: number | null, unit: string) =>
    v === null ? "—" : `${v >= 100 ? Math.round(v).toLocaleString("en-US") : v.toFixed(2)} ${unit}`.trim();
  const table = rows.map((r) => [
    r.figure,
    r.value === null ? (r.note ?? "—") : fmt(r.value, r.unit),
    fmt(r.ceiling, r.unit),
    ratio(r),
    r.target || "—",
    r.pass === null ? "—" : r.pass ? "pass" : "FAIL",
  ]);
  const header = ["figure", "value", "ceiling", "ratio", "target", "result"];
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  const m = machine();
  console.log(`\n${m.cpus} × ${m.model}, ${m.memoryGb} GB, node ${m.node}, ${database}${QUICK ? " (--quick)" : ""}`);
  console.log([line(header), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...table.map(line)].join("\n"));
  const notes = rows.filter((r) => r.note && r.value !== null);
  if (notes.length) console.log(notes.map((r) => `- ${r.figure}: ${r.note}`).join("\n"));
}

function ratio(row: Row): string {
  if (row.value === null || !row.ceiling) return "n/a";
  const share = LOWER_IS_BETTER.has(row.unit) ? row.ceiling / row.value : row.value / row.ceiling;
  return `${Math.round(share * 100)}%`;
}
