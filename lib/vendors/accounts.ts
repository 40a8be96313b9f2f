import { randomUUID } from "node:crypto";
import { and, asc, count, desc, eq, inArray, sql } from "drizzle-orm";
import { db, type DbOrTx } from "@/db";
import { writeAudit } from "@/db/queries/audit";
import { messages } from "@/db/schema/messages";
import { orgs, type OrgFeatures } from "@/db/schema/orgs";
import { phoneNumbers } from "@/db/schema/phone-numbers";
import { vendorAccounts, type VendorAccount } from "@/db/schema/vendor-accounts";
import { vendorRequestLogs } from "@/db/schema/vendor-request-logs";
import { ActionError } from "@/lib/action-result";
import { encryptSecret } from "@/lib/crypto/secrets";
import { newToken } from "@/lib/tokens";
import { describeAccountConfig, describeConfig, describeDynamicFields, type ConfigFieldDescriptor } from "./config-form";
import { buildVendorContext, decryptAccountSecrets, webhookUrlFor } from "./context";
import { refuseSecondInterface } from "./exclusive";
import { pollInterval } from "./poll-interval";
import { getAdapter, isVendorKind, VENDOR_KINDS } from "./registry";
import type { AnyVendorAdapter, VendorKind } from "./types";

export type Actor = { userId: string | null; label: string };

/** What a page may show of an account: settings, which secrets are set (never their values), URLs. */
export type VendorAccountView = {
  id: string;
  kind: VendorKind;
  kindName: string;
  name: string;
  enabled: boolean;
  isDefault: boolean;
  fullyConfigured: boolean;
  config: Record<string, unknown>;
  secretsSet: string[];
  fields: ConfigFieldDescriptor[];
  webhookUrls: { action: string; url: string }[];
  numbers: number;
  lastActivityAt: Date | null;
  lastPollAt: Date | null;
  lastPollFetched: { replies: number; reports: number; other: number } | null;
  lastPollError: string | null;
  lastPollErrorAt: Date | null;
  /** Seconds between polls, for vendors (or modes) without webhooks; null otherwise. */
  pollIntervalSeconds: number | null;
  lastDeviceContactAt: Date | null;
  createdAt: Date;
};

export async function listVendorAccounts(orgId: string): Promise<VendorAccountView[]> {
  const [rows, counts, defaultId] = await Promise.all([
    db.select().from(vendorAccounts).where(eq(vendorAccounts.orgId, orgId)).orderBy(asc(vendorAccounts.name)),
    db
      .select({ accountId: phoneNumbers.vendorAccountId, n: count() })
      .from(phoneNumbers)
      .where(eq(phoneNumbers.orgId, orgId))
      .groupBy(phoneNumbers.vendorAccountId),
    resolveDefaultVendorAccountId(orgId),
  ]);
  const numbers = new Map(counts.map((c) => [c.accountId, c.n]));
  return rows.map((row) => toView(row, { numbers: numbers.get(row.id) ?? 0, isDefault: row.id === defaultId }));
}

/** One of the org's accounts, or 404: an id from another org is indistinguishable from none. */
export async function findVendorAccount(orgId: string, accountId: string): Promise<VendorAccount> {
  const [row] = await db
    .select()
    .from(vendorAccounts)
    .where(and(eq(vendorAccounts.orgId, orgId), eq(vendorAccounts.id, isUuid(accountId) ? accountId : "00000000-0000-0000-0000-000000000000")))
    .limit(1);
  if (!row) throw new ActionError(404, "Not found.");
  return row;
}

export async function getVendorAccountView(orgId: string, accountId: string): Promise<VendorAccountView> {
  const row = await findVendorAccount(orgId, accountId);
  const [[numbers], defaultId] = await Promise.all([
    db.select({ n: count() }).from(phoneNumbers).where(and(eq(phoneNumbers.orgId, orgId), eq(phoneNumbers.vendorAccountId, row.id))),
    resolveDefaultVendorAccountId(orgId),
  ]);
  return toView(row, { numbers: numbers?.n ?? 0, isDefault: row.id === defaultId });
}

/**
 * Creates or updates an account. Values are parsed by the adapter's own schema, with a
 * blank secret field keeping the stored value; secrets are encrypted per field under
 * "org|account|field". The audit log records which fields changed, never a value.
 */
export async function saveVendorAccount(
  orgId: string,
  actor: Actor,
  input: { id?: string; kind: string; name: string; values: Record<string, unknown> },
): Promise<VendorAccount> {
  if (!isVendorKind(input.kind)) {
    throw new ActionError(422, `kind: unknown vendor kind "${input.kind}"`, { kind: `Choose one of: ${VENDOR_KINDS.join(", ")}` });
  }
  const name = input.name.trim();
  if (!name || name.length > 80) throw new ActionError(422, "name: Use 1 to 80 characters", { name: "Use 1 to 80 characters" });
  const adapter = getAdapter(input.kind);
  const fields = describeConfig(adapter);
  const existing = input.id ? await findVendorAccount(orgId, input.id) : undefined;
  if (existing && existing.kind !== input.kind) throw new ActionError(422, "kind: an account's kind cannot change", { kind: "An account's kind cannot change" });
  const oldSecrets = existing ? decryptAccountSecrets(existing) : {};

  const merged: Record<string, unknown> = {};
  const changedSecrets: string[] = [];
  const mergeField = (field: ConfigFieldDescriptor) => {
    const raw = input.values[field.name];
    const blank = raw === undefined || raw === null || (typeof raw === "string" && raw.trim() === "");
    // Switchboard sets these (OAuth2 tokens); whatever the form sends, the stored value stays.
    if (field.managed) merged[field.name] = field.secret ? oldSecrets[field.name] : existing?.config[field.name];
    else if (field.secret) {
      if (blank) merged[field.name] = oldSecrets[field.name];
      else {
        merged[field.name] = typeof raw === "string" ? raw.trim() : raw;
        if (merged[field.name] !== oldSecrets[field.name]) changedSecrets.push(field.name);
      }
    } else if (field.type === "boolean") {
      merged[field.name] = raw === true || raw === "true" || raw === "on";
    } else {
      merged[field.name] = blank ? undefined : typeof raw === "string" ? raw.trim() : raw;
    }
  };
  fields.forEach(mergeField);
  // Fields the submitted settings themselves declare (the template vendor's properties), merged the same way.
  const declared = describeDynamicFields(adapter, merged);
  declared.forEach(mergeField);
  fields.push(...declared);
  const parsed = adapter.configSchema.safeParse(merged);
  if (!parsed.success) {
    const fieldErrors: Record<string, string> = {};
    for (const issue of parsed.error.issues) fieldErrors[String(issue.path[0] ?? "_form")] ??= issue.message;
    const [field, message] = Object.entries(fieldErrors)[0]!;
    const label = fields.find((f) => f.name === field)?.label ?? field;
    throw new ActionError(422, `${label}: ${message}`, fieldErrors);
  }
  const values = parsed.data as Record<string, unknown>;
  const id = existing?.id ?? randomUUID();
  const config: Record<string, unknown> = {};
  const secrets: Record<string, string> = {};
  for (const field of fields) {
    const value = values[field.name];
    if (value === undefined) continue;
    if (field.secret) secrets[field.name] = encryptSecret(String(value), { orgId, accountId: id, field: field.name });
    else config[field.name] = value;
  }
  const changedConfig = fields
    .filter((f) => !f.secret && JSON.stringify(existing?.config[f.name]) !== JSON.stringify(config[f.name]))
    .map((f) => f.name);
  if (existing && existing.name !== name) changedConfig.push("name");

  return db.transaction(async (tx) => {
    await refuseSecondInterface(tx, orgId, { id, kind: input.kind as VendorKind, config });
    let row: VendorAccount;
    if (existing) {
      [row] = (await tx
        .update(vendorAccounts)
        .set({ name, config, secrets, updatedAt: new Date() })
        .where(and(eq(vendorAccounts.orgId, orgId), eq(vendorAccounts.id, id)))
        .returning()) as [VendorAccount];
    } else {
      [row] = (await tx
        .insert(vendorAccounts)
        // An adapter that subscribes starts disabled: enabling is what gives the vendor our webhook URL.
        .values({ id, orgId, kind: input.kind, name, config, secrets, webhookToken: newToken("wh_", 24), enabled: !adapter.subscribe })
        .returning()) as [VendorAccount];
    }
    await writeAudit(
      {
        orgId,
        actorUserId: actor.userId,
        actorLabel: actor.label,
        action: existing ? "vendor_account.update" : "vendor_account.create",
        targetType: "vendor_account",
        targetId: id,
        details: { kind: input.kind, fields: existing ? changedConfig : fields.filter((f) => !f.secret && config[f.name] !== undefined).map((f) => f.name), secretsChanged: changedSecrets },
      },
      tx,
    );
    return row;
  });
}

export async function setVendorAccountEnabled(orgId: string, accountId: string, enabled: boolean, actor: Actor): Promise<void> {
  const account = await findVendorAccount(orgId, accountId);
  if (enabled) await subscribeWebhooks(account);
  await db.transaction(async (tx) => {
    await tx.update(vendorAccounts).set({ enabled, updatedAt: new Date() }).where(and(eq(vendorAccounts.orgId, orgId), eq(vendorAccounts.id, account.id)));
    await writeAudit({ orgId, actorUserId: actor.userId, actorLabel: actor.label, action: enabled ? "vendor_account.enable" : "vendor_account.disable", targetType: "vendor_account", targetId: account.id }, tx);
  });
}

/**
 * Gives the vendor our webhook URL where the adapter can (the template vendor's Subscribe),
 * before the account is enabled: a refusal leaves it disabled and says why.
 */
async function subscribeWebhooks(account: VendorAccount): Promise<void> {
  if (!isVendorKind(account.kind) || !getAdapter(account.kind).subscribe) return;
  try {
    const { adapter, ctx } = buildVendorContext(account);
    await adapter.subscribe!(ctx);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new ActionError(409, `The vendor refused the webhook subscription, so the account stays disabled: ${detail}`);
  }
}

/** Deletes an account, refusing while numbers or unsent messages depend on it. */
export async function deleteVendorAccount(orgId: string, accountId: string, actor: Actor): Promise<void> {
  const account = await findVendorAccount(orgId, accountId);
  await db.transaction(async (tx) => {
    await tx.execute(sql`select id from ${vendorAccounts} where ${vendorAccounts.id} = ${account.id} for update`);
    const [[numbers], [pending]] = await Promise.all([
      tx.select({ n: count() }).from(phoneNumbers).where(and(eq(phoneNumbers.orgId, orgId), eq(phoneNumbers.vendorAccountId, account.id))),
      tx
        .select({ n: count() })
        .from(messages)
        .where(and(eq(messages.orgId, orgId), eq(messages.vendorAccountId, account.id), inArray(messages.status, ["QUEUED", "SENDING"]))),
    ]);
    const reasons = [
      numbers!.n > 0 ? `${numbers!.n} phone number${numbers!.n === 1 ? "" : "s"} (release or move them first)` : null,
      pending!.n > 0 ? `${pending!.n} message${pending!.n === 1 ? "" : "s"} still waiting to send` : null,
    ].filter(Boolean);
    if (reasons.length > 0) throw new ActionError(409, `“${account.name}” can't be deleted while it has ${reasons.join(" and ")}.`);
    await tx.delete(vendorAccounts).where(and(eq(vendorAccounts.orgId, orgId), eq(vendorAccounts.id, account.id)));
    const [org] = await tx.select({ features: orgs.features }).from(orgs).where(eq(orgs.id, orgId)).for("update");
    if (org?.features.DEFAULT_SERVICE === account.id) {
      const { DEFAULT_SERVICE: _removed, ...rest } = org.features;
      await tx.update(orgs).set({ features: rest }).where(eq(orgs.id, orgId));
    }
    await writeAudit({ orgId, actorUserId: actor.userId, actorLabel: actor.label, action: "vendor_account.delete", targetType: "vendor_account", targetId: account.id, details: { kind: account.kind, name: account.name } }, tx);
  });
}

/** Makes an account the org's default (org feature DEFAULT_SERVICE holds its id). */
export async function setDefaultVendorAccount(orgId: string, accountId: string, actor: Actor): Promise<void> {
  const account = await findVendorAccount(orgId, accountId);
  await db.transaction(async (tx) => {
    const [org] = await tx.select({ features: orgs.features }).from(orgs).where(eq(orgs.id, orgId)).for("update");
    await tx.update(orgs).set({ features: { ...org!.features, DEFAULT_SERVICE: account.id } }).where(eq(orgs.id, orgId));
    await writeAudit({ orgId, actorUserId: actor.userId, actorLabel: actor.label, action: "vendor_account.set_default", targetType: "vendor_account", targetId: account.id }, tx);
  });
}

/**
 * The org's default vendor account, as Spoke resolves DEFAULT_SERVICE: the org feature
 * (an account id, or a vendor kind), else the DEFAULT_SERVICE environment variable (a kind);
 * a kind means the org's oldest enabled account of that kind. A caller that has the org's
 * features already passes them, and they are not read again.
 */
export async function resolveDefaultVendorAccountId(orgId: string, q: DbOrTx = db, known?: OrgFeatures): Promise<string | null> {
  const features = known ?? (await q.select({ features: orgs.features }).from(orgs).where(eq(orgs.id, orgId)).limit(1))[0]?.features;
  const choices = [features?.DEFAULT_SERVICE, process.env.DEFAULT_SERVICE].filter((c): c is string => Boolean(c));
  for (const choice of choices) {
    const byId = isUuid(choice)
      ? await q.select({ id: vendorAccounts.id }).from(vendorAccounts).where(and(eq(vendorAccounts.orgId, orgId), eq(vendorAccounts.id, choice))).limit(1)
      : await q
          .select({ id: vendorAccounts.id })
          .from(vendorAccounts)
          .where(and(eq(vendorAccounts.orgId, orgId), eq(vendorAccounts.kind, choice), eq(vendorAccounts.enabled, true)))
          .orderBy(asc(vendorAccounts.createdAt))
          .limit(1);
    if (byId[0]) return byId[0].id;
  }
  return null;
}

export async function listVendorRequestLogs(orgId: string, accountId: string, limit = 100) {
  const account = await findVendorAccount(orgId, accountId);
  return db
    .select()
    .from(vendorRequestLogs)
    .where(and(eq(vendorRequestLogs.orgId, orgId), eq(vendorRequestLogs.vendorAccountId, account.id)))
    .orderBy(desc(vendorRequestLogs.at))
    .limit(Math.min(limit, 100));
}

function toView(row: VendorAccount, extra: { numbers: number; isDefault: boolean }): VendorAccountView {
  // An account whose kind this build has no adapter for (removed, or written by a newer version) is listed, not usable.
  const adapter = isVendorKind(row.kind) ? getAdapter(row.kind) : undefined;
  return {
    id: row.id,
    kind: row.kind as VendorKind,
    kindName: adapter?.displayName ?? `Unknown vendor (${row.kind})`,
    name: row.name,
    enabled: row.enabled,
    isDefault: extra.isDefault,
    fullyConfigured: adapter ? isFullyConfigured(adapter, row) : false,
    config: adapter ? row.config : {},
    secretsSet: Object.keys(row.secrets),
    fields: adapter ? describeAccountConfig(adapter, row.config) : [],
    webhookUrls: Object.keys(adapter?.webhooks ?? {}).map((action) => ({ action, url: webhookUrlFor(row.kind, row.webhookToken, action) })),
    numbers: extra.numbers,
    lastActivityAt: row.lastActivityAt,
    lastPollAt: row.lastPollAt,
    lastPollFetched: row.lastPollFetched,
    lastPollError: row.lastPollError,
    lastPollErrorAt: row.lastPollErrorAt,
    pollIntervalSeconds: pollInterval(row) ?? null,
    lastDeviceContactAt: row.lastDeviceContactAt,
    createdAt: row.createdAt,
  };
}

function isFullyConfigured(adapter: AnyVendorAdapter, row: VendorAccount): boolean {
  try {
    // Decrypted only to judge completeness here; the view returns which secrets are set, never values.
    return adapter.fullyConfigured(adapter.configSchema.parse({ ...row.config, ...decryptAccountSecrets(row) }));
  } catch {
    return false;
  }
}

export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
