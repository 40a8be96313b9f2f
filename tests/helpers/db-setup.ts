// Runs before each test file: its own database, copied from the migrated template.
import { afterAll, inject } from "vitest";
import { closeDb } from "@/db";
import { stopBoss } from "@/lib/queue";
import { createDatabase, databaseUrl, dropDatabase, uniqueName } from "./database";

const adminUrl = inject("adminUrl");
const name = uniqueName("sb_test");
await createDatabase(adminUrl, name, inject("templateDatabase"));

process.env.DATABASE_URL = databaseUrl(adminUrl, name);
process.env.AUTH_SECRET ??= "test-auth-secret-that-is-long-enough-0123456789";
process.env.SECRETS_KEY ??= "k1:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

afterAll(async () => {
  await stopBoss();
  await closeDb();
  await dropDatabase(adminUrl, name);
});
