// `npm run db:migrate`: applies migrations to DATABASE_URL, or to the embedded database.
import { runMigrations } from "@/db/migrate";
import { openLocalDatabase } from "./local-database";

const { url, embedded } = await openLocalDatabase(console.log);
try {
  await runMigrations(url);
  console.log("[switchboard] migrations applied");
} finally {
  await embedded?.stop();
}
