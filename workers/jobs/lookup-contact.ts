import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { db } from "@/db";
import { contacts } from "@/db/schema/contacts";
import { orgs } from "@/db/schema/orgs";
import { vendorAccounts } from "@/db/schema/vendor-accounts";
import { resolveDefaultVendorAccountId } from "@/lib/vendors/accounts";
import { buildVendorContext } from "@/lib/vendors/context";
import { VendorError } from "@/lib/vendors/errors";
import type { LookupResult } from "@/lib/vendors/types";
import { DEFAULT_COUNTRY } from "@/lib/time";
import { defineJob } from "../define-job";

const RETRY_LIMIT = 3;

/** Status -4: the vendor could not say (Spoke's "lookup error"). */
const LOOKUP_ERROR: LookupResult = { statusCode: -4, lineType: "unknown" };

/** Looks a contact's number up with the org's default vendor (free lookup first) and sets status_code. */
export const lookupContactJob = defineJob({
  name: "lookup-contact",
  schema: z.object({ orgId: z.string().uuid(), contactId: z.string().uuid() }),
  queue: { retryLimit: RETRY_LIMIT, retryDelay: 10, retryBackoff: true },
  // An import queues thousands at once: keep fetching while batches come back full.
  work: { batchSize: 50, pollingIntervalSeconds: 1, burstWhenBatchFull: true },
  async run({ orgId, contactId }, job) {
    const [contact] = await db
      .select({ id: contacts.id, e164: contacts.e164 })
      .from(contacts)
      .where(and(eq(contacts.orgId, orgId), eq(contacts.id, contactId)))
      .limit(1);
    if (!contact) return;
    // No default vendor (or a disabled one): nothing to ask, and the status stays as it is.
    const accountId = await resolveDefaultVendorAccountId(orgId);
    if (!accountId) return;
    const [[account], [org]] = await Promise.all([
      db
        .select()
        .from(vendorAccounts)
        .where(and(eq(vendorAccounts.orgId, orgId), eq(vendorAccounts.id, accountId)))
        .limit(1),
      db.select({ features: orgs.features }).from(orgs).where(eq(orgs.id, orgId)).limit(1),
    ]);
    if (!account || !account.enabled) return;
    const { adapter, ctx } = buildVendorContext(account, { defaultCountry: org?.features.defaultCountry ?? DEFAULT_COUNTRY });
    const lookup = adapter.freeLookup ?? adapter.lookup;
    if (!lookup) return;

    let result: LookupResult;
    try {
      result = await lookup(ctx, contact.e164);
    } catch (error) {
      const retryable = error instanceof VendorError && error.retryable;
      // pg-boss retries what we throw; the last attempt records the failure instead of leaving the status stale.
      if (retryable && job.retryCount < RETRY_LIMIT) throw error;
      console.error(`[lookup-contact] ${contactId}: ${error instanceof Error ? error.message : String(error)}`);
      result = LOOKUP_ERROR;
    }
    // Only the number that was looked up: an edit in the meantime queued its own lookup.
    await db
      .update(contacts)
      .set({
        statusCode: result.statusCode,
        carrier: result.carrier ?? null,
        lineType: result.lineType ?? null,
        lookedUpAt: new Date(),
        updatedAt: new Date(),
      })
      .where(and(eq(contacts.orgId, orgId), eq(contacts.id, contact.id), eq(contacts.e164, contact.e164)));
  },
});
