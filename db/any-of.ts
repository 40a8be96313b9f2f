import { sql, type SQL } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";

/**
 * `column = any($1::type[])`: the whole list as one array parameter. drizzle's inArray writes
 * `in ($1, …, $n)`, a new statement text for every length of list, which the pool cannot keep
 * prepared (db/index.ts); this text is the same whatever the list's length, so statements that
 * look up a batch of ids are prepared once and cost one round trip. An empty list matches nothing.
 */
export function anyOf(column: PgColumn, values: readonly string[]): SQL {
  return sql`${column} = any(${sql.param([...values])}::${sql.raw(column.getSQLType())}[])`;
}
