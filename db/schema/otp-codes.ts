import { index, integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { apiKeys } from "./api-keys";
import { messages } from "./messages";
import { orgs } from "./orgs";

/** One-time passcodes sent through the API: only a hash of the code is kept, with an expiry and an attempt count. */
export const otpCodes = pgTable(
  "otp_codes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull().references(() => orgs.id, { onDelete: "cascade" }),
    e164: text("e164").notNull(),
    codeHash: text("code_hash").notNull(),
    messageId: uuid("message_id").references(() => messages.id, { onDelete: "set null" }),
    apiKeyId: uuid("api_key_id").references(() => apiKeys.id, { onDelete: "set null" }),
    attempts: integer("attempts").notNull().default(0),
    maxAttempts: integer("max_attempts").notNull().default(5),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    verifiedAt: timestamp("verified_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("otp_codes_org_e164_idx").on(t.orgId, t.e164, t.createdAt.desc())],
);

export type OtpCode = typeof otpCodes.$inferSelect;
