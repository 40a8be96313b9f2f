import { desc, eq, lt, and } from "drizzle-orm";
import { db, type DbOrTx } from "@/db";
import { auditLog } from "@/db/schema/audit-log";
import { users } from "@/db/schema/users";

export type AuditInput = {
  orgId: string;
  actorUserId: string | null;
  actorLabel: string;
  action: string;
  targetType?: string;
  targetId?: string;
  /** Names of what changed (fields, roles); never a secret or a value typed into a secret field. */
  details?: Record<string, unknown>;
};

export async function writeAudit(entry: AuditInput, q: DbOrTx = db): Promise<void> {
  await q.insert(auditLog).values({ ...entry, details: entry.details ?? {} });
}

export async function listAuditForOrg(orgId: string, opts: { before?: Date; limit?: number } = {}) {
  const limit = Math.min(opts.limit ?? 50, 200);
  return db
    .select({
      id: auditLog.id,
      action: auditLog.action,
      actorLabel: auditLog.actorLabel,
      actorName: users.name,
      targetType: auditLog.targetType,
      targetId: auditLog.targetId,
      details: auditLog.details,
      at: auditLog.at,
    })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorUserId))
    .where(opts.before ? and(eq(auditLog.orgId, orgId), lt(auditLog.at, opts.before)) : eq(auditLog.orgId, orgId))
    .orderBy(desc(auditLog.at))
    .limit(limit);
}
