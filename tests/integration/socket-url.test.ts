import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, db } from "@/db";
import { openPostgres, postgresTarget } from "@/db/connect";
import { runMigrations } from "@/db/migrate";
import { createDatabase, dropDatabase, uniqueName } from "../helpers/database";

/**
 * A DATABASE_URL that reaches PostgreSQL through its Unix socket, in each of libpq's spellings
 * (db/connect.ts): the app's pool, migrations and pg-boss all connect with it, over the socket.
 */
const fileUrl = process.env.DATABASE_URL!;
let directory: string;
let port: number;
let credentials: string;
let database: string;

/** The same server and credentials as DATABASE_URL, through its socket, spelled `form`'s way. */
function socketUrl(form: "query" | "empty host" | "encoded host", db = database): string {
  if (form === "query") return `postgres://${credentials}@localhost:${port}/${db}?host=${directory}`;
  if (form === "empty host") return `postgres://${credentials}@/${db}?host=${encodeURIComponent(directory)}&port=${port}`;
  return `postgres://${credentials}@${encodeURIComponent(directory)}:${port}/${db}`;
}

beforeAll(async () => {
  const admin = openPostgres(fileUrl, { max: 1, onnotice: () => {} });
  try {
    const [row] = await admin<{ dirs: string; port: string }[]>`
      select current_setting('unix_socket_directories') as dirs, current_setting('port') as port`;
    // The suite's servers have one: the embedded one's /tmp, a packaged server's /var/run/postgresql.
    directory = row!.dirs.split(",")[0]!.trim();
    port = Number(row!.port);
  } finally {
    await admin.end({ timeout: 5 });
  }
  const parsed = new URL(postgresTarget(fileUrl).url);
  credentials = parsed.password ? `${parsed.username}:${parsed.password}` : parsed.username;
  database = parsed.pathname.slice(1);
});

afterAll(async () => {
  await closeDb();
  process.env.DATABASE_URL = fileUrl;
});

describe("a DATABASE_URL naming PostgreSQL's Unix socket", () => {
  it("the server under test listens on a socket", () => {
    expect(directory).toMatch(/^\//);
  });

  it.each(["query", "empty host", "encoded host"] as const)("connects through it when spelled with the %s", async (form) => {
    const client = openPostgres(socketUrl(form), { max: 1, onnotice: () => {} });
    try {
      // inet_server_addr() is null on a Unix-socket connection, an address over TCP.
      const [row] = await client<
        { local: boolean; db: string }[]
      >`select inet_server_addr() is null as local, current_database() as db`;
      expect(row).toEqual({ local: true, db: database });
    } finally {
      await client.end({ timeout: 5 });
    }
  });

  it("is what the app's pool connects with", async () => {
    await closeDb();
    process.env.DATABASE_URL = socketUrl("empty host");
    try {
      const [row] = await db.execute<{ local: boolean }>(sql`select inet_server_addr() is null as local`);
      expect(row).toEqual({ local: true });
    } finally {
      await closeDb();
      process.env.DATABASE_URL = fileUrl;
    }
  });

  it("migrates a new database through it, pg-boss's schema included", async () => {
    const name = uniqueName("sb_socket");
    await createDatabase(fileUrl, name);
    try {
      await runMigrations(socketUrl("query", name));
      const client = openPostgres(socketUrl("encoded host", name), { max: 1, onnotice: () => {} });
      try {
        const [row] = await client<{ queues: number; tables: number }[]>`
          select (select count(*)::int from pgboss.queue where name = 'send-message') as queues,
                 (select count(*)::int from information_schema.tables where table_name = 'messages') as tables`;
        expect(row).toEqual({ queues: 1, tables: 1 });
      } finally {
        await client.end({ timeout: 5 });
      }
    } finally {
      await dropDatabase(fileUrl, name);
    }
  }, 60_000);
});
