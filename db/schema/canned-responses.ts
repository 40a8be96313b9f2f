import { pgTable, text, timestamp, uuid, index } from "drizzle-orm/pg-core";
import { campaigns } from "./campaigns";
import { orgs } from "./orgs";

export const cannedResponses = pgTable(
  "canned_responses",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull().references(() => orgs.id, { onDelete: "cascade" }),
    campaignId: uuid("campaign_id").references(() => campaigns.id, { onDelete: "cascade" }),
    title: text("title").notNull(),
    body: text("body").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("canned_responses_campaign_idx").on(t.orgId, t.campaignId)],
);

export type CannedResponse = typeof cannedResponses.$inferSelect;
