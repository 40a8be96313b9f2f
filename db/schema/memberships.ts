import { pgEnum, pgTable, timestamp, uuid, uniqueIndex, index } from "drizzle-orm/pg-core";
import { orgs } from "./orgs";
import { users } from "./users";

export const ROLES = ["OWNER", "ADMIN", "SUPERVOLUNTEER", "TEXTER"] as const;
export const roleEnum = pgEnum("role", ROLES);
export type Role = (typeof ROLES)[number];

export const memberships = pgTable(
  "memberships",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull().references(() => orgs.id, { onDelete: "cascade" }),
    userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    role: roleEnum("role").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("memberships_org_user_key").on(t.orgId, t.userId),
    index("memberships_user_idx").on(t.userId),
  ],
);

export type Membership = typeof memberships.$inferSelect;
