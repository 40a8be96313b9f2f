import { and, desc, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import { db } from "@/db";
import { writeAudit } from "@/db/queries/audit";
import { apiKeys } from "@/db/schema/api-keys";
import { ActionError } from "./action-result";
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

/** A key as the API knows its caller: the key's id, its org, and the prefix shown in the key list. */
export type ApiKeyIdentity = { keyId: string; orgId: string; prefix: string };

/** The hash a presented key is stored under, or null for what cannot be one of our keys. */
export function presentedKeyHash(presented: string): string | null {
  return presented.startsWith(API_KEY_PREFIX) && presented.length <= 200 ? sha256(presented) : null;
}

/** When this process last wrote each key's "last used", so that calls read together write it once. */
const notedAt = new Map<string, number>();

/**
 * Records a key's use, to the minute (`lastUsedAt` as read with the key): written on every request,
 * it would lock the key's row on each call of a busy integration.
 */
export async function noteKeyUsed(keyId: string, lastUsedAt: Date | null): Promise<void> {
  const now = Date.now();
  if (now - Math.max(lastUsedAt?.getTime() ?? 0, notedAt.get(keyId) ?? 0) <= 60_000) return;
  if (notedAt.size >= 10_000) notedAt.clear();
  notedAt.set(keyId, now);
  await db.update(apiKeys).set({ lastUsedAt: new Date(now) }).where(eq(apiKeys.id, keyId));
}
