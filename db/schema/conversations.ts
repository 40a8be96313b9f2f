import { boolean, pgTable, timestamp, uuid, uniqueIndex, index, text } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { campaigns } from "./campaigns";
import { contacts } from "./contacts";
import { orgs } from "./orgs";
import { phoneNumbers } from "./phone-numbers";
import { users } from "./users";
import { timeOrderedIdDefault } from "../ids";

export const conversations = pgTable(
  "conversations",
  {
    id: uuid("id").primaryKey().default(timeOrderedIdDefault),
    orgId: uuid("org_id").notNull().references(() => orgs.id, { onDelete: "cascade" }),
    contactId: uuid("contact_id").notNull().references(() => contacts.id, { onDelete: "cascade" }),
    /** Our side of the thread; null while a new conversation has not chosen a sender yet. */
    phoneNumberId: uuid("phone_number_id").references(() => phoneNumbers.id, { onDelete: "set null" }),
    ourE164: text("our_e164"),
    assignedUserId: uuid("assigned_user_id").references(() => users.id, { onDelete: "set null" }),
    campaignId: uuid("campaign_id").references(() => campaigns.id, { onDelete: "set null" }),
    lastMessageAt: timestamp("last_message_at", { withTimezone: true }).notNull().defaultNow(),
    lastDirection: text("last_direction"),
    unread: boolean("unread").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("conversations_org_last_message_idx").on(t.orgId, t.lastMessageAt.desc(), t.id),
    index("conversations_org_assigned_last_message_idx").on(t.orgId, t.assignedUserId, t.lastMessageAt.desc(), t.id),
    // One thread per contact and our number; a thread with no number yet is unique per contact.
    uniqueIndex("conversations_org_contact_number_key")
      .on(t.orgId, t.contactId, t.ourE164)
      .where(sql`${t.ourE164} is not null`),
  ],
);

export type Conversation = typeof conversations.$inferSelect;
