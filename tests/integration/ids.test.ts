import { eq, inArray, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db";
import { timeOrderedId } from "@/db/ids";
import { contacts } from "@/db/schema/contacts";
import { conversations } from "@/db/schema/conversations";
import { messageEvents } from "@/db/schema/message-events";
import { deliverMessages } from "@/lib/messaging/deliver";
import { queueMessageBatch } from "@/lib/messaging/send-batch";
import { queueMessage } from "@/lib/messaging/send";
import { apiOrg, type ApiOrg } from "../helpers/api-org";

/** A UUID's version digit, and for v7 the Unix milliseconds of its first 48 bits. */
const versionOf = (id: string) => id[14];
const variantOf = (id: string) => id[19];
const msOf = (id: string) => parseInt(id.replace(/-/g, "").slice(0, 12), 16);

function expectTimeOrdered(ids: string[], from: number, to: number) {
  for (const id of ids) {
    expect([id, versionOf(id)]).toEqual([id, "7"]);
    expect("89ab").toContain(variantOf(id));
    // The database's clock and ours are the same machine's; a little slack for rounding.
    expect(msOf(id)).toBeGreaterThanOrEqual(from - 5);
    expect(msOf(id)).toBeLessThanOrEqual(to + 5);
  }
}

let org: ApiOrg;
beforeAll(async () => {
  org = await apiOrg("Ids", ["+14155550100"]);
});

describe("ids of rows written at volume (db/ids.ts)", () => {
  it("come from the database's time_ordered_uuid() (the columns' default) as UUIDv7 carrying the time they were made, all distinct", async () => {
    const from = Date.now();
    const rows = await db.execute<{ id: string }>(sql`select time_ordered_uuid()::text as id from generate_series(1, 2000)`);
    const to = Date.now();
    const ids = rows.map((r) => r.id);
    expect(new Set(ids).size).toBe(2000);
    expectTimeOrdered(ids, from, to);
  });

  it("come from the app as UUIDv7 in the order they were made", () => {
    const from = Date.now();
    const ids = Array.from({ length: 2000 }, () => timeOrderedId());
    expectTimeOrdered(ids, from, Date.now());
    expect([...ids].sort()).toEqual(ids);
  });

  it("are what a message queued one by one or in a batch, its contact, conversation and events get", async () => {
    const from = Date.now();
    const { message } = await queueMessage(org.id, { to: "+14155557001", body: "Shift swap approved." });
    const outcomes = await queueMessageBatch(org.id, [
      { to: "+14155557002", body: "Your shift starts at 9." },
      { to: "+14155557003", body: "Your shift starts at 10." },
    ]);
    const batch = outcomes.map((o) => ("message" in o ? o.message : null));
    expect(batch.every(Boolean)).toBe(true);
    const sent = [message, ...batch.map((m) => m!)];
    // Sent as the worker sends them.
    expect(await deliverMessages(sent.map((m) => m.id))).toEqual([null, null, null]);
    const to = Date.now();
    const threads = await db
      .select()
      .from(conversations)
      .where(
        inArray(
          conversations.id,
          sent.map((m) => m.conversationId!),
        ),
      );
    const people = await db
      .select()
      .from(contacts)
      .where(
        inArray(
          contacts.id,
          threads.map((t) => t.contactId),
        ),
      );
    const events = await db
      .select()
      .from(messageEvents)
      .where(
        inArray(
          messageEvents.messageId,
          sent.map((m) => m.id),
        ),
      );
    expect([threads.length, people.length]).toEqual([3, 3]);
    // SENDING and SENT for each message the sender's rate (one a second from this number) let through at once.
    expect(events.length).toBeGreaterThanOrEqual(4);
    expectTimeOrdered(
      [...sent.map((m) => m.id), ...threads.map((t) => t.id), ...people.map((c) => c.id), ...events.map((e) => e.id)],
      from,
      to,
    );
    // The batch's ids are chosen in the app, in the batch's order.
    expect(batch.map((m) => m!.id)).toEqual(batch.map((m) => m!.id).sort());
    expect(await db.$count(conversations, eq(conversations.orgId, org.id))).toBe(3);
  });
});
