import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { messages } from "./messages";
import { orgs } from "./orgs";
import { vendorAccounts } from "./vendor-accounts";
import { timeOrderedIdDefault } from "../ids";

/**
 * Parts of a long inbound message the vendor delivers one by one (Vonage "concat"),
 * held until all have come. The set is (account, from, to, ref, total); refs are reused
 * by phones over time, so a set is only joined while pending (assembled_message_id null).
 * A set that never completes is stored as it is, flagged, by the sweep: nothing is lost.
 */
export const inboundParts = pgTable(
  "inbound_parts",
  {
    id: uuid("id").primaryKey().default(timeOrderedIdDefault),
    orgId: uuid("org_id")
      .notNull()
      .references(() => orgs.id, { onDelete: "cascade" }),
    vendorAccountId: uuid("vendor_account_id")
      .notNull()
      .references(() => vendorAccounts.id, { onDelete: "cascade" }),
    fromE164: text("from_e164").notNull(),
    toE164: text("to_e164").notNull(),
    ref: text("ref").notNull(),
    total: integer("total").notNull(),
    partIndex: integer("part_index").notNull(),
    body: text("body").notNull(),
    media: jsonb("media").$type<string[]>().notNull().default([]),
    vendorMessageId: text("vendor_message_id"),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    /** The message the set was joined into; null while parts are missing. */
    assembledMessageId: uuid("assembled_message_id").references(() => messages.id, { onDelete: "cascade" }),
  },
  (t) => [
    // A part the vendor sends again is the same part: at most one row per vendor id.
    uniqueIndex("inbound_parts_vendor_key")
      .on(t.vendorAccountId, t.vendorMessageId)
      .where(sql`${t.vendorMessageId} is not null`),
    index("inbound_parts_pending_idx")
      .on(t.vendorAccountId, t.fromE164, t.toE164, t.ref)
      .where(sql`${t.assembledMessageId} is null`),
    index("inbound_parts_pending_created_idx")
      .on(t.createdAt)
      .where(sql`${t.assembledMessageId} is null`),
  ],
);

export type InboundPart = typeof inboundParts.$inferSelect;
