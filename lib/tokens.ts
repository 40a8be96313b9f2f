import { createHash, randomBytes } from "node:crypto";

/** A random URL-safe token with a readable prefix ("inv_", "sb_live_"). */
export function newToken(prefix: string, bytes = 24): string {
  return `${prefix}${randomBytes(bytes).toString("base64url")}`;
}

/** Tokens are long and random, so sha256 is enough to store them: no slow hash needed. */
export function sha256(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}
