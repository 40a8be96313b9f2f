import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { closeDb } from "@/db";
import { runMigrations } from "@/db/migrate";
import { stopBoss } from "@/lib/queue";
import { ensureDatabase, isAlive, startEmbeddedPostgres, type EmbeddedDatabase } from "@/scripts/embedded-postgres";
import { freePort } from "./app";

const DATABASE = "switchboard";

type Transport = "socket" | "tcp";

/**
 * An embedded PostgreSQL of a test file's own, which the test may crash and start again on the
 * same port and data directory: the suite's server cannot be stopped. `open` migrates its
 * database and points this process's pool (DATABASE_URL) at it; `close` puts the suite's back.
 */
export class CrashablePostgres {
  private running: EmbeddedDatabase | undefined;
  private readonly suiteDatabaseUrl = process.env.DATABASE_URL;

  private constructor(
    private readonly dir: string,
    readonly port: number,
    private readonly password: string,
    private readonly transport: Transport,
  ) {}

  /**
   * The app's database on it, migrated, and this process's fixtures and assertions sent there.
   * `socket` connects as `npm start` does to its embedded server, through the Unix socket (where
   * the platform has one); `tcp` through 127.0.0.1, as to most servers of DATABASE_URL.
   */
  static async open(label: string, transport: Transport): Promise<CrashablePostgres> {
    const dir = mkdtempSync(path.join(os.tmpdir(), `switchboard-${label}-pg-`));
    const pg = new CrashablePostgres(dir, await freePort(), label, transport);
    await pg.start();
    await ensureDatabase(pg.url("postgres"), DATABASE);
    await runMigrations(pg.databaseUrl);
    // The pool opens lazily on DATABASE_URL.
    await closeDb();
    process.env.DATABASE_URL = pg.databaseUrl;
    return pg;
  }

  get databaseUrl(): string {
    return this.url(DATABASE);
  }

  private url(database: string): string {
    // The server's own URLs, the same after a restart on this port.
    return this.transport === "socket" ? this.server!.url(database) : this.server!.tcpUrl(database);
  }
  private server: Pick<EmbeddedDatabase, "url" | "tcpUrl"> | undefined;

  /** New, or again after a crash (running crash recovery from the WAL). */
  async start(): Promise<void> {
    const started = await startEmbeddedPostgres({ dir: this.dir, password: this.password, port: this.port, persistent: true });
    if (started.port !== this.port) {
      await started.stop();
      throw new Error(`PostgreSQL came back on port ${started.port}, not ${this.port}: something else took the port`);
    }
    this.running = started;
    this.server ??= { url: started.url, tcpUrl: started.tcpUrl };
  }

  /**
   * Immediate shutdown (SIGQUIT to the postmaster): no checkpoint, connections cut mid-query,
   * crash recovery at the next start, as when the machine loses the database. What was
   * committed and flushed must come back from the WAL.
   */
  async crash(): Promise<void> {
    const pid = Number(readFileSync(path.join(this.dir, "postmaster.pid"), "utf8").split("\n")[0]);
    // The package's own stop() would wait for an exit that has already happened: this server is done with.
    this.running = undefined;
    process.kill(pid, "SIGQUIT");
    while (isAlive(pid)) await sleep(10);
  }

  /** After the processes using it have stopped: this process off it, then the server and its files. */
  async close(): Promise<void> {
    await stopBoss().catch(() => {});
    await closeDb().catch(() => {});
    process.env.DATABASE_URL = this.suiteDatabaseUrl;
    await this.running?.stop();
    this.running = undefined;
    rmSync(this.dir, { recursive: true, force: true });
  }
}
