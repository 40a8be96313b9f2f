import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { gunzipSync } from "node:zlib";
import { acceptsGzip, gzipped, matchMachineRoute } from "./machine-lane";

const root = path.resolve(import.meta.dirname, "..");

/** The pages' JSON routes that open pages poll; the OAuth2 redirects under app/api/orgs stay with Next.js. */
const POLLED = [
  "app/api/orgs/[org]/conversations/route.ts",
  "app/api/orgs/[org]/conversations/[conversationId]/messages/route.ts",
  "app/api/orgs/[org]/number-orders/[orderId]/route.ts",
  "app/api/orgs/[org]/campaigns/[campaignId]/progress/route.ts",
];

/** Every route file under the directories machines call, and the polled ones, with a path Next.js would route to it. */
function machineRouteFiles(): { file: string; samplePath: string }[] {
  const files = ["app/api/webhooks", "app/api/v1", "app/c/ex"].flatMap((dir) =>
    readdirSync(path.join(root, dir), { recursive: true, encoding: "utf8" })
      .filter((f) => path.basename(f) === "route.ts")
      .map((f) => path.join(dir, f)),
  );
  return [...files, ...POLLED]
    .filter((file) => !file.includes("[..."))
    .map((file) => ({
      file,
      samplePath: "/" + path.dirname(file).replace(/^app\//, "").replace(/\[[^\]]+\]/g, "x1"),
    }));
}

describe("the machine lane", () => {
  it("routes every webhook, gateway, API v1 and polled path to the route file Next.js would", async () => {
    const files = machineRouteFiles();
    expect(files.length).toBeGreaterThanOrEqual(15);
    for (const { file, samplePath } of files) {
      const expected: unknown = await import(path.join(root, file));
      expect(matchMachineRoute(samplePath)?.module, `${samplePath} -> ${file}`).toBe(expected);
    }
  });

  it("prefers a static segment to a dynamic one, as Next.js does", async () => {
    const smssync: unknown = await import("@/app/api/webhooks/smssync/[token]/sync/route");
    const batch: unknown = await import("@/app/api/v1/messages/batch/route");
    expect(matchMachineRoute("/api/webhooks/smssync/tok/sync")?.module).toBe(smssync);
    expect(matchMachineRoute("/api/v1/messages/batch")?.module).toBe(batch);
    expect(matchMachineRoute("/api/v1/messages/msg_1")?.params).toEqual({ id: "msg_1" });
  });

  it("decodes params, flags broken percent-encoding, and leaves other paths to Next.js", () => {
    expect(matchMachineRoute("/api/webhooks/twilio/a%20b/inbound")?.params).toEqual({ kind: "twilio", token: "a b", action: "inbound" });
    expect(matchMachineRoute("/api/webhooks/twilio/a%zz/inbound")).toMatchObject({ params: undefined });
    for (const other of ["/", "/login", "/api/health", "/api/v1/messages/", "/api/v1/unknown/deeper/path", "/api/orgs/o/vendors/a/oauth2/start"]) {
      expect(matchMachineRoute(other), other).toBeUndefined();
    }
  });

  it("reads Accept-Encoding as a browser or client means it", () => {
    for (const yes of ["gzip", "gzip, deflate, br", "br;q=1.0, gzip;q=0.8", "*", "deflate, *;q=0.1", " GZIP ; q=1 "]) expect(acceptsGzip(yes), yes).toBe(true);
    for (const no of [undefined, "", "identity", "br", "gzip;q=0", "gzip;q=0.0, br", "*;q=0", "gzip;q=0, *"]) expect(acceptsGzip(no), String(no)).toBe(false);
  });

  it("gzips a small body on the event loop and a large one in the pool, both whole", async () => {
    for (const size of [2 * 1024, 64 * 1024, 64 * 1024 + 1, 512 * 1024]) {
      const body = Buffer.from(JSON.stringify({ rows: Array.from({ length: size }, (_, i) => i % 97) }).slice(0, size));
      const zipped = await gzipped(body);
      expect([size, gunzipSync(zipped).equals(body), zipped.length < body.length]).toEqual([size, true, true]);
    }
  });
});
