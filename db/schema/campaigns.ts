import { jsonb, pgEnum, pgTable, text, timestamp, uuid, index } from "drizzle-orm/pg-core";
import { orgs } from "./orgs";
import { users } from "./users";
import { vendorAccounts } from "./vendor-accounts";

export const CAMPAIGN_STATUSES = ["DRAFT", "RUNNING", "PAUSED", "COMPLETED", "ARCHIVED"] as const;
export const campaignStatusEnum = pgEnum("campaign_status", CAMPAIGN_STATUSES);
export const CAMPAIGN_MODES = ["TEXTERS", "SEND_TO_ALL"] as const;
export const campaignModeEnum = pgEnum("campaign_mode", CAMPAIGN_MODES);

export type SendingWindow = { startHour: number; endHour: number };

export const campaigns = pgTable(
  "campaigns",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull().references(() => orgs.id, { onDelete: "cascade" }),
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    script: text("script").notNull().default(""),
    mode: campaignModeEnum("mode").notNull().default("TEXTERS"),
    status: campaignStatusEnum("status").notNull().default("DRAFT"),
    vendorAccountId: uuid("vendor_account_id").references(() => vendorAccounts.id, { onDelete: "set null" }),
    /** Numbers (phone_numbers ids) or a messaging service to send from. */
    sender: jsonb("sender").$type<{ phoneNumberIds?: string[]; messagingServiceId?: string }>().notNull().default({}),
    sendingWindow: jsonb("sending_window").$type<SendingWindow | null>(),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    startedAt: timestamp("started_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("campaigns_org_created_idx").on(t.orgId, t.createdAt)],
);

export type Campaign = typeof campaigns.$inferSelect;
