// The npm registry reachable here serves only some platforms' builds of packages such as
// @next/swc-*, @tailwindcss/oxide-* and @unrs/resolver-binding-*. `npm install` then leaves
// the other platforms' optional packages out of package-lock.json, and `npm ci` refuses
// that lock ("Missing: … from lock file"). This adds an entry for each missing optional
// package, with the os/cpu its name states, so `npm ci` skips it on this platform and a
// machine of that platform can still install it. Run after `npm install`: `npm run lock:complete`.
import { readFileSync, writeFileSync } from "node:fs";

const OS = ["darwin", "win32", "linux", "freebsd", "android", "openharmony", "sunos", "aix"];
const CPU = { arm64: "arm64", x64: "x64", ia32: "ia32", arm: "arm", loong64: "loong64", ppc64: "ppc64", riscv64: "riscv64", s390x: "s390x", wasm32: "wasm32" };

const lock = JSON.parse(readFileSync("package-lock.json", "utf8"));
const packages = lock.packages;
let added = 0;
for (const [path, entry] of Object.entries(packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const key = `${path ? `${path}/` : ""}node_modules/${name}`.replace(/^\/+/, "");
    if (packages[key] || packages[`node_modules/${name}`]) continue;
    const platform = platformOf(name);
    if (!platform) continue;
    packages[`node_modules/${name}`] = { version, ...(entry.dev ? { dev: true } : {}), optional: true, ...platform };
    added++;
  }
}
if (added > 0) {
  lock.packages = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a.localeCompare(b))));
  writeFileSync("package-lock.json", `${JSON.stringify(lock, null, 2)}\n`);
}
console.log(`complete-lockfile: added ${added} platform-specific optional package(s)`);

function platformOf(name) {
  const parts = name.split("/").pop().split("-");
  const os = parts.find((p) => OS.includes(p));
  const cpuPart = parts.find((p) => p in CPU) ?? (parts.includes("wasm32") ? "wasm32" : undefined);
  if (!os && !cpuPart) return undefined;
  const out = {};
  if (cpuPart) out.cpu = [CPU[cpuPart]];
  if (os) out.os = [os];
  if (parts.includes("musl") || parts.includes("musleabihf")) out.libc = ["musl"];
  else if (parts.includes("gnu") || parts.includes("gnueabihf")) out.libc = ["glibc"];
  return out;
}
