import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import type postgres from "postgres";
import { openPostgres, postgresTarget, type PostgresTarget } from "./connect";
import * as schema from "./schema";

export type Db = PostgresJsDatabase<typeof schema> & { $client: postgres.Sql };
/** A transaction handle, for functions that must run inside the caller's transaction. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
export type DbOrTx = Db | Tx;

/**
 * The pool, shared through globalThis: the web process loads this module twice (in Next.js's
 * server bundle, and from source for scripts/machine-lane.ts), and one pool serves both.
 */
type Shared = { client?: postgres.Sql; guarded?: boolean };
const shared: Shared = ((globalThis as Record<symbol, Shared>)[Symbol.for("switchboard.db")] ??= {});
let instance: { client: postgres.Sql; db: Db } | undefined;

/** The process's one connection pool, opened on first use so that imports never connect. */
export function getDb(): Db {
  const client = (shared.client ??= openPool());
  if (instance?.client !== client) instance = { client, db: drizzle(preparing(client), { schema }) as Db };
  return instance.db;
}

function openPool(): postgres.Sql {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set (npm start sets it for the embedded database)");
  const target = postgresTarget(url);
  guardAgainstDriverCrash(target);
  return openPostgres(target, {
    max: Number(process.env.DB_POOL_MAX ?? 10),
    onnotice: () => {},
    connect_timeout: 5,
    // A query handed to a closed connection waits out this reconnect delay (seconds) first. The
    // driver's default grows to 20 s while the database is down, so requests hung that long during
    // an outage and after it ended; capped at a second, a vendor gets its 503 quickly and traffic
    // resumes as soon as the database does (tests/reliability/db-outage.test.ts).
    backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 1),
    // Prepared statements (see preparing) planned for each run's own parameters, as unprepared ones are.
    connection: { application_name: process.env.SWITCHBOARD_PROCESS ?? "switchboard", plan_cache_mode: "force_custom_plan" },
  });
}

/**
 * drizzle runs its statements unprepared, and postgres.js then describes each statement that has
 * parameters in a round trip of its own before it can bind them: every query cost two round trips,
 * and queries issued together could not be pipelined. Prepared (once per connection, by its text),
 * a statement is one round trip after its first use. Each run is still planned for its own
 * parameters (plan_cache_mode, set when the pool connects), as an unprepared statement is.
 * Each distinct text stays prepared on its connection until the pool recycles it, so only texts
 * that repeat are prepared: not those without parameters (nothing to describe; SQL that spells out
 * its values), nor those with more than PREPARE_MAX_PARAMETERS, whose lists (`in ($1, …, $n)`) make
 * a new text for every length. DB_PREPARE=false turns this off, for a connection pooler in
 * transaction mode that cannot keep prepared statements.
 */
const PREPARE_MAX_PARAMETERS = 16;

function preparing<S extends postgres.Sql | postgres.TransactionSql>(client: S): S {
  if (process.env.DB_PREPARE === "false") return client;
  type Run = (tx: postgres.TransactionSql) => unknown;
  // begin(options?, run) and savepoint(name?, run): the handle the callback gets prepares too.
  const wrapLast =
    (method: (...args: unknown[]) => unknown) =>
    (...args: unknown[]) => {
      const run = args.pop() as Run;
      return method(...args, (tx: postgres.TransactionSql) => run(preparing(tx)));
    };
  return new Proxy(client, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (prop === "unsafe")
        return (query: string, params?: postgres.ParameterOrJSON<never>[], options?: postgres.UnsafeQueryOptions) =>
          target.unsafe(
            query,
            params,
            params?.length && params.length <= PREPARE_MAX_PARAMETERS ? { ...options, prepare: true } : options,
          );
      if ((prop === "begin" || prop === "savepoint") && typeof value === "function")
        return wrapLast((value as (...args: unknown[]) => unknown).bind(target));
      return value;
    },
  });
}

export const db: Db = new Proxy({} as Db, {
  get(_target, prop) {
    const real = getDb();
    const value = Reflect.get(real, prop, real) as unknown;
    return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(real) : value;
  },
});

export async function closeDb(): Promise<void> {
  const client = shared.client;
  if (!client) return;
  shared.client = undefined;
  instance = undefined;
  await client.end({ timeout: 5 });
}

/**
 * postgres.js 3.4.x flushes small writes on a timer. When the database closes a connection first
 * (a restart, a crash, a failover) and a transaction's ROLLBACK is then written to it, that timer
 * throws "Cannot read properties of null (reading 'write')" outside any query, which kills a
 * process that has no handler (the worker), and leaves that connection unable to send again:
 * every later query on it times out (porsager/postgres#1154, #1208; unfixed in 3.4.10). When the
 * socket is still there but the server has just died under it, the same flush throws the socket's
 * own error instead (ECONNRESET, EPIPE): a worker sending when PostgreSQL crashed died of it, and
 * `npm start` with it (tests/reliability/send-db-crash.test.ts). Such an error costs the pool, not
 * the process: the pool is dropped and the next query opens a fresh one.
 *
 * The driver also reads each new connection's array types in a promise that nothing awaits
 * (connection.js, fetchArrayTypes): when the server dies just as a connection opens, that promise
 * rejects with the connection's error (ECONNREFUSED when it tries again), unhandled, and Node
 * ends the process for it (one run of send-db-crash.test.ts in three, before this). A rejection no
 * one handled whose error is the loss of a connection to the database's own port (or socket) is logged, and
 * the process carries on: the query it failed was no caller's, and the next connection reads the
 * types again. Any other uncaught exception or unhandled rejection still ends the process as Node
 * would, unless the process handles them itself (Next's server logs them and carries on).
 */
function guardAgainstDriverCrash(database: PostgresTarget): void {
  if (shared.guarded) return;
  shared.guarded = true;
  process.on("uncaughtException", (error, origin) => {
    if (isWriteToClosedConnection(error)) {
      console.error("[db] the database closed a connection under a pending write: opening a fresh pool");
      void closeDb().catch(() => {});
      return;
    }
    if (origin === "unhandledRejection" && isLostDatabaseConnection(error, database)) {
      console.error(`[db] a connection to the database was lost under a query no one awaited: ${error.message}`);
      return;
    }
    if (process.listenerCount("uncaughtException") > 1) return;
    console.error(error);
    process.exit(1);
  });
}

const SOCKET_GONE = new Set(["ECONNRESET", "EPIPE", "ERR_STREAM_DESTROYED", "ERR_STREAM_WRITE_AFTER_END"]);

const CONNECTION_LOST = new Set([
  ...SOCKET_GONE,
  "ECONNREFUSED",
  "ETIMEDOUT",
  "CONNECTION_CLOSED",
  "CONNECTION_DESTROYED",
  "CONNECTION_ENDED",
  "CONNECT_TIMEOUT",
  "ENOENT", // a Unix socket whose server is down has no file
]);

/** Through a Unix socket the error names the socket's path, over TCP the port. */
function isLostDatabaseConnection(error: Error, database: PostgresTarget): boolean {
  const { code, port, address } = error as Error & { code?: string; port?: number; address?: string };
  if (code === undefined || !CONNECTION_LOST.has(code)) return false;
  return database.path ? address === database.path : Number(port) === database.port;
}

function isWriteToClosedConnection(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  // The driver's flush, as `nextWrite (…)` or `Immediate.nextWrite [as _onImmediate] (…)`.
  if (!/nextWrite[^\n(]*\(.*[\\/]postgres[\\/](cjs[\\/])?src[\\/]connection\.js/.test(error.stack ?? "")) return false;
  const code = (error as NodeJS.ErrnoException).code;
  return (
    (error instanceof TypeError && error.message.includes("reading 'write'")) || (code !== undefined && SOCKET_GONE.has(code))
  );
}
