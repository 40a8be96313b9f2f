import { jsonb, pgTable, text, timestamp, uuid, index } from "drizzle-orm/pg-core";
import { messageStatusEnum, messages } from "./messages";
import { timeOrderedIdDefault } from "../ids";

/**
 * What happened to a message, each report kept. The org is the message's (written from it); the
 * event goes with its message, whose own key to its org makes an org's deletion reach it. No key
 * to orgs here: it would lock the org's one row for each of the two or more events every send
 * writes, and every concurrent writer of the org then queued on it (docs/performance.md,
 * "foreign keys to one row").
 */
export const messageEvents = pgTable(
  "message_events",
  {
    id: uuid("id").primaryKey().default(timeOrderedIdDefault),
    orgId: uuid("org_id").notNull(),
    messageId: uuid("message_id").notNull().references(() => messages.id, { onDelete: "cascade" }),
    status: messageStatusEnum("status").notNull(),
    vendorStatus: text("vendor_status"),
    errorCode: text("error_code"),
    errorDescription: text("error_description"),
    raw: jsonb("raw"),
    /** When the vendor says it happened; reports arrive out of order. */
    occurredAt: timestamp("occurred_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("message_events_message_idx").on(t.messageId, t.createdAt)],
);

export type MessageEvent = typeof messageEvents.$inferSelect;
