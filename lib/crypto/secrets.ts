import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

/**
 * Vendor secrets at rest: AES-256-GCM with a fresh 96-bit nonce per value and
 * "org_id|account_id|field" as associated data, so a ciphertext copied to another org,
 * account or field does not decrypt. The key id travels in the value, so SECRETS_KEY can
 * rotate: values under SECRETS_KEY_PREVIOUS still read until `rotate-secrets-key` rewrites them.
 *
 * Stored form: "sb1.<keyId>.<nonce b64url>.<ciphertext+tag b64url>".
 * SECRETS_KEY: "<keyId>:<32 bytes as base64 or hex>", or the bare 32 bytes (id derived).
 */
export type SecretContext = { orgId: string; accountId: string; field: string };
export type SecretsKey = { id: string; key: Buffer };

const VERSION = "sb1";

export function parseSecretsKey(raw: string, name = "SECRETS_KEY"): SecretsKey {
  const trimmed = raw.trim();
  const match = /^([A-Za-z0-9_-]{1,32}):(.+)$/.exec(trimmed);
  const material = match ? match[2]! : trimmed;
  const id = match ? match[1]! : createHash("sha256").update(trimmed).digest("hex").slice(0, 8);
  const key = /^[0-9a-fA-F]{64}$/.test(material) ? Buffer.from(material, "hex") : Buffer.from(material, "base64");
  if (key.length !== 32) throw new Error(`${name} must hold 32 bytes as base64 or hex (optionally "keyid:" first); it holds ${key.length}`);
  return { id, key };
}

export function currentKey(): SecretsKey {
  const raw = process.env.SECRETS_KEY;
  if (!raw) throw new Error("SECRETS_KEY is not set");
  return parseSecretsKey(raw);
}

function keyring(): SecretsKey[] {
  const keys = [currentKey()];
  if (process.env.SECRETS_KEY_PREVIOUS) keys.push(parseSecretsKey(process.env.SECRETS_KEY_PREVIOUS, "SECRETS_KEY_PREVIOUS"));
  return keys;
}

export function encryptSecret(plaintext: string, context: SecretContext, key: SecretsKey = currentKey()): string {
  const nonce = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key.key, nonce);
  cipher.setAAD(associatedData(context));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
  return [VERSION, key.id, nonce.toString("base64url"), body.toString("base64url")].join(".");
}

/** Throws when the value was made for another org, account or field, or under an unknown key. */
export function decryptSecret(stored: string, context: SecretContext): string {
  const [version, keyId, nonce, body] = stored.split(".");
  if (version !== VERSION || !keyId || !nonce || !body) throw new Error("not an encrypted secret");
  const key = keyring().find((k) => k.id === keyId);
  if (!key) throw new Error(`secret was encrypted under key "${keyId}", which is neither SECRETS_KEY nor SECRETS_KEY_PREVIOUS`);
  const data = Buffer.from(body, "base64url");
  const decipher = createDecipheriv("aes-256-gcm", key.key, Buffer.from(nonce, "base64url"));
  decipher.setAAD(associatedData(context));
  decipher.setAuthTag(data.subarray(data.length - 16));
  try {
    return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]).toString("utf8");
  } catch {
    throw new Error(`secret ${context.field} does not decrypt for this account`);
  }
}

/** The key id a stored value was encrypted under. */
export function secretKeyId(stored: string): string | undefined {
  return stored.split(".")[1];
}

function associatedData({ orgId, accountId, field }: SecretContext): Buffer {
  return Buffer.from(`${orgId}|${accountId}|${field}`, "utf8");
}
