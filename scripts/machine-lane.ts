import type { IncomingMessage, ServerResponse } from "node:http";
import { promisify } from "node:util";
import { gzip, gzipSync } from "node:zlib";
import * as campaignProgress from "@/app/api/orgs/[org]/campaigns/[campaignId]/progress/route";
import * as inboxThread from "@/app/api/orgs/[org]/conversations/[conversationId]/messages/route";
import * as inbox from "@/app/api/orgs/[org]/conversations/route";
import * as numberOrder from "@/app/api/orgs/[org]/number-orders/[orderId]/route";
import * as conversationMessages from "@/app/api/v1/conversations/[id]/messages/route";
import * as conversationList from "@/app/api/v1/conversations/route";
import * as messageBatch from "@/app/api/v1/messages/batch/route";
import * as messageById from "@/app/api/v1/messages/[id]/route";
import * as messageSend from "@/app/api/v1/messages/route";
import * as openapi from "@/app/api/v1/openapi.json/route";
import * as otpVerify from "@/app/api/v1/otp/verify/route";
import * as otpSend from "@/app/api/v1/otp/route";
import * as vendorWebhook from "@/app/api/webhooks/[kind]/[token]/[action]/route";
import * as smssyncSync from "@/app/api/webhooks/smssync/[token]/sync/route";
import * as externalWebhook from "@/app/c/ex/[token]/[action]/route";
import { malformedPath } from "@/lib/http/malformed-path";
import { drainUnreadBody } from "@/lib/http/read-body";
import { nodeVendorCall, vendorAnswerOf } from "@/lib/http/webhook-route";

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response> | Response;
export type RouteModule = Partial<Record<"GET" | "POST" | "PUT" | "PATCH" | "DELETE", Handler>>;
type Route = { pattern: RegExp; names: string[]; module: RouteModule };

const route = (pattern: RegExp, names: string[], module: object): Route => ({ pattern, names, module: module as RouteModule });

/**
 * The route files of what other systems call (vendor webhooks, SMSsync, RapidPro's /c/ex, the REST
 * API), and of the JSON that open pages poll, with their paths as Next.js matches them: a static
 * segment before a dynamic one.
 */
const ROUTES: Route[] = [
  route(/^\/api\/webhooks\/smssync\/([^/]+)\/sync$/, ["token"], smssyncSync),
  route(/^\/api\/webhooks\/([^/]+)\/([^/]+)\/([^/]+)$/, ["kind", "token", "action"], vendorWebhook),
  route(/^\/c\/ex\/([^/]+)\/([^/]+)$/, ["token", "action"], externalWebhook),
  route(/^\/api\/v1\/messages$/, [], messageSend),
  route(/^\/api\/v1\/messages\/batch$/, [], messageBatch),
  route(/^\/api\/v1\/messages\/([^/]+)$/, ["id"], messageById),
  route(/^\/api\/v1\/conversations$/, [], conversationList),
  route(/^\/api\/v1\/conversations\/([^/]+)\/messages$/, ["id"], conversationMessages),
  route(/^\/api\/v1\/otp$/, [], otpSend),
  route(/^\/api\/v1\/otp\/verify$/, [], otpVerify),
  route(/^\/api\/v1\/openapi\.json$/, [], openapi),
  // What open pages poll (GET only): the session is read from the request (resolveOrgRoute).
  route(/^\/api\/orgs\/([^/]+)\/conversations$/, ["org"], inbox),
  route(/^\/api\/orgs\/([^/]+)\/conversations\/([^/]+)\/messages$/, ["org", "conversationId"], inboxThread),
  route(/^\/api\/orgs\/([^/]+)\/number-orders\/([^/]+)$/, ["org", "orderId"], numberOrder),
  route(/^\/api\/orgs\/([^/]+)\/campaigns\/([^/]+)\/progress$/, ["org", "campaignId"], campaignProgress),
];

/**
 * Serves a request that machines send at volume, or that an open page polls (no page or server
 * action; a polled route reads the session from the request), with the same route handler Next.js
 * would call, but without Next.js's per-request machinery, which costs webhooks about two thirds of
 * their throughput and an inbox poll about a quarter of its time (docs/performance.md). Returns false for
 * anything else, and for a method the route does not take, which Next.js answers as before.
 */
export async function serveMachineRequest(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  const method = req.method ?? "GET";
  const matched = matchMachineRoute((req.url ?? "/").split("?")[0]!);
  const handler = matched?.module[method as keyof RouteModule];
  if (!matched || !handler) return false;
  const vendorAnswer = matched.params && vendorAnswerOf(handler);
  if (vendorAnswer) {
    // A vendor's webhook (or SMSsync, or /c/ex): answered from Node's request as it is, no web Request or Response.
    const answered = await vendorAnswer(matched.params!, nodeVendorCall(req));
    await reply(req, res, answered.status, answered.headers, Buffer.from(answered.body));
    return true;
  }
  const response = matched.params
    ? await handler(await toWebRequest(req, method), { params: Promise.resolve(matched.params) })
    : malformedPath();
  const headers: Record<string, string | string[]> = Object.fromEntries(response.headers);
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers["set-cookie"] = cookies;
  await reply(req, res, response.status, headers, Buffer.from(await response.arrayBuffer()));
  return true;
}

/**
 * Writes an answer, compressed as Next.js would compress it (its headers are completed first), once
 * any body the route refused to read has been dropped (drainUnreadBody), so the caller hears it.
 */
async function reply(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  headers: Record<string, string | string[]>,
  body: Buffer,
): Promise<void> {
  const sent = await compressed(req, headers, body);
  // The route has answered: a web stream of the body that it did not read to the end lets go of the socket.
  webBodies.get(req)?.();
  await drainUnreadBody(req);
  res.writeHead(status, headers).end(sent);
}

/** As Next.js answers (its `compress` option): a text body of 1 KB or more is gzipped for a client that accepts gzip. */
const COMPRESS_FROM_BYTES = 1024;
/**
 * Bodies up to this size are gzipped on the event loop (about 0.2 ms for an inbox page of ~15 KB):
 * zlib's asynchronous form waits for a thread of libuv's pool, which on a busy two-core host cost
 * more than the work (an inbox poll's p50 about a millisecond lower in A/B runs). Larger bodies go
 * to the pool, so that one of them cannot hold up every other request.
 */
const GZIP_ON_LOOP_UP_TO_BYTES = 64 * 1024;
const gzipAsync = promisify(gzip);

async function compressed(req: IncomingMessage, headers: Record<string, string | string[]>, body: Buffer): Promise<Buffer> {
  const type = String(headers["content-type"] ?? "");
  if (body.length < COMPRESS_FROM_BYTES || headers["content-encoding"] || !/json|text\/|xml|javascript/i.test(type)) return body;
  headers.vary = [headers.vary, "Accept-Encoding"].filter(Boolean).join(", ");
  if (!acceptsGzip(req.headers["accept-encoding"])) return body;
  headers["content-encoding"] = "gzip";
  delete headers["content-length"];
  return gzipped(body);
}

export async function gzipped(body: Buffer): Promise<Buffer> {
  return body.length <= GZIP_ON_LOOP_UP_TO_BYTES ? gzipSync(body) : gzipAsync(body);
}

/** Whether an Accept-Encoding header allows gzip: named or by `*`, with a quality above zero. */
export function acceptsGzip(header: string | undefined): boolean {
  const codings = new Map(
    (header ?? "").split(",").map((part) => {
      const [name = "", ...params] = part.trim().toLowerCase().split(";");
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return [name.trim(), q === undefined ? 1 : Number(q)] as const;
    }),
  );
  const q = codings.get("gzip") ?? codings.get("*");
  return q !== undefined && q > 0;
}

/** The lane's route module for a path, with its decoded params (none when a segment's percent-encoding is broken). */
export function matchMachineRoute(path: string): { module: RouteModule; params: Record<string, string> | undefined } | undefined {
  for (const { pattern, names, module } of ROUTES) {
    const found = pattern.exec(path);
    if (!found) continue;
    try {
      const values = found.slice(1).map(decodeURIComponent);
      return { module, params: Object.fromEntries(names.map((name, i) => [name, values[i]!])) };
    } catch {
      return { module, params: undefined };
    }
  }
  return undefined;
}

/** Bodies up to this size that say their length are read whole first: cheaper than a web stream of the socket. */
const READ_WHOLE_BYTES = 256 * 1024;

async function toWebRequest(req: IncomingMessage, method: string): Promise<Request> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.set(name, value);
  }
  const url = `http://${req.headers.host ?? "localhost"}${req.url}`;
  if (method === "GET" || method === "HEAD") return new Request(url, { method, headers });
  const length = Number(req.headers["content-length"]);
  if (Number.isInteger(length) && length >= 0 && length <= READ_WHOLE_BYTES && !req.headers["transfer-encoding"]) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return new Request(url, { method, headers, body: Buffer.concat(chunks) });
  }
  // Larger or chunked bodies stream, so a route's size limit stops reading them early (413).
  return new Request(url, { method, headers, body: webBodyOf(req), duplex: "half" } as RequestInit);
}

/** How each streamed request's web body lets go of its socket, for reply() once the route has answered. */
const webBodies = new WeakMap<IncomingMessage, () => void>();

/**
 * A request's body as a web stream that, unlike Readable.toWeb's, leaves the request be when the route
 * stops reading (a 413) or never reads (a 401): cancelled, or released by reply() once the route has
 * answered, it stops listening, and reply() drops the rest before answering. Readable.toWeb's would
 * destroy the request, and its socket with it, before the caller heard why.
 */
function webBodyOf(req: IncomingMessage): ReadableStream<Uint8Array> {
  let settle: (finish: () => void) => void = () => {};
  return new ReadableStream<Uint8Array>({
    start(controller) {
      const onData = (chunk: Buffer) => {
        controller.enqueue(chunk);
        if ((controller.desiredSize ?? 1) <= 0) req.pause();
      };
      const onEnd = () => settle(() => controller.close());
      const onError = (error: Error) => settle(() => controller.error(error));
      const onClose = () => settle(() => controller.error(new Error("The request was aborted.")));
      settle = (finish) => {
        req.off("data", onData).off("end", onEnd).off("error", onError).off("close", onClose);
        settle = () => {};
        finish();
      };
      req.on("data", onData).on("end", onEnd).on("error", onError).on("close", onClose);
      webBodies.set(req, () => settle(() => controller.error(new Error("The request was answered."))));
    },
    pull() {
      req.resume();
    },
    cancel() {
      settle(() => req.pause());
    },
  });
}
