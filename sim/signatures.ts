import { createHash, createHmac, sign, type KeyObject } from "node:crypto";

/**
 * The vendors' webhook signatures, computed the way the vendors document them, so the
 * hub's checks are proven against the real algorithm rather than against themselves.
 */

/**
 * X-Twilio-Signature: base64 HMAC-SHA1 with the auth token over the full URL Twilio
 * requested followed by every POST parameter, sorted by name, as name + value. Repeated
 * names contribute each value in sorted order (as twilio-node's validator expects).
 */
export function twilioSignature(authToken: string, url: string, params: Record<string, string | string[]>): string {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, name) => {
      const value = params[name]!;
      const values = Array.isArray(value) ? [...new Set(value)].sort() : [value];
      return acc + values.map((v) => name + v).join("");
    }, url);
  return createHmac("sha1", authToken).update(Buffer.from(data, "utf8")).digest("base64");
}

export type VonageSignatureMethod = "md5hash" | "md5" | "sha1" | "sha256" | "sha512";

/**
 * Vonage's SMS API signature (`sig`): parameters other than sig, sorted by name, each as
 * "&name=value" with & and = in values replaced by _. md5hash appends the signature secret
 * and takes MD5; the others are HMACs keyed with the secret. Vonage's SDKs compare the hex
 * digest case-insensitively; HMAC signatures are sent in upper case, MD5 hashes in lower.
 */
export function vonageSignature(method: VonageSignatureMethod, secret: string, params: Record<string, string>): string {
  const data = Object.keys(params)
    .filter((name) => name !== "sig")
    .sort()
    .map((name) => `&${name}=${params[name]!.replace(/[&=]/g, "_")}`)
    .join("");
  if (method === "md5hash")
    return createHash("md5")
      .update(data + secret)
      .digest("hex");
  return createHmac(method, secret).update(data).digest("hex").toUpperCase();
}

/**
 * MessageMedia's HMAC request signing (REST API, "HMAC Authentication"): one line per name in
 * the Authorization header's `headers` list, joined by "\n": "<name as listed>: <header value>",
 * or for `request-line` "<METHOD> <path?query> HTTP/1.1". The vendor's guide writes
 * "Date: ...\nContent-MD5: ...\nPOST /v1/messages HTTP/1.1"; its SDKs list "date x-Content-MD5
 * request-line" and write the names that way. null when a listed header is missing.
 */
export function messagemediaSigningString(
  names: string[],
  header: (name: string) => string | undefined,
  requestLine: string,
): string | null {
  const lines: string[] = [];
  for (const name of names) {
    if (name.toLowerCase() === "request-line") {
      lines.push(requestLine);
      continue;
    }
    const value = header(name.toLowerCase());
    if (value === undefined) return null;
    lines.push(`${name}: ${value}`);
  }
  return lines.join("\n");
}

/** The signature itself: base64 HMAC of the signing string, keyed with the API secret (sha1 or sha256). */
export function messagemediaHmac(hash: "sha1" | "sha256", secret: string, signingString: string): string {
  return createHmac(hash, Buffer.from(secret, "utf8")).update(Buffer.from(signingString, "utf8")).digest("base64");
}

/**
 * X-MessageMedia-Signature on callbacks (signature keys / "enterprise webhooks"): base64 RSA
 * (PKCS#1 v1.5) with the key's digest (SHA224, SHA256 or SHA512) over the request line, the
 * Date header and the raw body, concatenated with nothing between them, e.g.
 * "POST /hook HTTP/1.1" + "Wed, 18 Jul 2018 06:33:52 GMT" + body.
 */
export function messagemediaWebhookSignature(
  privateKey: KeyObject,
  digest: string,
  requestLine: string,
  date: string,
  body: string,
): string {
  return sign(digest, Buffer.from(requestLine + date + body, "utf8"), privateKey).toString("base64");
}
