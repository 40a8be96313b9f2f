import { hash, verify } from "@node-rs/argon2";
import { z } from "zod";

// OWASP's argon2id minimum (19 MiB, 2 passes): strong, and about 30 ms on this hardware.
const OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

const COMMON = new Set(["password", "password1", "password123", "12345678", "123456789", "1234567890", "qwertyuiop", "letmein123", "iloveyou12", "switchboard"]);

/** The rule for every new password: long enough, not all one kind of character, not a known favourite. */
export const passwordSchema = z
  .string()
  .min(10, "Use at least 10 characters")
  .max(200, "Use at most 200 characters")
  .refine((p) => /[a-zA-Z]/.test(p) && /[^a-zA-Z]/.test(p), "Mix letters with digits or symbols")
  .refine((p) => !COMMON.has(p.toLowerCase()), "This password is too common");
