import { jsonb, pgEnum, pgTable, text, timestamp, uuid, uniqueIndex, index } from "drizzle-orm/pg-core";
import { campaigns } from "./campaigns";
import { contacts } from "./contacts";
import { orgs } from "./orgs";
import { users } from "./users";
import { timeOrderedIdDefault } from "../ids";

export const CAMPAIGN_CONTACT_STATUSES = ["PENDING", "QUEUED", "SENT", "SKIPPED", "REPLIED", "OPTED_OUT"] as const;
export const campaignContactStatusEnum = pgEnum("campaign_contact_status", CAMPAIGN_CONTACT_STATUSES);

export const campaignContacts = pgTable(
  "campaign_contacts",
  {
    id: uuid("id").primaryKey().default(timeOrderedIdDefault),
    orgId: uuid("org_id").notNull().references(() => orgs.id, { onDelete: "cascade" }),
    campaignId: uuid("campaign_id").notNull().references(() => campaigns.id, { onDelete: "cascade" }),
    contactId: uuid("contact_id").notNull().references(() => contacts.id, { onDelete: "cascade" }),
    assignedUserId: uuid("assigned_user_id").references(() => users.id, { onDelete: "set null" }),
    status: campaignContactStatusEnum("status").notNull().default("PENDING"),
    skipReason: text("skip_reason"),
    /** CSV fields brought in with this contact for this campaign's script. */
    fields: jsonb("fields").$type<Record<string, string>>().notNull().default({}),
    messageId: uuid("message_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("campaign_contacts_campaign_contact_key").on(t.campaignId, t.contactId),
    index("campaign_contacts_campaign_status_idx").on(t.campaignId, t.status),
    index("campaign_contacts_assigned_idx").on(t.campaignId, t.assignedUserId),
  ],
);

export type CampaignContact = typeof campaignContacts.$inferSelect;
