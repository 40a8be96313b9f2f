import { and, eq, isNull, lt, or, sql } from "drizzle-orm";
import { db, type Tx } from "@/db";
import { commitWithoutFlush } from "@/db/commit";
import { insertRows } from "@/db/bulk-insert";
import { vendorAccounts, type VendorAccount } from "@/db/schema/vendor-accounts";
import { vendorRequestLogs } from "@/db/schema/vendor-request-logs";
import { decryptSecret, encryptSecret } from "@/lib/crypto/secrets";
import { publicUrl } from "@/lib/env";
import { DEFAULT_COUNTRY } from "@/lib/time";
import { createVendorHttp, type VendorRequestRecord } from "./http";
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
  options: {
    defaultCountry?: string;
    logRequests?: boolean;
    /** Takes each exchange instead of writing it at once: a batch of sends writes its logs together (writeRequestLogs). */
    recordRequest?: (entry: VendorRequestRecord) => void;
  } = {},
): { adapter: AnyVendorAdapter; ctx: VendorContext } {
  if (!isVendorKind(account.kind)) throw new Error(`unknown vendor kind ${account.kind}`);
  const adapter = getAdapter(account.kind);
  const secrets = decryptAccountSecrets(account);
  const config = adapter.configSchema.parse({ ...account.config, ...secrets }) as Record<string, unknown>;
  const http = createVendorHttp({
    secrets: [...Object.values(secrets), account.webhookToken],
    record: options.logRequests === false ? undefined : (options.recordRequest ?? ((entry) => writeRequestLogs(account, [entry]))),
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

/** Writes exchanges with the vendor to the account's Logs tab, and notes the account's last activity. */
export async function writeRequestLogs(
  account: Pick<VendorAccount, "id" | "orgId" | "lastActivityAt">,
  entries: VendorRequestRecord[],
): Promise<void> {
  if (entries.length === 0) return;
  // A record of what was said, not what was done: a crash of PostgreSQL may lose the last of them (db/commit.ts).
  await db.transaction(async (tx) => {
    await commitWithoutFlush(tx);
    await insertRows(tx, vendorRequestLogs, entries.map((entry) => ({ orgId: account.orgId, vendorAccountId: account.id, ...entry })));
    await touchLastActivity(tx, account);
  });
}

/** The vendor list shows when an account last talked to its vendor; to the minute is enough. */
const ACTIVITY_RESOLUTION_MS = 30_000;

/**
 * Records that the account just talked to its vendor. Every send would otherwise update the
 * same row, and concurrent sends of one account would queue on its lock: the row is written
 * only when its time is older than ACTIVITY_RESOLUTION_MS, and not even read when the copy
 * in hand is recent.
 */
async function touchLastActivity(tx: Tx, account: Pick<VendorAccount, "id" | "lastActivityAt">): Promise<void> {
  const now = Date.now();
  if (account.lastActivityAt && now - account.lastActivityAt.getTime() < ACTIVITY_RESOLUTION_MS) return;
  const stale = new Date(now - ACTIVITY_RESOLUTION_MS);
  await tx
    .update(vendorAccounts)
    .set({ lastActivityAt: new Date(now) })
    .where(and(eq(vendorAccounts.id, account.id), or(isNull(vendorAccounts.lastActivityAt), lt(vendorAccounts.lastActivityAt, stale))));
}
