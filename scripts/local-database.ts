import path from "node:path";
import { dataDir, embeddedDatabasePassword, ensureLocalSecrets } from "@/lib/env";
import { ensureDatabase, startEmbeddedPostgres, type EmbeddedDatabase } from "./embedded-postgres";

/**
 * DATABASE_URL when set; otherwise the embedded PostgreSQL in ./.data/pg with a database
 * named "switchboard". Returns the URL and how to stop what was started.
 */
export async function openLocalDatabase(log: (line: string) => void): Promise<{ url: string; embedded: EmbeddedDatabase | null }> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, embedded: null };
  ensureLocalSecrets();
  const password = embeddedDatabasePassword();
  log(`[switchboard] starting embedded PostgreSQL (data in ${path.relative(process.cwd(), dataDir()) || "."}/pg)…`);
  const embedded = await startEmbeddedPostgres({
    dir: path.join(dataDir(), "pg"),
    password,
    port: Number(process.env.EMBEDDED_PG_PORT ?? 54329),
    log: process.env.DEBUG_POSTGRES ? log : undefined,
  });
  await ensureDatabase(embedded.url("postgres"), "switchboard");
  return { url: embedded.url("switchboard"), embedded };
}
