import { pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Per-sender pacing shared by every worker process: the earliest time the next message
 * from this sender (a number or a messaging service) may go. Not org data: the key is
 * the vendor account and sender, and nothing here is shown to anyone.
 */
export const senderRateSlots = pgTable("sender_rate_slots", {
  key: text("key").primaryKey(),
  nextAt: timestamp("next_at", { withTimezone: true, precision: 6 }).notNull(),
});
