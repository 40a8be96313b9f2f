import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import { afterAll, describe, expect, it } from "vitest";
import type { Tx } from "@/db";
import { openPostgres } from "@/db/connect";
import { commitWithoutFlush, withoutFlush } from "@/db/commit";

/**
 * db/commit.ts: a commit that does not wait for the disk is this transaction's alone. Were it
 * to outlive it on the pooled connection, the next message queued on that connection would be
 * acknowledged before it was durable.
 */
describe("commits without a flush", () => {
  // One connection, so "the next statement" runs where the setting was made.
  const client = openPostgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
  const one = drizzle(client);
  const setting = async (q: Pick<typeof one, "execute"> = one) => {
    const [row] = await q.execute<{ value: string }>(sql`select current_setting('synchronous_commit') as value`);
    return row!.value;
  };
  afterAll(() => client.end({ timeout: 5 }));

  it("holds for the transaction that asks for it, and not after", async () => {
    expect(await setting()).toBe("on");
    const inside = await one.transaction(async (tx) => {
      await commitWithoutFlush(tx as unknown as Tx);
      return setting(tx);
    });
    expect(inside).toBe("off");
    expect(await setting()).toBe("on");
  });

  it("holds for a statement on its own that joins withoutFlush, and not after", async () => {
    const [row] = await one.execute<{ value: string }>(
      sql`select current_setting('synchronous_commit') as value from ${withoutFlush}`,
    );
    expect(row!.value).toBe("off");
    expect(await setting()).toBe("on");
  });
});
