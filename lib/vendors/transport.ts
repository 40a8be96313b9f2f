import http from "node:http";
import https from "node:https";
import { promisify } from "node:util";
import zlib from "node:zlib";

/**
 * One HTTP exchange with a vendor, on node:http with kept-alive connections. The worker makes
 * one of these per message sent; Node's fetch (undici and web streams, an AbortSignal per request)
 * cost the worker about a quarter of its CPU per send. Redirects are not followed, as before.
 */
export type TransportRequest = { method: string; url: string; headers: Record<string, string>; body?: string; timeoutMs: number };
export type TransportResponse = { status: number; headers: Headers; body: string };

// Idle connections close before a Node server's default keep-alive timeout (5 s) would close them under us.
const agents = {
  "http:": new http.Agent({ keepAlive: true, timeout: 4_000, scheduling: "lifo" }),
  "https:": new https.Agent({ keepAlive: true, timeout: 4_000, scheduling: "lifo" }),
};

const decoders: Record<string, (buffer: Buffer) => Promise<Buffer>> = {
  gzip: promisify(zlib.gunzip),
  "x-gzip": promisify(zlib.gunzip),
  deflate: promisify(zlib.inflate),
  br: promisify(zlib.brotliDecompress),
};

export class TransportError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/**
 * A kept-alive connection can be closed by the server just as a request goes out on it; the
 * request then fails before any answer, and is tried once more on a fresh connection, as
 * Node's documentation advises (`request.reusedSocket`).
 */
export async function sendHttp(init: TransportRequest): Promise<TransportResponse> {
  try {
    return await exchange(init);
  } catch (error) {
    if (!(error instanceof StaleConnection)) throw error;
    return exchange(init, { fresh: true });
  }
}

class StaleConnection extends Error {}

function exchange(init: TransportRequest, options: { fresh?: boolean } = {}): Promise<TransportResponse> {
  const url = new URL(init.url);
  const agent = agents[url.protocol as keyof typeof agents];
  if (!agent) return Promise.reject(new TransportError("TypeError", `Unsupported protocol ${url.protocol}`));
  const client = url.protocol === "https:" ? https : http;
  const headers: Record<string, string> = { accept: "*/*", "accept-encoding": "gzip, deflate, br", ...init.headers };
  if (init.body !== undefined) headers["content-length"] = String(Buffer.byteLength(init.body));
  return new Promise((resolve, reject) => {
    let answered = false;
    const request = client.request(url, { method: init.method, headers, agent: options.fresh ? false : agent }, (response) => {
      answered = true;
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("error", reject);
      response.on("end", () => {
        clearTimeout(timer);
        const encoding = String(response.headers["content-encoding"] ?? "").trim().toLowerCase();
        const raw = Buffer.concat(chunks);
        const decode = decoders[encoding];
        (decode ? decode(raw) : Promise.resolve(raw))
          .then((body) => resolve({ status: response.statusCode ?? 0, headers: toHeaders(response.rawHeaders), body: body.toString("utf8") }))
          .catch((error: unknown) => reject(new TransportError("TypeError", `Could not decode the ${encoding} response: ${String(error)}`)));
      });
    });
    const timer = setTimeout(
      () => request.destroy(new TransportError("TimeoutError", `No answer within ${init.timeoutMs} ms`)),
      init.timeoutMs,
    );
    request.on("error", (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const stale = request.reusedSocket && !answered && (error.code === "ECONNRESET" || error.code === "EPIPE");
      reject(stale ? new StaleConnection(error.message) : error);
    });
    request.end(init.body);
  });
}

function toHeaders(raw: string[]): Headers {
  const headers = new Headers();
  for (let i = 0; i + 1 < raw.length; i += 2) {
    try {
      headers.append(raw[i]!, raw[i + 1]!);
    } catch {
      // A header value Headers refuses (a stray control character) is dropped, as fetch would refuse the whole response.
    }
  }
  return headers;
}
