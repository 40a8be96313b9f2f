import { createPublicKey, verify, type KeyObject } from "node:crypto";
import type { WebhookRequest } from "../types";

/**
 * MessageMedia's signed webhooks ("Enterprise webhooks"). The account creates a signature
 * key (RSA, with a digest of SHA224, SHA256 or SHA512) and enables it; MessageMedia keeps the
 * private key and signs each webhook over the request line, the Date header and the raw body,
 * concatenated with nothing between them:
 *
 *   "POST /path?query HTTP/1.1" + "Wed, 18 Jul 2018 06:33:52 GMT" + body
 *
 * The signature travels base64 in X-Messagemedia-Signature, the digest's name in
 * X-Messagemedia-Digest-Type. See MessageMedia's enterprise-webhooks SDKs (Java SignService,
 * Node and PHP guides), which build exactly this string.
 */
const DIGESTS = ["SHA224", "SHA256", "SHA512"] as const;

/** null when the request carries a valid signature; otherwise why not, for the Logs tab. */
export function checkSignature(publicKeyText: string, request: WebhookRequest): string | null {
  const key = readPublicKey(publicKeyText);
  if (!key) return "the public key in this account's settings cannot be read; paste it again";
  const signature = request.headers["x-messagemedia-signature"];
  if (!signature)
    return "missing X-Messagemedia-Signature header: this account has a public key, so MessageMedia must sign its webhooks";
  const date = request.headers.date;
  if (!date) return "missing Date header, which the signature covers";
  const named = request.headers["x-messagemedia-digest-type"]?.trim().toUpperCase();
  if (named && !(DIGESTS as readonly string[]).includes(named))
    return `X-Messagemedia-Digest-Type ${named} is not one MessageMedia signs with (${DIGESTS.join(", ")})`;
  // Without the header, each digest MessageMedia offers is tried: none verifies a forgery.
  const digests = named ? [named] : [...DIGESTS];
  const signed = Buffer.from(signingString(request, date), "utf8");
  const given = Buffer.from(signature.trim(), "base64");
  const ok = digests.some((digest) => {
    try {
      return verify(digest, signed, key, given);
    } catch {
      return false;
    }
  });
  return ok
    ? null
    : `X-Messagemedia-Signature does not match the request (RSA with ${digests.join(" or ")}, checked with the account's public key)`;
}

/** What MessageMedia signs: request line (the path as called, HTTP/1.1), Date header, raw body. */
export function signingString(request: Pick<WebhookRequest, "method" | "url" | "body">, date: string): string {
  const url = new URL(request.url);
  return `${request.method.toUpperCase()} ${url.pathname}${url.search} HTTP/1.1${date}${request.body}`;
}

/**
 * The account's public key: PEM, or the bare base64 SubjectPublicKeyInfo that MessageMedia's
 * create-signature-key endpoint returns as `public_key`. null when it is neither.
 */
export function readPublicKey(text: string): KeyObject | null {
  const trimmed = text.trim();
  if (!trimmed) return null;
  const pem = trimmed.includes("-----BEGIN")
    ? trimmed
    : `-----BEGIN PUBLIC KEY-----\n${(trimmed.replace(/\s+/g, "").match(/.{1,64}/g) ?? []).join("\n")}\n-----END PUBLIC KEY-----`;
  try {
    const key = createPublicKey(pem);
    return key.asymmetricKeyType === "rsa" ? key : null;
  } catch {
    return null;
  }
}
