// The web process that `npm start` runs (and the tests and benchmark, the same way): Next.js's
// production server, with what other systems call at volume served directly (./machine-lane.ts).
import http from "node:http";
import next from "next";
import { serveMachineRequest } from "./machine-lane";

process.env.SWITCHBOARD_PROCESS ??= "switchboard-web";
const port = Number(process.env.PORT ?? 3000);
const app = next({ dev: false, dir: process.cwd(), port });
await app.prepare();
const handle = app.getRequestHandler();

const server = http.createServer((req, res) => {
  serveMachineRequest(req, res)
    .then((served) => (served ? undefined : handle(req, res)))
    .catch((error: unknown) => {
      console.error("[web] request failed:", error instanceof Error ? error.message : error);
      if (!res.headersSent) res.writeHead(503, { "retry-after": "5" }).end("Temporarily unavailable; please retry.");
    });
});
server.listen(port, () => console.log(`> Ready on port ${port}`));

// In-flight requests finish; a client that holds its connection open longer does not hold up the stop.
const stop = () => {
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 10_000).unref();
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
