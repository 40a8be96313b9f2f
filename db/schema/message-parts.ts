import { index, integer, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { messageStatusEnum, messages } from "./messages";
import { orgs } from "./orgs";
import { vendorAccounts } from "./vendor-accounts";

/**
 * The vendor's ids for the parts of one outbound message, where the vendor splits a long
 * text and reports each part on its own (Vonage). A delivery report for any part finds
 * its message here; the message is DELIVERED once every part is, FAILED when one fails.
 * Messages the vendor keeps whole have no rows: messages.vendor_message_id is enough.
 */
export const messageParts = pgTable(
  "message_parts",
  {
    orgId: uuid("org_id")
      .notNull()
      .references(() => orgs.id, { onDelete: "cascade" }),
    messageId: uuid("message_id")
      .notNull()
      .references(() => messages.id, { onDelete: "cascade" }),
    vendorAccountId: uuid("vendor_account_id")
      .notNull()
      .references(() => vendorAccounts.id, { onDelete: "cascade" }),
    vendorMessageId: text("vendor_message_id").notNull(),
    /** 1-based, in the order the vendor answered. */
    partIndex: integer("part_index").notNull(),
    status: messageStatusEnum("status").notNull().default("SENT"),
  },
  (t) => [
    uniqueIndex("message_parts_vendor_key").on(t.vendorAccountId, t.vendorMessageId),
    index("message_parts_message_idx").on(t.messageId),
  ],
);

export type MessagePart = typeof messageParts.$inferSelect;
