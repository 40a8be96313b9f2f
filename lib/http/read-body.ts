import type { IncomingMessage } from "node:http";

/**
 * Reads a request body as text, stopping at `maxBytes` (by the declared length first, then
 * while reading, for chunked bodies). Returns null when the body is too large.
 */
export async function readBodyCapped(request: Request, maxBytes: number): Promise<string | null> {
  if (Number(request.headers.get("content-length") ?? 0) > maxBytes) return null;
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  return decodeBody(chunks);
}

/**
 * The same for a request read straight off Node's socket (the web process's lane). Past `maxBytes`
 * it stops reading and leaves the rest unread, for drainUnreadBody to drop before the answer, which
 * closes the connection (UNREAD_BODY_HEADERS).
 */
export function readNodeBodyCapped(request: IncomingMessage, maxBytes: number): Promise<string | null> {
  if (Number(request.headers["content-length"] ?? 0) > maxBytes) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let size = 0;
    const stop = () => void request.off("data", onData).off("end", onEnd).off("error", onError);
    const onData = (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size <= maxBytes) return void chunks.push(chunk);
      stop();
      request.pause();
      resolve(null);
    };
    const onEnd = () => {
      stop();
      resolve(decodeBody(chunks));
    };
    const onError = (error: Error) => {
      stop();
      reject(error);
    };
    request.on("data", onData).on("end", onEnd).on("error", onError);
  });
}

/** UTF-8, as Request.text() decodes: a leading byte-order mark dropped, broken sequences replaced. */
function decodeBody(chunks: Uint8Array[]): string {
  return new TextDecoder().decode(Buffer.concat(chunks));
}

/**
 * Headers for the answer to a body we stopped reading: the rest of it is still on the way, so the
 * connection cannot carry another request. Said outright, the client opens a new one next time
 * instead of sending its next request into a connection the server is about to close.
 */
export const UNREAD_BODY_HEADERS = { connection: "close" } as const;

/** How much of a refused body is read and dropped (drainUnreadBody) before answering, and for how long. */
export const DRAIN_UP_TO_BYTES = 16 * 1024 * 1024;
const DRAIN_FOR_MS = 10_000;

/**
 * Before answering a request whose body was left unread (a 413), reads the rest of it and drops it
 * (whatever read it before must have stopped listening: a reader that pauses the request would stall this),
 * as a web server's lingering close does: answered at once, the connection would close while the
 * client was still sending, and a client that is still writing (fetch, most HTTP libraries) reports
 * a broken pipe instead of the answer. A body declared larger than DRAIN_UP_TO_BYTES, one that runs
 * past it, or one still arriving after DRAIN_FOR_MS is not waited for: that caller is answered at
 * once, and may not hear it.
 */
export function drainUnreadBody(request: IncomingMessage): Promise<void> {
  if (request.complete || request.destroyed) return Promise.resolve();
  if (Number(request.headers["content-length"] ?? 0) > DRAIN_UP_TO_BYTES) return Promise.resolve();
  return new Promise((resolve) => {
    let size = 0;
    const done = () => {
      clearTimeout(timer);
      request.off("data", onData).off("end", done).off("error", done).off("close", done);
      request.pause();
      resolve();
    };
    const onData = (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > DRAIN_UP_TO_BYTES) done();
    };
    const timer = setTimeout(done, DRAIN_FOR_MS);
    request.on("data", onData).on("end", done).on("error", done).on("close", done);
    request.resume();
  });
}
