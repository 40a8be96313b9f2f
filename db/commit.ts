import { sql } from "drizzle-orm";
import type { Tx } from "./index";

/**
 * Lets the caller's transaction commit without waiting for its WAL to reach the disk
 * (`synchronous_commit = off` for this transaction only). Every commit that waits costs a flush,
 * and under load commits queue for the WAL's lock: with every commit of figure a unflushed the
 * sends went 15–31% faster (docs/performance.md). Only the app's own ones that may be lost in a
 * crash of PostgreSQL itself (not of our processes) use this; a crash of ours loses nothing.
 *
 * Such a commit is still atomic, still seen at once by everyone else, and made durable by the next
 * ordinary commit of any session, since the WAL is written in order; at worst PostgreSQL's crash
 * loses the last few hundred milliseconds of them (three times wal_writer_delay). So a write may
 * commit this way when what follows it is an ordinary commit that would be lost with it and
 * redone, or when losing it costs nothing that matters: never what answers a client or a vendor,
 * nor a claim that must hold before a vendor is called.
 */
export async function commitWithoutFlush(tx: Tx): Promise<void> {
  await tx.execute(sql`set local synchronous_commit = off`);
}

/**
 * The same for a statement run on its own (its own transaction), without the round trips of
 * opening one: a one-row subquery to cross join in its FROM clause, which sets the option for
 * the statement's transaction before it commits.
 */
export const withoutFlush = sql`(select set_config('synchronous_commit', 'off', true)) as without_flush`;
