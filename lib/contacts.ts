import { and, desc, eq, ilike, isNotNull, isNull, or, sql, type SQL } from "drizzle-orm";
import { db, type Tx } from "@/db";
import { writeAudit } from "@/db/queries/audit";
import { contacts, type Contact } from "@/db/schema/contacts";
import { ActionError, isUniqueViolation } from "@/lib/action-result";
import { planImport, type BadRow, type CsvMapping } from "@/lib/contacts-csv";
import { enqueue } from "@/lib/jobs";
import { formatPhone, toE164 } from "@/lib/phone";
import { getBoss } from "@/lib/queue";
import { isUuid, type Actor } from "@/lib/vendors/accounts";
import { lookupContactJob } from "@/workers/jobs/lookup-contact";

export const CONTACT_FILTERS = ["all", "textable", "landline", "invalid", "lookup-error", "opted-out"] as const;
export type ContactFilter = (typeof CONTACT_FILTERS)[number];

export const CONTACTS_PAGE_SIZE = 50;

export type ContactInput = { firstName: string; lastName: string; e164: string; customFields: Record<string, string> };

export type ContactListRow = Pick<
  Contact,
  | "id"
  | "e164"
  | "firstName"
  | "lastName"
  | "customFields"
  | "carrier"
  | "lineType"
  | "statusCode"
  | "optedOutAt"
  | "lookedUpAt"
  | "createdAt"
>;

/**
 * One page of the org's contacts, newest first, keyset-paginated on (created_at, id):
 * an import gives all its rows one created_at, so the id breaks ties, and the cursor
 * carries created_at as PostgreSQL's own text so no microseconds are lost.
 */
export async function listContacts(
  orgId: string,
  options: { q?: string; filter?: ContactFilter; after?: string; defaultCountry: string; limit?: number },
): Promise<{ rows: ContactListRow[]; next: string | null }> {
  const limit = Math.min(options.limit ?? CONTACTS_PAGE_SIZE, 200);
  const cursor = decodeCursor(options.after);
  const rows = await db
    .select({
      id: contacts.id,
      e164: contacts.e164,
      firstName: contacts.firstName,
      lastName: contacts.lastName,
      customFields: contacts.customFields,
      carrier: contacts.carrier,
      lineType: contacts.lineType,
      statusCode: contacts.statusCode,
      optedOutAt: contacts.optedOutAt,
      lookedUpAt: contacts.lookedUpAt,
      createdAt: contacts.createdAt,
      createdAtText: sql<string>`${contacts.createdAt}::text`,
    })
    .from(contacts)
    .where(
      and(
        eq(contacts.orgId, orgId),
        filterCondition(options.filter ?? "all"),
        searchCondition(options.q, options.defaultCountry),
        cursor ? sql`(${contacts.createdAt}, ${contacts.id}) < (${cursor.at}::timestamptz, ${cursor.id}::uuid)` : undefined,
      ),
    )
    .orderBy(desc(contacts.createdAt), desc(contacts.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const next = rows.length > limit && last ? Buffer.from(`${last.createdAtText}|${last.id}`).toString("base64url") : null;
  return { rows: page.map(({ createdAtText: _text, ...row }) => row), next };
}

/** How many of the org's contacts (matching the search) each filter shows, in one pass. */
export async function countContactsByFilter(
  orgId: string,
  q: string | undefined,
  defaultCountry: string,
): Promise<Record<ContactFilter, number>> {
  const count = (filter: ContactFilter) => sql<number>`(count(*) filter (where ${filterCondition(filter) ?? sql`true`}))::int`;
  const [row] = await db
    .select({
      all: count("all"),
      textable: count("textable"),
      landline: count("landline"),
      invalid: count("invalid"),
      "lookup-error": count("lookup-error"),
      "opted-out": count("opted-out"),
    })
    .from(contacts)
    .where(and(eq(contacts.orgId, orgId), searchCondition(q, defaultCountry)));
  return row!;
}

export async function findContact(orgId: string, contactId: string): Promise<Contact> {
  const [row] = isUuid(contactId)
    ? await db
        .select()
        .from(contacts)
        .where(and(eq(contacts.orgId, orgId), eq(contacts.id, contactId)))
        .limit(1)
    : [];
  if (!row) throw new ActionError(404, "Not found.");
  return row;
}

/** A person opts the contact out for the whole org, as a STOP would, with the audit entry; in the caller's transaction. */
export async function optOutContactIn(
  tx: Tx,
  orgId: string,
  actor: Actor,
  contactId: string,
  details: Record<string, unknown>,
): Promise<void> {
  await tx
    .update(contacts)
    .set({ optedOutAt: sql`coalesce(${contacts.optedOutAt}, now())`, updatedAt: new Date() })
    .where(and(eq(contacts.orgId, orgId), eq(contacts.id, contactId)));
  await writeAudit(
    {
      orgId,
      actorUserId: actor.userId,
      actorLabel: actor.label,
      action: "contact.opt_out",
      targetType: "contact",
      targetId: contactId,
      details,
    },
    tx,
  );
}

/** Adds one contact; the number is read in the org's default country and looked up afterwards. */
export async function createContact(orgId: string, actor: Actor, input: ContactInput, defaultCountry: string) {
  const e164 = normalizeNumber(input.e164, defaultCountry);
  await refuseTakenNumber(orgId, e164);
  const row = await withDuplicateMessage(e164, () =>
    db.transaction(async (tx) => {
      const [created] = await tx
        .insert(contacts)
        .values({ orgId, e164, firstName: input.firstName, lastName: input.lastName, customFields: input.customFields })
        .returning();
      await writeAudit(
        {
          orgId,
          actorUserId: actor.userId,
          actorLabel: actor.label,
          action: "contact.create",
          targetType: "contact",
          targetId: created!.id,
          details: { customFields: Object.keys(input.customFields).length },
        },
        tx,
      );
      return created!;
    }),
  );
  return { contact: row, lookupQueued: await queueLookups(orgId, [row.id]) };
}

/** Edits a contact; a new number resets what the last lookup found and is looked up again. */
export async function updateContact(orgId: string, actor: Actor, contactId: string, input: ContactInput, defaultCountry: string) {
  const existing = await findContact(orgId, contactId);
  const e164 = normalizeNumber(input.e164, defaultCountry);
  const numberChanged = e164 !== existing.e164;
  if (numberChanged) await refuseTakenNumber(orgId, e164);
  const changed = [
    numberChanged && "e164",
    input.firstName !== existing.firstName && "firstName",
    input.lastName !== existing.lastName && "lastName",
    JSON.stringify(input.customFields) !== JSON.stringify(existing.customFields) && "customFields",
  ].filter((f): f is string => Boolean(f));
  const row = await withDuplicateMessage(e164, () =>
    db.transaction(async (tx) => {
      const [updated] = await tx
        .update(contacts)
        .set({
          firstName: input.firstName,
          lastName: input.lastName,
          customFields: input.customFields,
          updatedAt: new Date(),
          ...(numberChanged ? { e164, statusCode: 0, carrier: null, lineType: null, lookedUpAt: null } : {}),
        })
        .where(and(eq(contacts.orgId, orgId), eq(contacts.id, existing.id)))
        .returning();
      await writeAudit(
        {
          orgId,
          actorUserId: actor.userId,
          actorLabel: actor.label,
          action: "contact.update",
          targetType: "contact",
          targetId: existing.id,
          details: { fields: changed },
        },
        tx,
      );
      return updated!;
    }),
  );
  return { contact: row, lookupQueued: numberChanged ? await queueLookups(orgId, [row.id]) : true };
}

export type ImportReport = {
  imported: number;
  updated: number;
  unchanged: number;
  skipped: number;
  blankLines: number;
  bad: BadRow[];
  lookupQueued: boolean;
};

/**
 * Imports the good rows of a CSV in one transaction: new numbers are inserted, known ones
 * get the file's names and custom fields (blank cells keep what is stored, opt-outs stay),
 * and bad rows are reported, never half-saved. A file that can't be read imports nothing.
 */
export async function importContacts(
  orgId: string,
  actor: Actor,
  csv: string,
  mapping: CsvMapping | undefined,
  defaultCountry: string,
): Promise<ImportReport> {
  const planned = planImport(csv, defaultCountry, mapping);
  if (!planned.ok) throw new ActionError(422, planned.error, { csv: planned.error });
  const { rows, bad, blankLines, dataRows } = planned.plan;
  const { inserted, updated } = await db.transaction(async (tx) => {
    const insertedIds: string[] = [];
    let updatedCount = 0;
    for (let start = 0; start < rows.length; start += 1000) {
      const chunk = rows.slice(start, start + 1000);
      const result = await tx
        .insert(contacts)
        .values(
          chunk.map((r) => ({ orgId, e164: r.e164, firstName: r.firstName, lastName: r.lastName, customFields: r.customFields })),
        )
        .onConflictDoUpdate({
          target: [contacts.orgId, contacts.e164],
          set: {
            firstName: sql`coalesce(nullif(excluded.first_name, ''), ${contacts.firstName})`,
            lastName: sql`coalesce(nullif(excluded.last_name, ''), ${contacts.lastName})`,
            customFields: sql`${contacts.customFields} || excluded.custom_fields`,
            updatedAt: sql`now()`,
          },
          // Rows the file would not change are left alone, so "updated" counts real changes.
          setWhere: sql`(excluded.first_name <> '' and excluded.first_name <> ${contacts.firstName})
            or (excluded.last_name <> '' and excluded.last_name <> ${contacts.lastName})
            or not (${contacts.customFields} @> excluded.custom_fields)`,
        })
        .returning({ id: contacts.id, inserted: sql<boolean>`(xmax = 0)` });
      for (const r of result) {
        if (r.inserted) insertedIds.push(r.id);
        else updatedCount += 1;
      }
    }
    const counts = {
      rows: dataRows,
      imported: insertedIds.length,
      updated: updatedCount,
      unchanged: rows.length - insertedIds.length - updatedCount,
      skipped: bad.length,
    };
    await writeAudit(
      {
        orgId,
        actorUserId: actor.userId,
        actorLabel: actor.label,
        action: "contact.import",
        targetType: "contact",
        details: counts,
      },
      tx,
    );
    return { inserted: insertedIds, updated: updatedCount };
  });
  return {
    imported: inserted.length,
    updated,
    unchanged: rows.length - inserted.length - updated,
    skipped: bad.length,
    blankLines,
    bad,
    lookupQueued: await queueLookups(orgId, inserted),
  };
}

/**
 * Queues lookup-contact for new numbers after their transaction commits. A failure here
 * leaves the contacts saved and shown as "Not looked up yet", and is reported as such.
 */
async function queueLookups(orgId: string, contactIds: string[]): Promise<boolean> {
  if (contactIds.length === 0) return true;
  try {
    if (contactIds.length === 1) {
      // Someone is looking at this one contact: ahead of any import's thousands.
      await enqueue(lookupContactJob, { orgId, contactId: contactIds[0]! }, { priority: 1 });
      return true;
    }
    const boss = await getBoss("web");
    for (let start = 0; start < contactIds.length; start += 1000) {
      const jobs = contactIds
        .slice(start, start + 1000)
        .map((contactId) => ({ data: lookupContactJob.schema.parse({ orgId, contactId }) }));
      await boss.insert(lookupContactJob.name, jobs);
    }
    return true;
  } catch (error) {
    console.error("queueing contact lookups failed", error);
    return false;
  }
}

function normalizeNumber(input: string, defaultCountry: string): string {
  const parsed = toE164(input, defaultCountry);
  if (!parsed.ok) throw new ActionError(422, `e164: ${parsed.reason}`, { e164: parsed.reason });
  return parsed.e164;
}

async function refuseTakenNumber(orgId: string, e164: string): Promise<void> {
  const [taken] = await db
    .select({ firstName: contacts.firstName, lastName: contacts.lastName })
    .from(contacts)
    .where(and(eq(contacts.orgId, orgId), eq(contacts.e164, e164)))
    .limit(1);
  if (taken) throw duplicateNumber(e164, `${taken.firstName} ${taken.lastName}`.trim());
}

/** Two people saving the same number at once: the unique index decides, with the same message. */
async function withDuplicateMessage<T>(e164: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicateNumber(e164, "");
    throw error;
  }
}

function duplicateNumber(e164: string, name: string): ActionError {
  const message = `${formatPhone(e164)} is already a contact${name ? ` (${name})` : ""}.`;
  return new ActionError(409, message, { e164: message });
}

export function filterCondition(filter: ContactFilter): SQL | undefined {
  switch (filter) {
    case "textable":
      return and(sql`${contacts.statusCode} >= 0`, isNull(contacts.optedOutAt));
    case "landline":
      return eq(contacts.statusCode, -1);
    case "invalid":
      return sql`${contacts.statusCode} in (-2, -3)`;
    case "lookup-error":
      return eq(contacts.statusCode, -4);
    case "opted-out":
      return isNotNull(contacts.optedOutAt);
    default:
      return undefined;
  }
}

/** A name, or a number typed any way: "(202) 555-01", "+44 20 7946", "020 7946 0958". */
export function searchCondition(q: string | undefined, defaultCountry: string): SQL | undefined {
  const text = q?.trim().slice(0, 100);
  if (!text) return undefined;
  const name = ilike(sql`${contacts.firstName} || ' ' || ${contacts.lastName}`, `%${escapeLike(text)}%`);
  const digits = text.replace(/\D/g, "");
  if (digits.length < 3 || /[a-z]/i.test(text)) return name;
  const parsed = toE164(text, defaultCountry);
  return or(name, sql`${contacts.e164} like ${`%${digits}%`}`, parsed.ok ? eq(contacts.e164, parsed.e164) : undefined);
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function decodeCursor(value: string | undefined): { at: string; id: string } | null {
  if (!value) return null;
  const [at, id] = Buffer.from(value, "base64url").toString("utf8").split("|");
  if (!at || !id || !isUuid(id) || !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)?[+-]\d{2}(:\d{2})?$/.test(at)) return null;
  return { at, id };
}
