import { sql } from "drizzle-orm";
import { db } from "@/db";
import { createCampaign } from "@/lib/campaigns/campaigns";
import type { Actor } from "@/lib/vendors/accounts";

/** `n` contacts for an org in one statement: +12023000001 onwards, "First i Last i". */
export async function seedContacts(orgId: string, n: number): Promise<void> {
  await db.execute(sql`
    insert into contacts (org_id, e164, first_name, last_name)
    select ${orgId}::uuid, '+1202' || (3000000 + i)::text, 'First' || i, 'Last' || i from generate_series(1, ${n}) i`);
}

/** A "send to all" campaign with a one-segment script on `vendorAccountId`, sending at any hour; not started. */
export function createSendToAllCampaign(orgId: string, actor: Actor, vendorAccountId: string) {
  return createCampaign(orgId, actor, {
    title: "Shift notice",
    description: "",
    script: "Hi {firstName}, your shift starts at 9. Reply STOP to opt out.",
    mode: "SEND_TO_ALL",
    vendorAccountId,
    sendingWindow: null,
  });
}
