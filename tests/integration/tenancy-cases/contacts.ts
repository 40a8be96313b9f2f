import { db } from "@/db";
import { contacts } from "@/db/schema/contacts";
import type { TenancyCaseFactory } from "./types";

/** The contacts feature's pages and actions, aimed at org B's objects. */
export const contactsCases: TenancyCaseFactory = async (b) => {
  const [contact] = await db
    .insert(contacts)
    .values({ orgId: b.org.id, e164: "+12025550190", firstName: "Bravo", lastName: "Contact" })
    .returning();
  const csv = "first_name,phone\nIntruder,+12025550191\n";
  return {
    pagePatterns: ["/[org]/contacts/import"],
    pages: [`/${b.org.slug}/contacts/import`],
    actions: {
      "lib/actions/contacts.ts#createContactAction": {
        firstName: "Stolen",
        lastName: "",
        e164: "+12025550192",
        customFields: {},
      },
      "lib/actions/contacts.ts#updateContactAction": {
        contactId: contact!.id,
        firstName: "Hijacked",
        lastName: "",
        e164: "+12025550193",
        customFields: {},
      },
      "lib/actions/contacts.ts#previewContactsCsvAction": { csv },
      "lib/actions/contacts.ts#importContactsAction": { csv },
    },
  };
};
