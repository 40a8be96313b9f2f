import { foreignKey, index, integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { vendorAccounts } from "./vendor-accounts";
import { timeOrderedIdDefault } from "../ids";

/**
 * Each HTTP exchange with a vendor, secrets redacted before they get here (lib/vendors/http.ts).
 * The org is the account's: (org_id, vendor_account_id) references the account, so the database
 * refuses a row whose account is in another org, and the row goes when its account (or org) does.
 * No key to orgs on its own: that would lock the org's one row for every row inserted, and every
 * concurrent writer of the org then queued on it (docs/performance.md, "foreign keys to one row").
 */
export const vendorRequestLogs = pgTable(
  "vendor_request_logs",
  {
    id: uuid("id").primaryKey().default(timeOrderedIdDefault),
    orgId: uuid("org_id").notNull(),
    vendorAccountId: uuid("vendor_account_id").notNull(),
    method: text("method").notNull(),
    url: text("url").notNull(),
    requestHeaders: jsonb("request_headers").$type<Record<string, string>>().notNull().default({}),
    requestBody: text("request_body"),
    status: integer("status"),
    responseBody: text("response_body"),
    durationMs: integer("duration_ms").notNull(),
    error: text("error"),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    foreignKey({ name: "vendor_request_logs_account_fk", columns: [t.orgId, t.vendorAccountId], foreignColumns: [vendorAccounts.orgId, vendorAccounts.id] }).onDelete("cascade"),
    index("vendor_request_logs_account_at_idx").on(t.vendorAccountId, t.at.desc()),
  ],
);

export type VendorRequestLog = typeof vendorRequestLogs.$inferSelect;
