import { eq } from "drizzle-orm";
import { db } from "@/db";
import { vendorAccounts } from "@/db/schema/vendor-accounts";
import { currentKey, decryptSecret, encryptSecret, secretKeyId } from "./secrets";

/**
 * Re-encrypts every vendor secret under SECRETS_KEY, reading old values with
 * SECRETS_KEY_PREVIOUS. One transaction: if any value fails to decrypt, nothing changes.
 */
export async function rotateSecretsKey(): Promise<{ accounts: number; rewritten: number; alreadyCurrent: number }> {
  const key = currentKey();
  return db.transaction(async (tx) => {
    const rows = await tx.select({ id: vendorAccounts.id, orgId: vendorAccounts.orgId, secrets: vendorAccounts.secrets }).from(vendorAccounts).for("update");
    let rewritten = 0;
    let alreadyCurrent = 0;
    for (const row of rows) {
      const next: Record<string, string> = {};
      for (const [field, stored] of Object.entries(row.secrets)) {
        if (secretKeyId(stored) === key.id) {
          next[field] = stored;
          alreadyCurrent++;
          continue;
        }
        const context = { orgId: row.orgId, accountId: row.id, field };
        next[field] = encryptSecret(decryptSecret(stored, context), context, key);
        rewritten++;
      }
      await tx.update(vendorAccounts).set({ secrets: next }).where(eq(vendorAccounts.id, row.id));
    }
    return { accounts: rows.length, rewritten, alreadyCurrent };
  });
}
