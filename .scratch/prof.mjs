import { readFileSync } from "node:fs";
const prof = JSON.parse(readFileSync(process.argv[2], "utf8"));
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const self = new Map();
const dt = prof.timeDeltas; let total = 0;
prof.samples.forEach((id, i) => { const d = dt[i] ?? 0; total += d; self.set(id, (self.get(id) ?? 0) + d); });
const fn = new Map(), pkg = new Map();
for (const [id, t] of self) {
  const n = byId.get(id); const cf = n.callFrame;
  const key = `${cf.functionName || "(anon)"} ${cf.url.replace(/.*node_modules\//, "nm/").replace("file:///work/main/", "")}:${cf.lineNumber}`;
  fn.set(key, (fn.get(key) ?? 0) + t);
  let p = cf.url.includes("node_modules/") ? cf.url.split("node_modules/").pop().split("/").slice(0, cf.url.split("node_modules/").pop().startsWith("@") ? 2 : 1).join("/") : cf.url.startsWith("node:") ? "node:" + cf.url.slice(5).split("/")[0] : cf.url ? (cf.url.includes("/.next/") ? ".next" : "app") : cf.functionName;
  pkg.set(p, (pkg.get(p) ?? 0) + t);
}
const show = (m, k) => [...m].sort((a, b) => b[1] - a[1]).slice(0, k).forEach(([n, t]) => console.log((100 * t / total).toFixed(1).padStart(5) + "%", n));
console.log("total s", (total / 1e6).toFixed(1)); show(pkg, 20); console.log("---"); show(fn, Number(process.argv[3] ?? 40));
