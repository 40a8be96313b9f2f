import { and, eq, sql } from "drizzle-orm";
import { db } from "@/db";
import { vendorAccounts, type VendorAccount } from "@/db/schema/vendor-accounts";
import { vendorRequestLogs } from "@/db/schema/vendor-request-logs";
import { decryptSecret, encryptSecret } from "@/lib/crypto/secrets";
import { publicUrl } from "@/lib/env";
import { DEFAULT_COUNTRY } from "@/lib/time";
import { createVendorHttp } from "./http";
import { getAdapter, isVendorKind } from "./registry";
import type { AnyVendorAdapter, VendorContext } from "./types";

/**
 * Where a vendor reaches this account: the path carries the unguessable token. External
 * accounts get RapidPro's path shape (app/c/ex), which gateways written for RapidPro expect.
 */
export function webhookUrlFor(kind: string, token: string, action: string): string {
  if (kind === "external") return `${publicUrl()}/c/ex/${token}/${action}`;
  return `${publicUrl()}/api/webhooks/${kind}/${token}/${action}`;
}

/** Every secret of the account, decrypted; only for building a context, never for a page. */
export function decryptAccountSecrets(account: Pick<VendorAccount, "id" | "orgId" | "secrets">): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, stored] of Object.entries(account.secrets)) {
    out[field] = decryptSecret(stored, { orgId: account.orgId, accountId: account.id, field });
  }
  return out;
}

/**
 * Adds or replaces some of an account's secrets, encrypted per field, leaving the others:
 * merged in the database, so an owner saving the settings meanwhile loses nothing.
 */
export async function storeAccountSecrets(
  account: Pick<VendorAccount, "id" | "orgId">,
  values: Record<string, string>,
): Promise<void> {
  const encrypted = Object.fromEntries(
    Object.entries(values).map(([field, value]) => [
      field,
      encryptSecret(value, { orgId: account.orgId, accountId: account.id, field }),
    ]),
  );
  await db
    .update(vendorAccounts)
    .set({ secrets: sql`${vendorAccounts.secrets} || ${JSON.stringify(encrypted)}::jsonb`, updatedAt: new Date() })
    .where(and(eq(vendorAccounts.orgId, account.orgId), eq(vendorAccounts.id, account.id)));
}

/**
 * The context an adapter works with: config and secrets parsed by its own schema, HTTP
 * that logs each exchange to the account's Logs tab (secrets redacted), and URLs.
 */
export function buildVendorContext(
  account: VendorAccount,
  options: { defaultCountry?: string; logRequests?: boolean } = {},
): { adapter: AnyVendorAdapter; ctx: VendorContext } {
  if (!isVendorKind(account.kind)) throw new Error(`unknown vendor kind ${account.kind}`);
  const adapter = getAdapter(account.kind);
  const secrets = decryptAccountSecrets(account);
  const config = adapter.configSchema.parse({ ...account.config, ...secrets }) as Record<string, unknown>;
  const http = createVendorHttp({
    secrets: [...Object.values(secrets), account.webhookToken],
    record:
      options.logRequests === false
        ? undefined
        : async (entry) => {
            await db.insert(vendorRequestLogs).values({ orgId: account.orgId, vendorAccountId: account.id, ...entry });
            await db.update(vendorAccounts).set({ lastActivityAt: new Date() }).where(eq(vendorAccounts.id, account.id));
          },
  });
  const ctx: VendorContext = {
    account: { id: account.id, orgId: account.orgId, kind: account.kind, name: account.name, webhookToken: account.webhookToken },
    config,
    http,
    webhookUrl: (action) => webhookUrlFor(account.kind, account.webhookToken, action),
    defaultCountry: options.defaultCountry ?? DEFAULT_COUNTRY,
    // A refreshed OAuth2 token is kept (encrypted), so the next send does not refresh again.
    saveSecrets: (values) => storeAccountSecrets(account, values),
    lastDeviceContactAt: account.lastDeviceContactAt,
    requiredCountry: process.env.PHONE_NUMBER_COUNTRY || undefined,
    now: () => new Date(),
  };
  return { adapter, ctx };
}
