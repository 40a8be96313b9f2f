import { sql } from "drizzle-orm";
import { integer, jsonb, pgTable, text, timestamp, uuid, uniqueIndex, index } from "drizzle-orm/pg-core";
import { orgs } from "./orgs";
import { timeOrderedIdDefault } from "../ids";

export const contacts = pgTable(
  "contacts",
  {
    id: uuid("id").primaryKey().default(timeOrderedIdDefault),
    orgId: uuid("org_id")
      .notNull()
      .references(() => orgs.id, { onDelete: "cascade" }),
    e164: text("e164").notNull(),
    firstName: text("first_name").notNull().default(""),
    lastName: text("last_name").notNull().default(""),
    customFields: jsonb("custom_fields").$type<Record<string, string>>().notNull().default({}),
    carrier: text("carrier"),
    lineType: text("line_type"),
    /** >= 0 textable; -1 landline, -2 invalid or unserviced, -3 wrong country, -4 lookup error. */
    statusCode: integer("status_code").notNull().default(0),
    optedOutAt: timestamp("opted_out_at", { withTimezone: true }),
    lookedUpAt: timestamp("looked_up_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("contacts_org_e164_key").on(t.orgId, t.e164),
    index("contacts_org_created_idx").on(t.orgId, t.createdAt),
    // The few who opted out: the inbox's needs-reply test and opted-out tab read them without a scan of everyone.
    index("contacts_opted_out_idx")
      .on(t.orgId, t.id)
      .where(sql`${t.optedOutAt} is not null`),
  ],
);

export type Contact = typeof contacts.$inferSelect;
