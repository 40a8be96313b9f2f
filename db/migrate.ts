import path from "node:path";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import { migrateBoss } from "@/lib/queue";
import { openPostgres } from "./connect";
import { ensureQueues } from "@/workers";

export const MIGRATIONS_FOLDER = path.resolve(import.meta.dirname, "migrations");

/** Applies our drizzle migrations, then pg-boss's own schema. Safe to run on every start. */
export async function runMigrations(databaseUrl: string): Promise<void> {
  const client = openPostgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    await migrate(drizzle(client), { migrationsFolder: MIGRATIONS_FOLDER });
  } finally {
    await client.end({ timeout: 5 });
  }
  await migrateBoss(databaseUrl, (boss) => ensureQueues(boss));
}
