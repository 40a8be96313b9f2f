import { and, eq, inArray } from "drizzle-orm";
import { db, type DbOrTx } from "@/db";
import type { Campaign } from "@/db/schema/campaigns";
import { phoneNumbers, type PhoneNumber } from "@/db/schema/phone-numbers";
import { vendorAccounts, type VendorAccount } from "@/db/schema/vendor-accounts";
import { ActionError } from "@/lib/action-result";
import { areaCodeOf } from "@/lib/phone";
import { isUuid } from "@/lib/vendors/accounts";

/**
 * Who a campaign sends from: a vendor account, and on it either chosen numbers, a messaging
 * service, or (neither chosen) every number the account has. A campaign with none of these
 * is refused with the field at fault, and ids of another org's objects are "not found".
 */
export type CampaignSenderInput = {
  vendorAccountId?: string | null;
  phoneNumberIds?: string[];
  messagingServiceId?: string | null;
};
export type CampaignSender = { vendorAccountId: string; sender: { phoneNumberIds?: string[]; messagingServiceId?: string } };

export async function checkCampaignSender(orgId: string, input: CampaignSenderInput, q: DbOrTx = db): Promise<CampaignSender> {
  const { account, phoneNumberIds, messagingServiceId } = await resolveSender(orgId, input, q);
  return {
    vendorAccountId: account.id,
    sender: {
      ...(phoneNumberIds ? { phoneNumberIds } : {}),
      ...(messagingServiceId ? { messagingServiceId } : {}),
    },
  };
}

async function resolveSender(
  orgId: string,
  input: CampaignSenderInput,
  q: DbOrTx,
): Promise<{ account: VendorAccount; phoneNumberIds?: string[]; messagingServiceId?: string }> {
  if (!input.vendorAccountId) {
    throw fieldError(422, "vendorAccountId", "Choose the vendor account this campaign sends from");
  }
  const account = await accountOf(q, orgId, input.vendorAccountId);
  const serviceId = input.messagingServiceId?.trim() || undefined;
  const ids = [...new Set(input.phoneNumberIds ?? [])];
  if (ids.length > 0) {
    const found = ids.every(isUuid)
      ? await q
          .select({ id: phoneNumbers.id, vendorAccountId: phoneNumbers.vendorAccountId, e164: phoneNumbers.e164 })
          .from(phoneNumbers)
          .where(and(eq(phoneNumbers.orgId, orgId), inArray(phoneNumbers.id, ids)))
      : [];
    if (found.length !== ids.length) throw fieldError(404, "phoneNumberIds", "No such number");
    const elsewhere = found.find((n) => n.vendorAccountId !== account.id);
    if (elsewhere) throw fieldError(422, "phoneNumberIds", `${elsewhere.e164} is not on the vendor account “${account.name}”`);
    return { account, phoneNumberIds: ids, messagingServiceId: serviceId };
  }
  if (serviceId) return { account, messagingServiceId: serviceId };
  const [any] = await q
    .select({ id: phoneNumbers.id })
    .from(phoneNumbers)
    .where(and(eq(phoneNumbers.orgId, orgId), eq(phoneNumbers.vendorAccountId, account.id)))
    .limit(1);
  if (!any) {
    throw fieldError(
      422,
      "sender",
      `“${account.name}” has no numbers to send from: add one on the Numbers page, choose numbers, or give a messaging service`,
    );
  }
  return { account };
}

/** The senders a running campaign spreads its messages over, for the fan-out. */
export type SenderPool = { account: VendorAccount; numbers: PhoneNumber[]; messagingServiceId: string | null };

export async function loadSenderPool(campaign: Campaign, q: DbOrTx = db): Promise<SenderPool> {
  const checked = await resolveSender(campaign.orgId, { vendorAccountId: campaign.vendorAccountId, ...campaign.sender }, q);
  const { account, phoneNumberIds: ids } = checked;
  const serviceId = checked.messagingServiceId ?? null;
  // A messaging service alone: the vendor picks the number, so there is none to choose here.
  if (serviceId && !ids) return { account, numbers: [], messagingServiceId: serviceId };
  const numbers = await q
    .select()
    .from(phoneNumbers)
    .where(
      and(
        eq(phoneNumbers.orgId, campaign.orgId),
        eq(phoneNumbers.vendorAccountId, account.id),
        ids ? inArray(phoneNumbers.id, ids) : undefined,
      ),
    )
    .orderBy(phoneNumbers.e164);
  return { account, numbers, messagingServiceId: serviceId };
}

/**
 * One sender per contact: a number in the contact's area code when the pool has one (people
 * answer local numbers), else the pool's numbers in turn so the load spreads evenly.
 */
export function pickSender(
  pool: SenderPool,
  toE164: string,
  turn: number,
): { ourE164: string; number: PhoneNumber | null; messagingServiceId: string | null } {
  if (pool.numbers.length === 0)
    return { ourE164: pool.messagingServiceId!, number: null, messagingServiceId: pool.messagingServiceId };
  const area = areaCodeOf(toE164);
  const local = area ? pool.numbers.filter((n) => areaCodeOf(n.e164) === area) : [];
  const choices = local.length > 0 ? local : pool.numbers;
  const number = choices[turn % choices.length]!;
  return { ourE164: number.e164, number, messagingServiceId: pool.messagingServiceId ?? number.messagingServiceId };
}

async function accountOf(q: DbOrTx, orgId: string, accountId: string): Promise<VendorAccount> {
  const [account] = isUuid(accountId)
    ? await q
        .select()
        .from(vendorAccounts)
        .where(and(eq(vendorAccounts.orgId, orgId), eq(vendorAccounts.id, accountId)))
        .limit(1)
    : [];
  if (!account) throw fieldError(404, "vendorAccountId", "No such vendor account");
  if (!account.enabled) throw fieldError(422, "vendorAccountId", `The vendor account “${account.name}” is disabled`);
  return account;
}

function fieldError(status: 404 | 422, field: string, message: string): ActionError {
  return new ActionError(status, `${field}: ${message}`, { [field]: message });
}

/** The form's choices: the org's enabled accounts, each with its numbers. */
export async function listSenderOptions(
  orgId: string,
): Promise<{ id: string; name: string; numbers: { id: string; e164: string }[] }[]> {
  const [accounts, numbers] = await Promise.all([
    db
      .select({ id: vendorAccounts.id, name: vendorAccounts.name })
      .from(vendorAccounts)
      .where(and(eq(vendorAccounts.orgId, orgId), eq(vendorAccounts.enabled, true)))
      .orderBy(vendorAccounts.name),
    db
      .select({ id: phoneNumbers.id, e164: phoneNumbers.e164, vendorAccountId: phoneNumbers.vendorAccountId })
      .from(phoneNumbers)
      .where(eq(phoneNumbers.orgId, orgId))
      .orderBy(phoneNumbers.e164),
  ]);
  return accounts.map((a) => ({
    ...a,
    numbers: numbers.filter((n) => n.vendorAccountId === a.id).map(({ id, e164 }) => ({ id, e164 })),
  }));
}
