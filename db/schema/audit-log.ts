import { jsonb, pgTable, text, timestamp, uuid, index } from "drizzle-orm/pg-core";
import { orgs } from "./orgs";
import { users } from "./users";
import { timeOrderedIdDefault } from "../ids";

export const auditLog = pgTable(
  "audit_log",
  {
    id: uuid("id").primaryKey().default(timeOrderedIdDefault),
    orgId: uuid("org_id").notNull().references(() => orgs.id, { onDelete: "cascade" }),
    actorUserId: uuid("actor_user_id").references(() => users.id, { onDelete: "set null" }),
    /** "cli" or "api:<key prefix>" when no user acted. */
    actorLabel: text("actor_label").notNull(),
    action: text("action").notNull(),
    targetType: text("target_type"),
    targetId: text("target_id"),
    /** Names of fields changed, never their values. */
    details: jsonb("details").$type<Record<string, unknown>>().notNull().default({}),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("audit_log_org_at_idx").on(t.orgId, t.at.desc())],
);

export type AuditEntry = typeof auditLog.$inferSelect;
