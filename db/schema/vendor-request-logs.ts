import { index, integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { orgs } from "./orgs";
import { vendorAccounts } from "./vendor-accounts";

/** Each HTTP exchange with a vendor, secrets redacted before they get here (lib/vendors/http.ts). */
export const vendorRequestLogs = pgTable(
  "vendor_request_logs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull().references(() => orgs.id, { onDelete: "cascade" }),
    vendorAccountId: uuid("vendor_account_id")
      .notNull()
      .references(() => vendorAccounts.id, { onDelete: "cascade" }),
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
  (t) => [index("vendor_request_logs_account_at_idx").on(t.vendorAccountId, t.at.desc())],
);

export type VendorRequestLog = typeof vendorRequestLogs.$inferSelect;
