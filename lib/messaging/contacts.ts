import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/db";
import { contacts, type Contact } from "@/db/schema/contacts";

/** The org's contact for this number, created when new. Safe under concurrency (one row per org and number). */
export async function findOrCreateContact(q: DbOrTx, orgId: string, e164: string): Promise<Contact> {
  const [row] = await q
    .insert(contacts)
    .values({ orgId, e164 })
    .onConflictDoUpdate({ target: [contacts.orgId, contacts.e164], set: { e164: sql`excluded.e164` } })
    .returning();
  return row!;
}

/** Why a contact cannot be texted, in words, or null when it can. */
export function untextableReason(contact: Pick<Contact, "optedOutAt" | "statusCode">): string | null {
  if (contact.optedOutAt) return "This contact has opted out of messages (they texted STOP).";
  if (contact.statusCode === -1) return "This number is a landline and cannot receive texts.";
  if (contact.statusCode === -2) return "This number is invalid or not in service.";
  if (contact.statusCode === -3) return "This number is outside the country this organization texts.";
  return null;
}
