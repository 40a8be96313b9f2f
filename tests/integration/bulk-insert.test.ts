import { randomUUID } from "node:crypto";
import { eq, inArray, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db";
import { insertRows, insertRowsReturning, upsertRowsReturning } from "@/db/bulk-insert";
import { contacts } from "@/db/schema/contacts";
import { messageEvents } from "@/db/schema/message-events";
import { messages } from "@/db/schema/messages";
import { ownerWithOrg } from "../helpers/fixtures";

/**
 * db/bulk-insert.ts inserts through one jsonb parameter instead of drizzle's VALUES list: the
 * rows must come back exactly as drizzle's own insert stores and returns them, whatever they hold.
 */
let orgId: string;

beforeAll(async () => {
  orgId = (await ownerWithOrg("Bulk insert")).org.id;
});

const AWKWARD = [
  "plain",
  `quotes ' and " and \\ backslash`,
  "emoji 🎉 and ünïcödé, 中文",
  "{braces,commas}",
  "null",
  "tab\tnew\nline",
  "",
  // As a text parameter's UTF-8 encoding does, lone halves of a surrogate pair become U+FFFD (jsonb refuses them).
  "lone halves \ud800 and \udc00 of a pair, a whole pair 😀",
];

function rowsOf(tag: string) {
  const lease = new Date("2026-12-06T12:34:56.789Z");
  return AWKWARD.map((body, i) => ({
    orgId,
    direction: "OUTBOUND" as const,
    body,
    media: i % 2 ? [`https://cdn.example.com/${i}.jpg`, `https://cdn.example.com/"${i}".png`] : [],
    fromE164: "+14155550100",
    toE164: `+1415555${String(1000 + i)}`,
    status: "QUEUED" as const,
    segments: i + 1,
    encoding: i % 2 ? ("UCS2" as const) : ("GSM7" as const),
    idempotencyKey: `${tag}-${i}`,
    messagingServiceId: i % 3 ? null : `MG${i}`,
    leaseUntil: i % 2 ? lease : null,
  }));
}

/** What two inserts of the same rows must agree on: everything but the row's own identity and time. */
const comparable = (row: typeof messages.$inferSelect) => {
  const { id, seq, createdAt, idempotencyKey, ...rest } = row;
  expect(typeof id).toBe("string");
  expect(typeof seq).toBe("number");
  expect(createdAt).toBeInstanceOf(Date);
  return { ...rest, key: idempotencyKey?.replace(/^\w+-/, "") };
};

/** The rows as stored, read back through drizzle. */
const storedMessages = (ids: string[]) => db.select().from(messages).where(inArray(messages.id, ids));

describe("insertRowsReturning", () => {
  it("stores and returns what drizzle's insert stores and returns, defaults included", async () => {
    const viaDrizzle = await db.insert(messages).values(rowsOf("drizzle")).returning();
    const viaJson = await insertRowsReturning(db, messages, rowsOf("json"));
    expect(viaJson.map(comparable)).toEqual(viaDrizzle.map(comparable));
    // Read back through drizzle: the stored rows agree too, not just what came back.
    const stored = await storedMessages(viaJson.map((m) => m.id));
    expect(stored.map(comparable).sort((a, b) => a.key!.localeCompare(b.key!))).toEqual(
      viaDrizzle.map(comparable).sort((a, b) => a.key!.localeCompare(b.key!)),
    );
    expect(viaJson.every((m) => m.needsReview === false && m.attempts === 0 && m.deliveredAt === null)).toBe(true);
    expect(viaJson.at(-1)!.body).toBe("lone halves \ufffd and \ufffd of a pair, a whole pair 😀");
  });

  it("keeps given ids, and skips rows that meet the on-conflict clause", async () => {
    const ids = [randomUUID(), randomUUID()];
    const [first, second] = rowsOf("conflict");
    await insertRows(db, messages, [{ ...first!, id: ids[0] }]);
    const inserted = await insertRowsReturning(
      db,
      messages,
      [
        { ...first!, id: ids[1] },
        { ...second!, id: randomUUID() },
      ],
      {
        onConflict: sql`(org_id, idempotency_key) where idempotency_key is not null do nothing`,
      },
    );
    expect(inserted.map((m) => m.idempotencyKey)).toEqual(["conflict-1"]);
    const [kept] = await db.select().from(messages).where(eq(messages.id, ids[0]!));
    expect(kept?.body).toBe(first!.body);
  });

  it("returns only the columns asked for, as drizzle's returning({ … }) maps them, and stores the rows whole", async () => {
    const viaDrizzle = await db
      .insert(messages)
      .values(rowsOf("narrow-drizzle"))
      .returning({ idempotencyKey: messages.idempotencyKey, leaseUntil: messages.leaseUntil, media: messages.media });
    const viaJson = await insertRowsReturning(db, messages, rowsOf("narrow-json"), {
      returning: ["id", "idempotencyKey", "leaseUntil", "media"],
    });
    // The same rows but for their tag: "narrow-json-3" and "narrow-drizzle-3" are row 3.
    const untagged = ({ idempotencyKey, leaseUntil, media }: (typeof viaDrizzle)[number]) => ({
      leaseUntil,
      media,
      key: idempotencyKey?.replace(/^[\w-]+-/, ""),
    });
    expect(viaJson.map(untagged)).toEqual(viaDrizzle.map(untagged));
    expect(viaJson.every((m) => typeof m.id === "string")).toBe(true);
    expect(Object.keys(viaJson[0]!).sort()).toEqual(["id", "idempotencyKey", "leaseUntil", "media"]);
    const stored = await storedMessages(viaJson.map((m) => m.id));
    expect(stored.map((m) => m.body).sort()).toEqual(
      [...AWKWARD.slice(0, -1), "lone halves \ufffd and \ufffd of a pair, a whole pair 😀"].sort(),
    );
  });

  it("refuses rows that leave a defaulted column out for some rows only, and SQL values", async () => {
    const [a, b] = rowsOf("mixed");
    await expect(
      insertRows(db, messages, [
        { ...a!, segments: 2 },
        { ...b!, segments: undefined },
      ]),
    ).rejects.toThrow(/segments is given for some rows only/);
    await expect(insertRows(db, messages, [{ ...a!, body: sql`'x'` as unknown as string }])).rejects.toThrow(/is SQL/);
    expect(await insertRowsReturning(db, messages, [])).toEqual([]);
  });

  it("inserts rows with jsonb and timestamps as given", async () => {
    const [message] = await insertRowsReturning(db, messages, rowsOf("events").slice(0, 1));
    const occurredAt = new Date("2026-01-02T03:04:05.006Z");
    await insertRows(db, messageEvents, [
      {
        orgId,
        messageId: message!.id,
        status: "SENT",
        vendorStatus: "accepted",
        raw: { nested: { a: [1, "two", null] }, quote: `"` },
        occurredAt,
      },
      { orgId, messageId: message!.id, status: "DELIVERED", vendorStatus: null, raw: null, occurredAt: null },
    ]);
    const events = await db.select().from(messageEvents).where(eq(messageEvents.messageId, message!.id));
    expect(
      events
        .map(({ status, vendorStatus, raw, occurredAt }) => ({ status, vendorStatus, raw, occurredAt }))
        .sort((x, y) => x.status.localeCompare(y.status)),
    ).toEqual([
      { status: "DELIVERED", vendorStatus: null, raw: null, occurredAt: null },
      { status: "SENT", vendorStatus: "accepted", raw: { nested: { a: [1, "two", null] }, quote: `"` }, occurredAt },
    ]);
  });
});

describe("upsertRowsReturning", () => {
  it("returns every row, saying which this statement inserted and which it found there", async () => {
    const upsert = (e164s: string[]) =>
      upsertRowsReturning(
        db,
        contacts,
        e164s.map((e164) => ({ orgId, e164 })),
        sql`(org_id, e164) do update set e164 = excluded.e164`,
      );
    const first = await upsert(["+14155553001", "+14155553002"]);
    expect(first.map((r) => [r.row.e164, r.inserted]).sort()).toEqual([
      ["+14155553001", true],
      ["+14155553002", true],
    ]);
    const second = await upsert(["+14155553002", "+14155553003"]);
    expect(second.map((r) => [r.row.e164, r.inserted]).sort()).toEqual([
      ["+14155553002", false],
      ["+14155553003", true],
    ]);
    const found = second.find((r) => r.row.e164 === "+14155553002")!.row;
    expect(found).toEqual(first.find((r) => r.row.e164 === "+14155553002")!.row);
  });
});
