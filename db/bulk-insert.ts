import { getTableColumns, getTableName, is, SQL, sql } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import type { DbOrTx } from "./index";

const JSON_COLUMNS = new Set(["PgJson", "PgJsonb"]);

/**
 * Inserts many rows as one jsonb parameter, which PostgreSQL expands against the table's own
 * row type (jsonb_populate_recordset), instead of drizzle's VALUES list. Drizzle builds that
 * list cell by cell, every column of every row, and turning it into SQL took a quarter of the
 * web process's busy time when the API queued a hundred messages per call (docs/performance.md).
 *
 * Rows are what `db.insert(table).values(rows)` takes. A column no row gives keeps its
 * database default, and a JavaScript default ($defaultFn) is applied as drizzle would. A column
 * some rows give and others leave undefined is null for the others, so it must not be one with a
 * default (that is a programming error, and throws). `onConflict` is the SQL after
 * "on conflict", such as `(org_id, key) where key is not null do nothing`.
 */
export async function insertRows<T extends PgTable>(
  q: DbOrTx,
  table: T,
  rows: T["$inferInsert"][],
  options: { onConflict?: SQL } = {},
): Promise<void> {
  const statement = insertStatement(table, rows, options.onConflict);
  if (statement) await q.execute(statement.query);
}

/**
 * As insertRows, returning the inserted rows as drizzle's `.returning()` would (rows skipped by
 * onConflict are absent): every column, or only the `returning` ones, as drizzle's
 * `.returning({ … })` would, so that a thousand rows' bodies are not sent back and mapped for nothing.
 */
export async function insertRowsReturning<T extends PgTable, K extends Columns<T> = Columns<T>>(
  q: DbOrTx,
  table: T,
  rows: T["$inferInsert"][],
  options: { onConflict?: SQL; returning?: readonly K[] } = {},
): Promise<Pick<T["$inferSelect"], K>[]> {
  const returned = await insertReturning(q, table, rows, options.onConflict, options.returning);
  return returned.map(({ row }) => row);
}

type Columns<T extends PgTable> = keyof T["$inferSelect"] & string;

/**
 * As insertRowsReturning for an upsert (`onConflict` is `(…) do update set …`): every row comes
 * back, each saying whether this statement inserted it or found it there. A row inserted here
 * is one no other transaction can have used yet (nothing can refer to it before it commits).
 */
export async function upsertRowsReturning<T extends PgTable>(
  q: DbOrTx,
  table: T,
  rows: T["$inferInsert"][],
  onConflict: SQL,
): Promise<{ row: T["$inferSelect"]; inserted: boolean }[]> {
  return insertReturning(q, table, rows, onConflict);
}

/** The rows the statement wrote, as drizzle maps them, each with whether it was inserted rather than updated. */
async function insertReturning<T extends PgTable>(
  q: DbOrTx,
  table: T,
  rows: T["$inferInsert"][],
  onConflict: SQL | undefined,
  keys?: readonly string[],
): Promise<{ row: T["$inferSelect"]; inserted: boolean }[]> {
  const statement = insertStatement(table, rows, onConflict);
  if (!statement) return [];
  const columns = keys ? statement.columns.filter(([key]) => keys.includes(key)) : statement.columns;
  const list = keys
    ? sql.join(
        columns.map(([, column]) => sql.identifier(column.name)),
        sql`, `,
      )
    : sql`*`;
  // xmax is 0 on a row version this statement inserted, and its own transaction id on one it updated.
  const raw = await q.execute<Record<string, unknown>>(sql`${statement.query} returning ${list}, (xmax = 0) as "$inserted"`);
  return raw.map((returned) => {
    const row: Record<string, unknown> = {};
    for (const [key, column] of columns) {
      const value = returned[column.name];
      row[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
    }
    return { row: row as T["$inferSelect"], inserted: returned.$inserted === true };
  });
}

function insertStatement(table: PgTable, rows: Record<string, unknown>[], onConflict: SQL | undefined) {
  if (rows.length === 0) return null;
  const columns = Object.entries(getTableColumns(table)) as [string, PgColumn][];
  const given = columns
    .filter(([, column]) => insertable(column))
    .filter(([key, column]) => column.defaultFn !== undefined || rows.some((row) => row[key] !== undefined));
  const payload = rows.map((row) => {
    const out: Record<string, unknown> = {};
    for (const [key, column] of given) {
      let value = row[key];
      if (value === undefined && column.defaultFn) value = column.defaultFn();
      if (is(value, SQL))
        throw new Error(`insertRows: ${getTableName(table)}.${column.name} is SQL; use db.insert for computed values`);
      if (value === undefined) {
        if (column.hasDefault)
          throw new Error(`insertRows: ${getTableName(table)}.${column.name} is given for some rows only, and has a default`);
        value = null;
      }
      out[column.name] = wellFormed(
        value === null || JSON_COLUMNS.has(column.columnType) ? value : column.mapToDriverValue(value),
      );
    }
    return out;
  });
  const names = sql.join(
    given.map(([, column]) => sql.identifier(column.name)),
    sql`, `,
  );
  const conflict = onConflict ? sql` on conflict ${onConflict}` : sql``;
  const query = sql`insert into ${table} (${names}) select ${names} from jsonb_populate_recordset(null::${table}, ${JSON.stringify(payload)}::jsonb)${conflict}`;
  return { query, columns };
}

/** As drizzle decides: a generated column, or an identity generated always, takes no value. */
function insertable(column: PgColumn): boolean {
  if (column.generated && column.generated.type !== "byDefault") return false;
  return column.generatedIdentity?.type !== "always";
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * A string half of a surrogate pair (JSON's "\ud83d" alone) is refused by jsonb, while a text
 * parameter's UTF-8 encoding turns it into U+FFFD. It is replaced the same way here, in nested
 * JSON values too, so that these rows store exactly what drizzle's insert would.
 */
function wellFormed(value: unknown): unknown {
  if (typeof value === "string") return value.replace(LONE_SURROGATE, "\ufffd");
  if (Array.isArray(value)) return value.map(wellFormed);
  if (value && typeof value === "object" && !(value instanceof Date))
    return Object.fromEntries(Object.entries(value).map(([key, v]) => [wellFormed(key) as string, wellFormed(v)]));
  return value;
}
