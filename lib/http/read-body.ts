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
  return new TextDecoder().decode(Buffer.concat(chunks));
}

/**
 * Headers for the answer to a body we stopped reading: the rest of it is still on the way, so the
 * connection cannot carry another request. Said outright, the client opens a new one next time
 * instead of sending its next request into a connection the server is about to close.
 */
export const UNREAD_BODY_HEADERS = { connection: "close" } as const;
