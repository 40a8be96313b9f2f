import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { startSimulator, type Simulator } from "@/sim/index";

/** A request the simulator made to the stand-in hub. */
export type Received = { method: string; url: string; headers: http.IncomingHttpHeaders; body: string };

/**
 * Gives this test file the simulator and a local HTTP server standing in for the hub's webhooks,
 * which records every request the simulator makes to it (in the returned array) and answers it
 * with `answer` (200 and no body unless told). Before the tests, starts both and hands them to
 * `setUp` (which adds the accounts); before each, lets pending reports arrive, clears faults and
 * report settings and forgets what the hub received; after them all, stops both.
 */
export function simWithHubForFile(
  setUp: (started: { sim: Simulator; hubUrl: string }) => Promise<void>,
  answer: (request: http.IncomingMessage, response: http.ServerResponse) => void = (_, response) => response.writeHead(200).end(),
): Received[] {
  const received: Received[] = [];
  let sim: Simulator | undefined;
  const hub = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      received.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
      answer(req, res);
    });
  });

  beforeAll(async () => {
    await new Promise<void>((resolve) => hub.listen(0, "127.0.0.1", resolve));
    sim = await startSimulator({ delayMs: 20 });
    await setUp({ sim, hubUrl: `http://127.0.0.1:${(hub.address() as AddressInfo).port}` });
  });

  afterAll(async () => {
    await sim?.stop();
    hub.closeAllConnections();
    await new Promise((resolve) => hub.close(resolve));
  });

  beforeEach(async () => {
    if (!sim) return;
    await sim.control.flush();
    sim.control.clearFaults();
    sim.control.setReports({ duplicate: false, reorder: false });
    received.length = 0;
  });

  return received;
}
