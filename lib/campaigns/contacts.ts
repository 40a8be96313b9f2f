import { and, eq, inArray, sql } from "drizzle-orm";
import { db, type DbOrTx } from "@/db";
import { writeAudit } from "@/db/queries/audit";
import { campaignContacts } from "@/db/schema/campaign-contacts";
import { contacts } from "@/db/schema/contacts";
import { ActionError } from "@/lib/action-result";
import { filterCondition, importContacts, searchCondition, type ContactFilter } from "@/lib/contacts";
import { planImport, type BadRow } from "@/lib/contacts-csv";
import type { Actor } from "@/lib/vendors/accounts";
import { requireCampaign } from "./campaigns";

/**
 * A campaign's contacts: added from the org's contacts by the contacts page's filters, or
 * from a CSV whose extra columns become the campaign's fields for its script. Contacts can
 * be added while a campaign is a draft or paused; adding one twice changes nothing.
 */
export async function addContactsByFilter(
  orgId: string,
  actor: Actor,
  campaignId: string,
  options: { filter: ContactFilter; q?: string; defaultCountry: string },
): Promise<{ added: number }> {
  const campaign = await editableCampaign(orgId, campaignId);
  const added = await db.transaction(async (tx) => {
    const result = await tx.execute(sql`
      insert into ${campaignContacts} (org_id, campaign_id, contact_id)
      select ${orgId}::uuid, ${campaign.id}::uuid, ${contacts.id} from ${contacts}
      where ${and(eq(contacts.orgId, orgId), filterCondition(options.filter), searchCondition(options.q, options.defaultCountry))}
      on conflict (campaign_id, contact_id) do nothing`);
    const count = result.count ?? 0;
    await writeAudit(
      {
        orgId,
        actorUserId: actor.userId,
        actorLabel: actor.label,
        action: "campaign.add_contacts",
        targetType: "campaign",
        targetId: campaign.id,
        details: { filter: options.filter, added: count },
      },
      tx,
    );
    return count;
  });
  return { added };
}

export type CampaignCsvReport = { added: number; alreadyIn: number; imported: number; bad: BadRow[]; fields: string[] };

/**
 * A CSV for this campaign: its rows become (or update) org contacts through the contacts
 * import, and join the campaign with the file's extra columns as fields. A file without a
 * phone column imports nothing; bad rows are reported by line, the good ones still join.
 */
export async function addContactsFromCsv(
  orgId: string,
  actor: Actor,
  campaignId: string,
  csv: string,
  defaultCountry: string,
): Promise<CampaignCsvReport> {
  const campaign = await editableCampaign(orgId, campaignId);
  const planned = planImport(csv, defaultCountry);
  if (!planned.ok) throw new ActionError(422, `csv: ${planned.error}`, { csv: planned.error });
  const { rows, bad } = planned.plan;
  if (rows.length === 0) {
    const message = `No row of the file can be added: ${bad
      .slice(0, 3)
      .map((b) => `line ${b.line}: ${b.reason}`)
      .join("; ")}`;
    throw new ActionError(422, `csv: ${message}`, { csv: message });
  }
  const report = await importContacts(orgId, actor, csv, undefined, defaultCountry);
  const fields = [...new Set(rows.flatMap((r) => Object.keys(r.customFields)))];
  let added = 0;
  await db.transaction(async (tx) => {
    for (let start = 0; start < rows.length; start += 1000) {
      const chunk = rows.slice(start, start + 1000);
      const ids = await tx
        .select({ id: contacts.id, e164: contacts.e164 })
        .from(contacts)
        .where(
          and(
            eq(contacts.orgId, orgId),
            inArray(
              contacts.e164,
              chunk.map((r) => r.e164),
            ),
          ),
        );
      const idOf = new Map(ids.map((r) => [r.e164, r.id]));
      const values = chunk.flatMap((r) => {
        const contactId = idOf.get(r.e164);
        return contactId ? [{ orgId, campaignId: campaign.id, contactId, fields: r.customFields }] : [];
      });
      if (values.length === 0) continue;
      const inserted = await tx
        .insert(campaignContacts)
        .values(values)
        // A contact already in the campaign takes the file's newer fields but keeps its progress.
        .onConflictDoUpdate({
          target: [campaignContacts.campaignId, campaignContacts.contactId],
          set: { fields: sql`${campaignContacts.fields} || excluded.fields`, updatedAt: sql`now()` },
        })
        .returning({ inserted: sql<boolean>`(xmax = 0)` });
      added += inserted.filter((r) => r.inserted).length;
    }
    await writeAudit(
      {
        orgId,
        actorUserId: actor.userId,
        actorLabel: actor.label,
        action: "campaign.upload_contacts",
        targetType: "campaign",
        targetId: campaign.id,
        details: { added, bad: bad.length, fields },
      },
      tx,
    );
  });
  return { added, alreadyIn: rows.length - added, imported: report.imported, bad, fields };
}

/**
 * The custom field names a script may use: those of the campaign's contacts and its CSV
 * columns; for a campaign without contacts yet, those of the org's contacts.
 */
export async function campaignFieldNames(orgId: string, campaignId: string | null, q: DbOrTx = db): Promise<string[]> {
  const rows = campaignId
    ? await q.execute<{ name: string }>(sql`
        select distinct k as name from ${campaignContacts} cc join ${contacts} c on c.id = cc.contact_id and c.org_id = cc.org_id,
          jsonb_object_keys(c.custom_fields || cc.fields) k
        where cc.org_id = ${orgId} and cc.campaign_id = ${campaignId}`)
    : [];
  if (rows.length > 0) return rows.map((r) => r.name).sort();
  const org = await q.execute<{ name: string }>(sql`
    select distinct k as name from ${contacts} c, jsonb_object_keys(c.custom_fields) k where c.org_id = ${orgId}`);
  return org.map((r) => r.name).sort();
}

/**
 * Marks the campaign's pending contacts that cannot be texted as SKIPPED with the reason, so
 * they are counted and never messaged. Returns how many were skipped for each reason.
 */
export async function skipUntextable(q: DbOrTx, orgId: string, campaignId: string): Promise<Record<string, number>> {
  const rows = await q.execute<{ reason: string; n: number }>(sql`
    with skipped as (
      update ${campaignContacts} cc set status = 'SKIPPED', skip_reason = ${skipReasonSql}, updated_at = now()
      from ${contacts} c
      where cc.org_id = ${orgId} and cc.campaign_id = ${campaignId} and cc.status = 'PENDING'
        and c.id = cc.contact_id and ${untextableSql}
      returning cc.skip_reason
    )
    select skip_reason as reason, count(*)::int as n from skipped group by skip_reason`);
  return Object.fromEntries(rows.map((r) => [r.reason, r.n]));
}

/** Contact `c` cannot be texted: the SQL twin of untextableReason (lib/messaging/contacts). */
export const untextableSql = sql.raw(`(c.opted_out_at is not null or c.status_code in (-1, -2, -3))`);

/** Contact `c`'s skip reason code, for the campaign start, the fan-out and the texter's click alike. */
export const skipReasonSql = sql.raw(`case when c.opted_out_at is not null then 'opted_out'
  when c.status_code = -1 then 'landline' when c.status_code = -3 then 'wrong_country' else 'invalid' end`);

export const SKIP_REASON_LABELS: Record<string, string> = {
  opted_out: "Opted out",
  landline: "Landline",
  invalid: "Invalid number",
  wrong_country: "Outside the org's country",
};

async function editableCampaign(orgId: string, campaignId: string) {
  const campaign = await requireCampaign(orgId, campaignId);
  if (campaign.status !== "DRAFT" && campaign.status !== "PAUSED") {
    throw new ActionError(
      409,
      `Contacts can be added only to a draft or paused campaign; this one is ${campaign.status.toLowerCase()}.`,
    );
  }
  return campaign;
}
