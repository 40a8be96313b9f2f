import { index, integer, pgEnum, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { orgs } from "./orgs";
import { users } from "./users";
import { vendorAccounts } from "./vendor-accounts";

export const NUMBER_ORDER_STATUSES = ["QUEUED", "RUNNING", "DONE", "FAILED"] as const;
export const numberOrderStatusEnum = pgEnum("number_order_status", NUMBER_ORDER_STATUSES);

/** A "buy N numbers in area code X" request, worked by the buy-numbers job; its progress bar reads this row. */
export const numberOrders = pgTable(
  "number_orders",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull().references(() => orgs.id, { onDelete: "cascade" }),
    vendorAccountId: uuid("vendor_account_id")
      .notNull()
      .references(() => vendorAccounts.id, { onDelete: "cascade" }),
    areaCode: text("area_code").notNull(),
    quantity: integer("quantity").notNull(),
    bought: integer("bought").notNull().default(0),
    failed: integer("failed").notNull().default(0),
    status: numberOrderStatusEnum("status").notNull().default("QUEUED"),
    error: text("error"),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [index("number_orders_org_created_idx").on(t.orgId, t.createdAt.desc())],
);

export type NumberOrder = typeof numberOrders.$inferSelect;
