import { and, eq, inArray, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db, type Tx } from "@/db";
import { anyOf } from "@/db/any-of";
import { contacts } from "@/db/schema/contacts";
import { ownerWithOrg } from "../helpers/fixtures";

/** db/any-of.ts: a list as one array parameter must match exactly what drizzle's inArray matches. */
let orgId: string;
let ids: string[];
// Text that an array literal must quote or escape.
const NAMES = ["plain", `quotes ' and " and \\ backslash`, "{braces,commas}", "NULL", "", "emoji 🎉, ünïcödé"];

beforeAll(async () => {
  orgId = (await ownerWithOrg("Any of")).org.id;
  const rows = await db
    .insert(contacts)
    .values(NAMES.map((firstName, i) => ({ orgId, e164: `+1415555${String(2000 + i)}`, firstName })))
    .returning();
  ids = rows.map((r) => r.id);
});

/** The statements prepared on a transaction's connection, matching `like`, after `work` ran on it. */
async function preparedAfter(like: string, work: (tx: Tx) => Promise<unknown>): Promise<string[]> {
  return db.transaction(async (tx) => {
    await work(tx);
    const rows = await tx.execute<{ statement: string }>(
      sql`select statement from pg_prepared_statements where statement like ${like}`,
    );
    return rows.map((r) => r.statement);
  });
}

const inOrg = (condition: ReturnType<typeof anyOf>) => and(eq(contacts.orgId, orgId), condition);

describe("anyOf", () => {
  it("matches what inArray matches, for uuid and text columns, whatever the list's length", async () => {
    for (const n of [1, 2, NAMES.length]) {
      const wanted = ids.slice(0, n);
      const byAny = await db
        .select({ id: contacts.id })
        .from(contacts)
        .where(inOrg(anyOf(contacts.id, wanted)));
      const byIn = await db
        .select({ id: contacts.id })
        .from(contacts)
        .where(inOrg(inArray(contacts.id, wanted)));
      expect(byAny.map((r) => r.id).sort()).toEqual(wanted.sort());
      expect(byIn.map((r) => r.id).sort()).toEqual(wanted.sort());
    }
    for (const name of NAMES) {
      const rows = await db
        .select({ firstName: contacts.firstName })
        .from(contacts)
        .where(inOrg(anyOf(contacts.firstName, [name, "nobody"])));
      expect(rows.map((r) => r.firstName)).toEqual([name]);
    }
  });

  it("matches nothing for an empty list", async () => {
    expect(
      await db
        .select()
        .from(contacts)
        .where(inOrg(anyOf(contacts.id, []))),
    ).toEqual([]);
  });

  it("is one statement text whatever the list's length, and the pool keeps it prepared", async () => {
    const [one, three] = [1, 3].map(
      (n) =>
        db
          .select()
          .from(contacts)
          .where(inOrg(anyOf(contacts.id, ids.slice(0, n))))
          .toSQL().sql,
    );
    expect(one).toBe(three);
    const prepared = await preparedAfter("%= any($%", (tx) =>
      tx
        .select({ id: contacts.id })
        .from(contacts)
        .where(inOrg(anyOf(contacts.id, ids.slice(0, 3)))),
    );
    expect(prepared).toContainEqual(expect.stringContaining(`"contacts"."id" = any($2::uuid[])`));
  });

  it("leaves a long inArray list unprepared: each length would be a statement of its own", async () => {
    const many = [...ids, ...Array.from({ length: 20 }, () => crypto.randomUUID())];
    // Columns no other test selects, so that only these two statements can match.
    const prepared = await preparedAfter('select "last_name" from%', async (tx) => {
      await tx
        .select({ lastName: contacts.lastName })
        .from(contacts)
        .where(inOrg(inArray(contacts.id, many)));
      await tx
        .select({ lastName: contacts.lastName })
        .from(contacts)
        .where(inOrg(inArray(contacts.id, ids.slice(0, 2))));
    });
    expect(prepared).toEqual([expect.stringContaining(`"contacts"."id" in ($2, $3)`)]);
  });
});
