import { foreignKey, jsonb, pgTable, text, timestamp, uuid, uniqueIndex, index } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { vendorAccounts } from "./vendor-accounts";
import { timeOrderedIdDefault } from "../ids";

/**
 * A vendor's request to one of our webhooks, stored raw before it is answered.
 * Keyed to its account as (org_id, vendor_account_id), not to orgs: see vendor-request-logs.ts.
 */
export const webhookEvents = pgTable(
  "webhook_events",
  {
    id: uuid("id").primaryKey().default(timeOrderedIdDefault),
    orgId: uuid("org_id").notNull(),
    vendorAccountId: uuid("vendor_account_id").notNull(),
    action: text("action").notNull(),
    method: text("method").notNull(),
    url: text("url").notNull(),
    headers: jsonb("headers").$type<Record<string, string>>().notNull(),
    body: text("body").notNull(),
    dedupeKey: text("dedupe_key"),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
    processedAt: timestamp("processed_at", { withTimezone: true }),
    error: text("error"),
  },
  (t) => [
    foreignKey({ name: "webhook_events_account_fk", columns: [t.orgId, t.vendorAccountId], foreignColumns: [vendorAccounts.orgId, vendorAccounts.id] }).onDelete("cascade"),
    uniqueIndex("webhook_events_dedupe_key")
      .on(t.vendorAccountId, t.dedupeKey)
      .where(sql`${t.dedupeKey} is not null`),
    index("webhook_events_account_received_idx").on(t.vendorAccountId, t.receivedAt),
    index("webhook_events_unprocessed_idx").on(t.receivedAt).where(sql`${t.processedAt} is null`),
  ],
);

export type WebhookEvent = typeof webhookEvents.$inferSelect;
