import { jsonb, pgTable, text, timestamp, uuid, index } from "drizzle-orm/pg-core";
import { messageStatusEnum, messages } from "./messages";
import { orgs } from "./orgs";

export const messageEvents = pgTable(
  "message_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull().references(() => orgs.id, { onDelete: "cascade" }),
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
