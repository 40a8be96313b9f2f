import { boolean, jsonb, pgTable, text, timestamp, uuid, uniqueIndex } from "drizzle-orm/pg-core";
import { orgs } from "./orgs";

export const vendorAccounts = pgTable(
  "vendor_accounts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull().references(() => orgs.id, { onDelete: "cascade" }),
    kind: text("kind").notNull(),
    name: text("name").notNull(),
    /** Non-secret settings, validated by the adapter's configSchema. */
    config: jsonb("config").$type<Record<string, unknown>>().notNull().default({}),
    /** field -> ciphertext (lib/crypto/secrets.ts); never a clear value. */
    secrets: jsonb("secrets").$type<Record<string, string>>().notNull().default({}),
    webhookToken: text("webhook_token").notNull(),
    enabled: boolean("enabled").notNull().default(true),
    lastPollAt: timestamp("last_poll_at", { withTimezone: true }),
    /** What the last successful poll fetched, for the vendor page. */
    lastPollFetched: jsonb("last_poll_fetched").$type<{ replies: number; reports: number; other: number }>(),
    lastPollError: text("last_poll_error"),
    lastPollErrorAt: timestamp("last_poll_error_at", { withTimezone: true }),
    /** A worker has taken this account's poll until then (lib/messaging/poll.ts); a crashed poll frees it when it passes. */
    pollClaimedUntil: timestamp("poll_claimed_until", { withTimezone: true }),
    lastDeviceContactAt: timestamp("last_device_contact_at", { withTimezone: true }),
    lastActivityAt: timestamp("last_activity_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("vendor_accounts_webhook_token_key").on(t.webhookToken),
    /** The target of (org_id, vendor_account_id) keys: a row that names an account must be in the account's org. */
    uniqueIndex("vendor_accounts_org_id_id_key").on(t.orgId, t.id),
  ],
);

export type VendorAccount = typeof vendorAccounts.$inferSelect;
