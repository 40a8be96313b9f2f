import { jsonb, pgEnum, pgTable, real, text, timestamp, uuid, uniqueIndex, index } from "drizzle-orm/pg-core";
import { orgs } from "./orgs";
import { users } from "./users";
import { vendorAccounts } from "./vendor-accounts";

export const SENDER_TYPES = ["LONG_CODE", "TOLL_FREE", "SHORT_CODE", "ALPHANUMERIC"] as const;
export const senderTypeEnum = pgEnum("sender_type", SENDER_TYPES);
export type SenderType = (typeof SENDER_TYPES)[number];

export type NumberCapabilities = { sms: boolean; mms: boolean; voice: boolean };

export const phoneNumbers = pgTable(
  "phone_numbers",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull().references(() => orgs.id, { onDelete: "cascade" }),
    vendorAccountId: uuid("vendor_account_id")
      .notNull()
      .references(() => vendorAccounts.id, { onDelete: "restrict" }),
    e164: text("e164").notNull(),
    capabilities: jsonb("capabilities").$type<NumberCapabilities>().notNull().default({ sms: true, mms: false, voice: false }),
    senderType: senderTypeEnum("sender_type").notNull().default("LONG_CODE"),
    /** Messages per second; null means the sender type's default. */
    rate: real("rate"),
    messagingServiceId: text("messaging_service_id"),
    vendorNumberId: text("vendor_number_id"),
    assignedUserId: uuid("assigned_user_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("phone_numbers_org_e164_key").on(t.orgId, t.e164),
    index("phone_numbers_account_idx").on(t.vendorAccountId),
    index("phone_numbers_e164_idx").on(t.e164),
  ],
);

export type PhoneNumber = typeof phoneNumbers.$inferSelect;
