import { createHash, createHmac } from "node:crypto";

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
