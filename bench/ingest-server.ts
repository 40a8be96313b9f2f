// The ceiling of figure b: the webhook route's work (receiveWebhook) in a bare node:http server, no Next.js.
// Run by the benchmark as its own process, like `next start`; prints "listening <url>" when ready.
import http from "node:http";
import { ensureLocalSecrets } from "@/lib/env";
import { MAX_WEBHOOK_BODY_BYTES, receiveWebhook } from "@/lib/messaging/webhooks";

ensureLocalSecrets();
const port = Number(process.env.PORT ?? 0);
const publicUrl = process.env.PUBLIC_URL ?? `http://127.0.0.1:${port}`;
const route = /^\/api\/webhooks\/([\w-]+)\/([\w-]+)\/([\w-]+)$/;

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url ?? "/", publicUrl);
  const match = route.exec(url.pathname);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_WEBHOOK_BODY_BYTES) return answer(res, 413, {}, "Request body too large.");
    chunks.push(chunk);
  }
  if (!match) return answer(res, 404, {}, "Unknown webhook.");
  try {
    const outcome = await receiveWebhook(match[1]!, match[2]!, match[3]!, {
      method: req.method ?? "POST",
      url: `${publicUrl}${url.pathname}${url.search}`,
      headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : (v ?? "")])),
      query: Object.fromEntries(url.searchParams),
      body: Buffer.concat(chunks).toString("utf8"),
    });
    answer(res, outcome.status, outcome.headers, outcome.body);
  } catch {
    answer(res, 503, { "retry-after": "5" }, "Temporarily unavailable; please retry.");
  }
});

server.listen(port, "127.0.0.1", () => {
  const address = server.address();
  console.log(`listening http://127.0.0.1:${typeof address === "object" && address ? address.port : port}`);
});

function answer(res: http.ServerResponse, status: number, headers: Record<string, string> = {}, body = ""): void {
  res.writeHead(status, headers).end(body);
}

process.on("SIGTERM", () => server.close(() => process.exit(0)));
