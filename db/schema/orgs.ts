import { jsonb, pgTable, text, timestamp, uuid, uniqueIndex } from "drizzle-orm/pg-core";

/** Per-org settings, Spoke's "features": default vendor, opt-out keywords, HELP reply. */
export type OrgFeatures = {
  DEFAULT_SERVICE?: string;
  optOutKeywords?: string[];
  optOutConfirmation?: string;
  helpReply?: string;
  defaultCountry?: string;
  timeZone?: string;
};

export const orgs = pgTable(
  "orgs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    slug: text("slug").notNull(),
    features: jsonb("features").$type<OrgFeatures>().notNull().default({}),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("orgs_slug_key").on(t.slug)],
);

export type Org = typeof orgs.$inferSelect;
