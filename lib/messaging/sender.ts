import { and, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db";
import type { Conversation } from "@/db/schema/conversations";
import { phoneNumbers, type PhoneNumber } from "@/db/schema/phone-numbers";
import { vendorAccounts, type VendorAccount } from "@/db/schema/vendor-accounts";
import { ActionError } from "@/lib/action-result";
import { DEFAULT_RATES } from "@/lib/numbers";
import { areaCodeOf, toE164 } from "@/lib/phone";
import { isUuid, resolveDefaultVendorAccountId } from "@/lib/vendors/accounts";
import { buildVendorContext } from "@/lib/vendors/context";

/** Who a message goes from: one of our numbers, or a messaging service of the account. */
export type Sender = {
  account: VendorAccount;
  number: PhoneNumber | null;
  messagingServiceId: string | null;
  /** The thread's key on our side: the number, or the messaging service id. */
  ourE164: string;
  /** Messages per second for this sender, shared by every worker. */
  rate: number;
};

/**
 * Picks the sender: an explicit `from` (one of the org's numbers); else the number the
 * conversation already uses; else the requested or default vendor account, preferring a
 * number in the contact's area code, or the account's messaging service.
 */
export async function chooseSender(
  q: DbOrTx,
  input: { orgId: string; toE164: string; defaultCountry: string; from?: string; vendorAccountId?: string; conversation?: Conversation },
): Promise<Sender> {
  if (input.from) {
    const parsed = toE164(input.from, input.defaultCountry);
    if (!parsed.ok) throw new ActionError(422, `from: ${parsed.reason}`, { from: parsed.reason });
    const number = await numberByE164(q, input.orgId, parsed.e164);
    if (!number) throw new ActionError(422, `from: ${parsed.e164} is not one of this organization's numbers`, { from: "Not one of this organization's numbers" });
    return senderFor(await usableAccount(q, input.orgId, number.vendorAccountId, "from"), number);
  }
  if (input.conversation?.phoneNumberId && !input.vendorAccountId) {
    const [number] = await q.select().from(phoneNumbers).where(and(eq(phoneNumbers.orgId, input.orgId), eq(phoneNumbers.id, input.conversation.phoneNumberId))).limit(1);
    if (number) return senderFor(await usableAccount(q, input.orgId, number.vendorAccountId, "from"), number);
  }
  // Inside the caller's transaction: a second pool connection per send would deadlock a full pool.
  const accountId = input.vendorAccountId ?? (await resolveDefaultVendorAccountId(input.orgId, q));
  if (!accountId) {
    throw new ActionError(422, "vendorAccountId: this organization has no default vendor account; choose one on the Vendors page", { vendorAccountId: "No default vendor account" });
  }
  const account = await usableAccount(q, input.orgId, accountId, "vendorAccountId");
  const areaCode = areaCodeOf(input.toE164) ?? "";
  const [number] = await q
    .select()
    .from(phoneNumbers)
    .where(and(eq(phoneNumbers.orgId, input.orgId), eq(phoneNumbers.vendorAccountId, account.id)))
    // A local number first (people answer local numbers), then spread the load across the rest.
    .orderBy(sql`(substr(${phoneNumbers.e164}, 3, 3) = ${areaCode}) desc`, sql`random()`)
    .limit(1);
  if (number) return senderFor(account, number);
  const { adapter, ctx } = buildVendorContext(account, { logRequests: false });
  const service = adapter.messagingServiceFor?.(ctx, { e164: input.toE164 });
  if (service) return { account, number: null, messagingServiceId: service, ourE164: service, rate: DEFAULT_RATES.SHORT_CODE };
  throw new ActionError(422, `vendorAccountId: “${account.name}” has no numbers to send from; add or buy one on the Numbers page`, {
    vendorAccountId: "This vendor account has no numbers",
  });
}

export function senderFor(account: VendorAccount, number: PhoneNumber): Sender {
  return { account, number, messagingServiceId: number.messagingServiceId, ourE164: number.e164, rate: number.rate ?? DEFAULT_RATES[number.senderType] };
}

async function numberByE164(q: DbOrTx, orgId: string, e164: string): Promise<PhoneNumber | undefined> {
  const [row] = await q.select().from(phoneNumbers).where(and(eq(phoneNumbers.orgId, orgId), eq(phoneNumbers.e164, e164))).limit(1);
  return row;
}

async function usableAccount(q: DbOrTx, orgId: string, accountId: string, field: string): Promise<VendorAccount> {
  if (!isUuid(accountId)) throw new ActionError(404, `${field}: no such vendor account`, { [field]: "No such vendor account" });
  const [account] = await q.select().from(vendorAccounts).where(and(eq(vendorAccounts.orgId, orgId), eq(vendorAccounts.id, accountId))).limit(1);
  if (!account) throw new ActionError(404, `${field}: no such vendor account`, { [field]: "No such vendor account" });
  if (!account.enabled) throw new ActionError(422, `${field}: the vendor account “${account.name}” is disabled`, { [field]: "The vendor account is disabled" });
  return account;
}
