import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret, parseSecretsKey } from "./secrets";

const ctx = { orgId: "org-a", accountId: "acct-1", field: "authToken" };
const keyA = `a1:${randomBytes(32).toString("base64")}`;
const keyB = `b2:${randomBytes(32).toString("hex")}`;
const saved = { ...process.env };

afterEach(() => {
  // Assigning undefined to process.env stores the string "undefined": delete instead.
  for (const name of ["SECRETS_KEY", "SECRETS_KEY_PREVIOUS"] as const) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

describe("secrets", () => {
  it("round-trips, with a fresh nonce each time and no clear text in the output", () => {
    process.env.SECRETS_KEY = keyA;
    const one = encryptSecret("tw-token-123", ctx);
    const two = encryptSecret("tw-token-123", ctx);
    expect(one).not.toEqual(two);
    expect(one).not.toContain("tw-token-123");
    expect(one.startsWith("sb1.a1.")).toBe(true);
    expect(decryptSecret(one, ctx)).toBe("tw-token-123");
  });

  it.each([
    ["another org", { ...ctx, orgId: "org-b" }],
    ["another account", { ...ctx, accountId: "acct-2" }],
    ["another field", { ...ctx, field: "apiSecret" }],
  ])("refuses a ciphertext moved to %s", (_label, other) => {
    process.env.SECRETS_KEY = keyA;
    expect(() => decryptSecret(encryptSecret("s3cret", ctx), other)).toThrow(/does not decrypt/);
  });

  it("reads values under the previous key during rotation, and not after it is gone", () => {
    process.env.SECRETS_KEY = keyA;
    const old = encryptSecret("s3cret", ctx);
    process.env.SECRETS_KEY = keyB;
    process.env.SECRETS_KEY_PREVIOUS = keyA;
    expect(decryptSecret(old, ctx)).toBe("s3cret");
    delete process.env.SECRETS_KEY_PREVIOUS;
    expect(() => decryptSecret(old, ctx)).toThrow(/neither SECRETS_KEY nor SECRETS_KEY_PREVIOUS/);
  });

  it("rejects keys that are not 32 bytes, naming the variable", () => {
    expect(() => parseSecretsKey("k:short")).toThrow(/SECRETS_KEY must hold 32 bytes/);
    expect(parseSecretsKey(randomBytes(32).toString("base64")).id).toHaveLength(8);
  });

  it("rejects tampered ciphertext", () => {
    process.env.SECRETS_KEY = keyA;
    const [version, keyId, nonce, body] = encryptSecret("s3cret", ctx).split(".");
    const bytes = Buffer.from(body!, "base64url");
    bytes[0]! ^= 0x01;
    const tampered = [version, keyId, nonce, bytes.toString("base64url")].join(".");
    expect(() => decryptSecret(tampered, ctx)).toThrow(/does not decrypt/);
  });
});
