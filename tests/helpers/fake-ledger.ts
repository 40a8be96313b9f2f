import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * The remote side of the fake vendor (its ledgerUrl): records every send it receives,
 * with a delay per request so a test can kill a worker while sends are in flight.
 */
export class FakeLedger {
  url = "";
  readonly received: { clientRef: string; id: string; from: string | undefined; at: number }[] = [];
  private counter = 0;
  private server = http.createServer((req, res) => void this.handle(req, res));

  /** While set, sends are answered with this status (an outage) and not recorded. */
  failWith: number | null = null;
  attempts = 0;

  constructor(private readonly delayMs: () => number = () => 0) {}

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  countFor(clientRef: string): number {
    return this.received.filter((r) => r.clientRef === clientRef).length;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const arrivedAt = Date.now();
    let body = "";
    for await (const chunk of req) body += String(chunk);
    await new Promise((r) => setTimeout(r, this.delayMs()));
    if (req.method === "POST" && req.url === "/messages") {
      this.attempts++;
      if (this.failWith) {
        res.writeHead(this.failWith, { "content-type": "text/plain" }).end("temporarily unavailable");
        return;
      }
      const { clientRef, from } = JSON.parse(body) as { clientRef: string; from?: string };
      const id = `FKL${++this.counter}`;
      this.received.push({ clientRef, id, from, at: arrivedAt });
      res.writeHead(201, { "content-type": "application/json" }).end(JSON.stringify({ id }));
      return;
    }
    const match = /^\/messages\/([^/]+)$/.exec(req.url ?? "");
    if (req.method === "GET" && match) {
      const found = this.received.find((r) => r.clientRef === decodeURIComponent(match[1]!));
      if (found) res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ id: found.id, status: "sent" }));
      else res.writeHead(404).end();
      return;
    }
    res.writeHead(404).end();
  }
}
