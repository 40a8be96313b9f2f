import { and, desc, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import { db } from "@/db";
import { anyOf } from "@/db/any-of";
import { writeAudit } from "@/db/queries/audit";
import { apiKeys } from "@/db/schema/api-keys";
import { ActionError } from "./action-result";
import { coalesce } from "./coalesce";
import { newToken, sha256 } from "./tokens";

export const API_KEY_PREFIX = "sb_live_";

export const apiKeyNameSchema = z.string().trim().min(1, "Name the key after the system that uses it").max(80, "Use at most 80 characters");

/** Creates a key; the whole key is returned this once and only its hash is kept. */
export async function createApiKey(input: { orgId: string; name: string; createdBy: string | null; actorLabel: string }) {
  const key = newToken(API_KEY_PREFIX, 32);
  const prefix = key.slice(0, API_KEY_PREFIX.length + 6);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(apiKeys)
      .values({ orgId: input.orgId, name: input.name.trim(), hash: sha256(key), prefix, createdBy: input.createdBy })
      .returning({ id: apiKeys.id, name: apiKeys.name, prefix: apiKeys.prefix, createdAt: apiKeys.createdAt });
    await writeAudit(
      { orgId: input.orgId, actorUserId: input.createdBy, actorLabel: input.actorLabel, action: "api_key.create", targetType: "api_key", targetId: row!.id, details: { name: row!.name } },
      tx,
    );
    return { ...row!, key };
  });
}

export async function listApiKeys(orgId: string) {
  return db
    .select({ id: apiKeys.id, name: apiKeys.name, prefix: apiKeys.prefix, lastUsedAt: apiKeys.lastUsedAt, revokedAt: apiKeys.revokedAt, createdAt: apiKeys.createdAt })
    .from(apiKeys)
    .where(eq(apiKeys.orgId, orgId))
    .orderBy(desc(apiKeys.createdAt));
}

export async function revokeApiKey(orgId: string, keyId: string, actorUserId: string): Promise<void> {
  await db.transaction(async (tx) => {
    const rows = await tx
      .update(apiKeys)
      .set({ revokedAt: new Date() })
      .where(and(eq(apiKeys.orgId, orgId), eq(apiKeys.id, keyId), isNull(apiKeys.revokedAt)))
      .returning({ id: apiKeys.id, name: apiKeys.name });
    if (rows.length === 0) throw new ActionError(404, "Not found.");
    await writeAudit({ orgId, actorUserId, actorLabel: "user", action: "api_key.revoke", targetType: "api_key", targetId: keyId, details: { name: rows[0]!.name } }, tx);
  });
}

/**
 * The org a presented key belongs to, or null. Keys presented together (a busy integration's
 * concurrent calls) are looked up in one query. "Last used" is kept to the minute: writing
 * it on every request would lock the key's row on each call of a busy integration.
 */
export async function authenticateApiKey(presented: string): Promise<{ keyId: string; orgId: string; prefix: string } | null> {
  if (!presented.startsWith(API_KEY_PREFIX) || presented.length > 200) return null;
  const row = await lookUpTogether(sha256(presented));
  if (!row) return null;
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
    row.lastUsedAt = new Date();
    await db.update(apiKeys).set({ lastUsedAt: row.lastUsedAt }).where(eq(apiKeys.id, row.keyId));
  }
  return { keyId: row.keyId, orgId: row.orgId, prefix: row.prefix };
}

/** Unrevoked keys by their hashes: each caller gets its own key's row, or null. */
const lookUpTogether = coalesce<string, { keyId: string; orgId: string; prefix: string; hash: string; lastUsedAt: Date | null } | null>(
  async (hashes) => {
    const rows = await db
      .select({ keyId: apiKeys.id, orgId: apiKeys.orgId, prefix: apiKeys.prefix, hash: apiKeys.hash, lastUsedAt: apiKeys.lastUsedAt })
      .from(apiKeys)
      .where(and(anyOf(apiKeys.hash, [...new Set(hashes)]), isNull(apiKeys.revokedAt)));
    const byHash = new Map(rows.map((row) => [row.hash, row]));
    return hashes.map((hash) => byHash.get(hash) ?? null);
  },
  { windowMs: 1, max: 200 },
);
