// The ceiling of figure b: the webhook route's work (receiveWebhook) in a bare node:http server, no Next.js.
// Run by the benchmark as its own process, like `next start`; prints "listening <url>" when ready.
import http from "node:http";
import { ensureLocalSecrets } from "@/lib/env";
import { drainUnreadBody, UNREAD_BODY_HEADERS } from "@/lib/http/read-body";
import { nodeVendorCall } from "@/lib/http/webhook-route";
import { MAX_WEBHOOK_BODY_BYTES, receiveWebhook } from "@/lib/messaging/webhooks";

ensureLocalSecrets();
const port = Number(process.env.PORT ?? 0);
const publicUrl = process.env.PUBLIC_URL ?? `http://127.0.0.1:${port}`;
const route = /^\/api\/webhooks\/([\w-]+)\/([\w-]+)\/([\w-]+)$/;

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url ?? "/", publicUrl);
  const match = route.exec(url.pathname);
  // The request read as the web app's lane reads it (headers, capped body), without the lane around it.
  const call = nodeVendorCall(req);
  const body = await call.readBody(MAX_WEBHOOK_BODY_BYTES);
  if (body === null) {
    await drainUnreadBody(req);
    return answer(res, 413, UNREAD_BODY_HEADERS, "Request body too large.");
  }
  if (!match) return answer(res, 404, {}, "Unknown webhook.");
  try {
    const outcome = await receiveWebhook(match[1]!, match[2]!, match[3]!, {
      method: call.method,
      url: `${publicUrl}${url.pathname}${url.search}`,
      headers: call.headers,
      query: Object.fromEntries(url.searchParams),
      body,
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

function answer(res: http.ServerResponse, status: number, headers: Readonly<Record<string, string>> = {}, body = ""): void {
  res.writeHead(status, headers).end(body);
}

process.on("SIGTERM", () => server.close(() => process.exit(0)));
