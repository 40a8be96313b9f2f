import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

/**
 * The environment, validated once. Local runs (no DATABASE_URL, or not production) get
 * AUTH_SECRET and SECRETS_KEY generated into ./.data so `npm start` needs no setup;
 * production with DATABASE_URL refuses to start without them.
 */
const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z.string().url().optional(),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  PUBLIC_URL: z.string().url().optional(),
  AUTH_SECRET: z.string().min(32, "AUTH_SECRET must be at least 32 characters"),
  SECRETS_KEY: z.string().min(1),
  SECRETS_KEY_PREVIOUS: z.string().optional(),
  DEFAULT_SERVICE: z.string().optional(),
  DATA_DIR: z.string().default(".data"),
});

export type Env = z.infer<typeof envSchema>;

export const REQUIRED_IN_PRODUCTION = ["AUTH_SECRET", "SECRETS_KEY"] as const;

export function dataDir(): string {
  return path.resolve(/*turbopackIgnore: true*/ process.cwd(), process.env.DATA_DIR ?? ".data");
}

export function isProductionWithDatabase(): boolean {
  return process.env.NODE_ENV === "production" && Boolean(process.env.DATABASE_URL);
}

/** Names of required variables that production lacks; empty when all is well. */
export function missingProductionSecrets(): string[] {
  if (!isProductionWithDatabase()) return [];
  return REQUIRED_IN_PRODUCTION.filter((name) => !process.env[name]);
}

/**
 * Fills AUTH_SECRET and SECRETS_KEY from ./.data/local-secrets.json, generating that file
 * on first use. Does nothing in production with a DATABASE_URL.
 */
export function ensureLocalSecrets(): void {
  if (isProductionWithDatabase()) return;
  if (process.env.AUTH_SECRET && process.env.SECRETS_KEY) return;
  const stored = readLocalSecrets();
  for (const name of REQUIRED_IN_PRODUCTION) process.env[name] ??= stored[name];
}

/** The embedded database's password: local only, generated beside the other local secrets. */
export function embeddedDatabasePassword(): string {
  return readLocalSecrets().EMBEDDED_PG_PASSWORD!;
}

const GENERATED: Record<string, () => string> = {
  AUTH_SECRET: () => randomBytes(32).toString("base64url"),
  SECRETS_KEY: () => `k1:${randomBytes(32).toString("base64")}`,
  EMBEDDED_PG_PASSWORD: () => randomBytes(18).toString("hex"),
};

function readLocalSecrets(): Record<string, string> {
  const dir = dataDir();
  const file = path.join(/*turbopackIgnore: true*/ dir, "local-secrets.json");
  const stored: Record<string, string> = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Record<string, string>) : {};
  const missing = Object.keys(GENERATED).filter((name) => !stored[name]);
  if (missing.length === 0) return stored;
  for (const name of missing) stored[name] = GENERATED[name]!();
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, JSON.stringify(stored, null, 2), { mode: 0o600 });
  return stored;
}

let cached: Env | undefined;

export function env(): Env {
  if (cached) return cached;
  const missing = missingProductionSecrets();
  if (missing.length > 0) {
    throw new Error(`Missing required environment variable(s) for production: ${missing.join(", ")}`);
  }
  ensureLocalSecrets();
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid environment: ${issues}`);
  }
  cached = parsed.data;
  return cached;
}

export function publicUrl(): string {
  const e = env();
  return (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, "");
}
