import { createHash } from "node:crypto";
import type { SimContext } from "./context";
import { basicAuth, sameSecret, type SimRequest } from "./http";
import { messagemediaHmac, messagemediaSigningString } from "./signatures";
import type { MessageMediaRestAccount } from "./state";

/**
 * The REST API's two ways in (spec/openapi.yaml tags "Basic Authentication" and "HMAC
 * Authentication"): Basic with API key and secret, or
 *
 *   Authorization: hmac username="KEY", algorithm="hmac-sha256", headers="Date Content-MD5 request-line", signature="..."
 *
 * where the signature covers the listed headers and the request line, a body needs a
 * Content-MD5 header (hex MD5 of the body) among them, and Date must be current.
 */
const HASHES: Record<string, "sha1" | "sha256"> = { "hmac-sha1": "sha1", "hmac-sha256": "sha256" };
/** MessageMedia does not publish its window; 300 s is the HMAC gateway default its scheme comes from. */
const CLOCK_SKEW_MS = 300_000;

export function authenticateRest(ctx: SimContext, request: SimRequest, prefix: string): MessageMediaRestAccount | null {
  const header = request.headers.authorization ?? "";
  if (/^basic\s/i.test(header)) {
    const credentials = basicAuth(request);
    const account = credentials && ctx.state.findAccount("messagemedia-rest", credentials.username);
    return account && sameSecret(account.apiSecret, credentials.password) ? account : null;
  }
  if (/^hmac\s/i.test(header)) return hmac(ctx, request, header, prefix);
  return null;
}

function hmac(ctx: SimContext, request: SimRequest, header: string, prefix: string): MessageMediaRestAccount | null {
  const params = Object.fromEntries([...header.matchAll(/([a-z]+)\s*=\s*"([^"]*)"/gi)].map((m) => [m[1]!.toLowerCase(), m[2]!]));
  const hash = HASHES[(params.algorithm ?? "").toLowerCase()];
  const account = params.username ? ctx.state.findAccount("messagemedia-rest", params.username) : undefined;
  if (!hash || !account || !params.signature || !params.headers) return null;

  const names = params.headers.trim().split(/\s+/);
  const listed = names.map((name) => name.toLowerCase());
  if (!listed.includes("date") || !listed.includes("request-line")) return null;
  const date = Date.parse(request.headers.date ?? "");
  if (Number.isNaN(date) || Math.abs(date - Date.now()) > CLOCK_SKEW_MS) return null;
  if (request.body.length > 0) {
    // The SDKs send x-Content-MD5, the guide Content-MD5: either must be signed and match.
    const md5Header = listed.find((name) => name === "content-md5" || name === "x-content-md5");
    const md5 = createHash("md5").update(request.body, "utf8").digest("hex");
    if (!md5Header || (request.headers[md5Header] ?? "").toLowerCase() !== md5) return null;
  }

  const query = request.query.toString();
  const target = `${request.path}${query ? `?${query}` : ""}`;
  // The hub may sign the path as MessageMedia sees it or as it called the simulator.
  return [target, `${prefix}${target}`].some((path) => {
    const signing = messagemediaSigningString(names, (name) => request.headers[name], `${request.method} ${path} HTTP/1.1`);
    return signing !== null && sameSecret(messagemediaHmac(hash, account.apiSecret, signing), params.signature!);
  })
    ? account
    : null;
}
