import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { runMigrations } from "@/db/migrate";
import { buildIfNeeded } from "@/scripts/build-if-needed";
import { startEmbeddedPostgres } from "@/scripts/embedded-postgres";
import { createDatabase, databaseUrl, dropDatabase, uniqueName } from "./database";

declare module "vitest" {
  export interface ProvidedContext {
    adminUrl: string;
    templateDatabase: string;
  }
}

/**
 * Once per run: a PostgreSQL server (DATABASE_URL's, or a throwaway embedded one), a
 * migrated template database that every test file copies, and a current production build.
 */
export default async function setup(project: TestProject) {
  let adminUrl: string;
  let stopEmbedded: (() => Promise<void>) | undefined;
  let dir: string | undefined;
  if (process.env.DATABASE_URL) {
    adminUrl = process.env.DATABASE_URL;
  } else {
    dir = mkdtempSync(path.join(os.tmpdir(), "switchboard-test-pg-"));
    const embedded = await startEmbeddedPostgres({ dir, password: "test", port: 0, persistent: false });
    adminUrl = embedded.url("postgres");
    stopEmbedded = embedded.stop;
  }
  const templateDatabase = uniqueName("sb_tpl");
  const teardown = async () => {
    await dropDatabase(adminUrl, templateDatabase).catch(() => {});
    await stopEmbedded?.();
    if (dir) rmSync(dir, { recursive: true, force: true });
  };
  try {
    await createDatabase(adminUrl, templateDatabase);
    await runMigrations(databaseUrl(adminUrl, templateDatabase));
    buildIfNeeded(process.cwd(), (line) => console.log(line));
  } catch (error) {
    // Vitest runs no teardown when setup throws: stop the server here, or it outlives the run.
    await teardown();
    throw error;
  }

  project.provide("adminUrl", adminUrl);
  project.provide("templateDatabase", templateDatabase);
  return teardown;
}
