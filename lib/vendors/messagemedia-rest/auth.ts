import { createHash, createHmac } from "node:crypto";
import { basicAuthHeader } from "../http";
import type { MessageMediaRestConfig } from "./config";

/**
 * The Authorization header (and the headers it signs) for one request, as MessageMedia's API
 * reference documents it ("Basic Authentication" and "HMAC Authentication" in
 * messagemedia/documentation spec/openapi.yaml). Either way the secret stays in this header,
 * which our request log redacts whole.
 */
export type SignableRequest = { method: string; url: string; body?: string };

export function authHeaders(
  config: Pick<MessageMediaRestConfig, "username" | "password" | "auth">,
  request: SignableRequest,
  now: Date,
): Record<string, string> {
  if (config.auth === "hmac") return hmacHeaders(config.username, config.password, request, now);
  return { authorization: basicAuthHeader(config.username, config.password) };
}

/**
 * HMAC: a Date header (RFC 7231 IMF-fixdate); for a request with a body, a Content-MD5 header
 * holding the body's MD5 in hex; then HMAC-SHA256, keyed by the secret, of
 *
 *   "Date: <date>\nContent-MD5: <md5>\n<METHOD> <path?query> HTTP/1.1"
 *
 * (the Content-MD5 line only with a body), base64, in
 * `hmac username="<key>", algorithm="hmac-sha256", headers="Date Content-MD5 request-line", signature="<base64>"`.
 * Older MessageMedia SDKs signed with hmac-sha1 and an x-Content-MD5 header; the current
 * reference says SHA-256 and Content-MD5, and names the algorithm in the header it checks.
 */
export function hmacHeaders(username: string, secret: string, request: SignableRequest, now: Date): Record<string, string> {
  const date = now.toUTCString();
  const md5 = request.body === undefined ? undefined : createHash("md5").update(request.body, "utf8").digest("hex");
  const signature = createHmac("sha256", secret)
    .update(hmacSigningString(request, date, md5), "utf8")
    .digest("base64");
  const signedHeaders = md5 === undefined ? "Date request-line" : "Date Content-MD5 request-line";
  return {
    date,
    ...(md5 === undefined ? {} : { "content-md5": md5 }),
    authorization: `hmac username="${username}", algorithm="hmac-sha256", headers="${signedHeaders}", signature="${signature}"`,
  };
}

export function hmacSigningString(request: SignableRequest, date: string, md5: string | undefined): string {
  const url = new URL(request.url);
  const lines = [
    `Date: ${date}`,
    ...(md5 === undefined ? [] : [`Content-MD5: ${md5}`]),
    `${request.method} ${url.pathname}${url.search} HTTP/1.1`,
  ];
  return lines.join("\n");
}
