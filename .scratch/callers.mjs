import { readFileSync } from "node:fs";
const prof = JSON.parse(readFileSync(process.argv[2], "utf8"));
const target = process.argv[3];
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const self = new Map();
prof.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0)));
const stacks = new Map();
for (const [id, t] of self) {
  if (byId.get(id).callFrame.functionName !== target) continue;
  const chain = []; let p = parent.get(id);
  while (p && chain.length < 12) { const cf = byId.get(p).callFrame; chain.push(`${cf.functionName || "anon"}@${cf.url.split("/").slice(-2).join("/")}:${cf.lineNumber}`); p = parent.get(p); }
  const k = chain.join(" < "); stacks.set(k, (stacks.get(k) ?? 0) + t);
}
[...stacks].sort((a, b) => b[1] - a[1]).slice(0, 6).forEach(([k, t]) => console.log((t / 1e6).toFixed(2) + "s", k, "\n"));
