import { and, eq, inArray, ne, sql } from "drizzle-orm";
import type { Tx } from "@/db";
import { vendorAccounts } from "@/db/schema/vendor-accounts";
import { ActionError } from "@/lib/action-result";
import { getAdapter } from "./registry";
import type { VendorKind } from "./types";

/**
 * Vendor interfaces that one vendor account cannot use at once. MessageMedia sets each of its
 * accounts up for SOAP or for REST, never both (the Humanforce seed), so an org may not
 * connect the same MessageMedia username through both of our kinds: one of them would fail.
 */
const EXCLUSIVE: { kinds: VendorKind[]; field: string; vendor: string }[] = [
  { kinds: ["messagemedia-rest", "messagemedia-soap"], field: "username", vendor: "MessageMedia" },
];

/** Refuses (422, at the field) an account whose identity another account of the org already uses through the other interface. */
export async function refuseSecondInterface(
  tx: Tx,
  orgId: string,
  account: { id: string; kind: VendorKind; config: Record<string, unknown> },
): Promise<void> {
  const group = EXCLUSIVE.find((g) => g.kinds.includes(account.kind));
  const identity = group ? account.config[group.field] : undefined;
  if (!group || typeof identity !== "string") return;
  // Two saves at once must not both pass the check.
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`exclusive:${orgId}:${group.vendor}`}, 0))`);
  const others = group.kinds.filter((kind) => kind !== account.kind);
  const [clash] = await tx
    .select({ name: vendorAccounts.name, kind: vendorAccounts.kind })
    .from(vendorAccounts)
    .where(
      and(
        eq(vendorAccounts.orgId, orgId),
        inArray(vendorAccounts.kind, others),
        ne(vendorAccounts.id, account.id),
        sql`lower(${vendorAccounts.config} ->> ${group.field}) = lower(${identity})`,
      ),
    )
    .limit(1);
  if (!clash) return;
  const theirs = getAdapter(clash.kind as VendorKind).displayName;
  const message = `“${clash.name}” already connects this ${group.vendor} account through ${theirs}. A ${group.vendor} account is set up for one interface only, so use that account, or ask ${group.vendor} for a second account for this one.`;
  throw new ActionError(422, `${group.field}: ${message}`, { [group.field]: message });
}
