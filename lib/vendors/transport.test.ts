import http from "node:http";
import type { AddressInfo } from "node:net";
import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendHttp } from "./transport";

let server: http.Server;
let base: string;
const seenSockets = new Set<unknown>();
const perSocket = new Map<unknown, number>();
let dropAnswers = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    seenSockets.add(req.socket);
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      if (req.url === "/echo") {
        res.writeHead(201, { "content-type": "application/json", "x-multi": ["a", "b"] });
        res.end(JSON.stringify({ method: req.method, body, contentType: req.headers["content-type"], length: req.headers["content-length"] }));
      } else if (req.url === "/gzip") {
        res.writeHead(200, { "content-encoding": "gzip" }).end(zlib.gzipSync("Grüße, 🌍"));
      } else if (req.url === "/redirect") {
        res.writeHead(302, { location: "/echo" }).end();
      } else if (req.url === "/drop-reused") {
        const n = (perSocket.get(req.socket) ?? 0) + 1;
        perSocket.set(req.socket, n);
        if (n > 1) req.socket.destroy();
        else res.end(`answer ${++dropAnswers}`);
      } else if (req.url === "/slow") {
        setTimeout(() => res.end("late"), 1_000);
      } else res.writeHead(404).end("nope");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => {
  server.closeAllConnections();
  server.close();
});

describe("sendHttp", () => {
  it("sends the method, headers and a UTF-8 body with its byte length, and returns status, headers and body", async () => {
    const response = await sendHttp({ method: "POST", url: `${base}/echo`, headers: { "content-type": "text/plain" }, body: "héllo ✓", timeoutMs: 2_000 });
    expect(response.status).toBe(201);
    expect(response.headers.get("x-multi")).toBe("a, b");
    expect(JSON.parse(response.body)).toEqual({ method: "POST", body: "héllo ✓", contentType: "text/plain", length: String(Buffer.byteLength("héllo ✓")) });
  });

  it("keeps connections alive between requests", async () => {
    seenSockets.clear();
    for (let i = 0; i < 5; i++) await sendHttp({ method: "GET", url: `${base}/echo`, headers: {}, timeoutMs: 2_000 });
    expect(seenSockets.size).toBe(1);
  });

  it("tries once more on a fresh connection when a kept-alive one was closed under the request", async () => {
    const first = await sendHttp({ method: "POST", url: `${base}/drop-reused`, headers: {}, body: "1", timeoutMs: 2_000 });
    const second = await sendHttp({ method: "POST", url: `${base}/drop-reused`, headers: {}, body: "2", timeoutMs: 2_000 });
    expect([first.body, second.body]).toEqual(["answer 1", "answer 2"]);
  });

  it("decodes a compressed body, and does not follow redirects", async () => {
    expect((await sendHttp({ method: "GET", url: `${base}/gzip`, headers: {}, timeoutMs: 2_000 })).body).toBe("Grüße, 🌍");
    const redirect = await sendHttp({ method: "POST", url: `${base}/redirect`, headers: {}, body: "x", timeoutMs: 2_000 });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get("location")).toBe("/echo");
  });

  it("gives up after the timeout, and says when nothing listens", async () => {
    await expect(sendHttp({ method: "GET", url: `${base}/slow`, headers: {}, timeoutMs: 100 })).rejects.toMatchObject({ name: "TimeoutError" });
    await expect(sendHttp({ method: "GET", url: "http://127.0.0.1:9/", headers: {}, timeoutMs: 1_000 })).rejects.toThrow(/ECONNREFUSED/);
    await expect(sendHttp({ method: "GET", url: "ftp://127.0.0.1/", headers: {}, timeoutMs: 1_000 })).rejects.toThrow(/Unsupported protocol/);
  });
});
