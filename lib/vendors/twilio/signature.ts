import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Twilio's request signature (X-Twilio-Signature), the algorithm its helper libraries
 * implement: base64(HMAC-SHA1(AuthToken, URL + each POST parameter sorted by name, name
 * then value, no separators)). A repeated name (MediaUrl) contributes each distinct value,
 * sorted, as twilio-node and twilio-python do. A GET request's parameters are in the URL,
 * so it is signed with none. No imports of our own: the simulator can sign with it too.
 */
export type SignedParams = Record<string, string | string[]>;

export function twilioSignature(authToken: string, url: string, params: SignedParams = {}): string {
  let data = url;
  for (const name of Object.keys(params).sort()) {
    const value = params[name]!;
    const values = Array.isArray(value) ? [...new Set(value)].sort() : [value];
    for (const v of values) data += name + v;
  }
  return createHmac("sha1", authToken).update(Buffer.from(data, "utf-8")).digest("base64");
}

/** A form body as the parameters Twilio signed: decoded (+ is a space), repeated names kept. */
export function formParams(body: string): Record<string, string[]> {
  const params: Record<string, string[]> = {};
  for (const [name, value] of new URLSearchParams(body)) (params[name] ??= []).push(value);
  return params;
}

/**
 * Whether `signature` is Twilio's for this URL and these parameters. The URL is tried as
 * given, as the WHATWG parser normalises it (twilio-node signs that form), and with the
 * scheme's default port spelled out, which Twilio's own validators also accept because
 * Twilio signs the URL exactly as it was configured. Compared in constant time.
 */
export function validTwilioSignature(authToken: string, signature: string, url: string, params: SignedParams): boolean {
  const given = Buffer.from(signature);
  let valid = false;
  for (const candidate of urlForms(url)) {
    const expected = Buffer.from(twilioSignature(authToken, candidate, params));
    // No early exit: every form is checked, so timing says nothing about which one matched.
    if (expected.length === given.length && timingSafeEqual(expected, given)) valid = true;
  }
  return valid;
}

function urlForms(url: string): string[] {
  const forms = new Set([url]);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [...forms];
  }
  forms.add(parsed.toString());
  if (!parsed.port && (parsed.protocol === "https:" || parsed.protocol === "http:")) {
    const port = parsed.protocol === "https:" ? "443" : "80";
    const auth = parsed.username ? `${parsed.username}${parsed.password ? `:${parsed.password}` : ""}@` : "";
    forms.add(`${parsed.protocol}//${auth}${parsed.host}:${port}${parsed.pathname}${parsed.search}${parsed.hash}`);
  }
  return [...forms];
}
