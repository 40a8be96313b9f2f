"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import {
  csvMappingSchema,
  MAX_CUSTOM_FIELDS,
  MAX_CUSTOM_KEY_LENGTH,
  MAX_CUSTOM_VALUE_LENGTH,
  MAX_NAME_LENGTH,
  previewCsv,
} from "@/lib/contacts-csv";
import { createContact, importContacts, updateContact } from "@/lib/contacts";
import { ActionError, orgAction, type OrgContext } from "@/lib/tenancy";
import { DEFAULT_COUNTRY } from "@/lib/time";

const nameSchema = z.string().trim().max(MAX_NAME_LENGTH, `Use at most ${MAX_NAME_LENGTH} characters`).optional().default("");

/** Custom fields as {key: value}, or the form's JSON of [{key, value}] rows; blank rows are dropped. */
const customFieldsSchema = z
  .preprocess(
    (value) => {
      if (value === undefined || value === null || value === "") return [];
      return typeof value === "string" ? parseJson(value) : value;
    },
    z.union([
      z.array(z.object({ key: z.string(), value: z.string() }), { message: "Send custom fields as key/value pairs" }),
      z.record(z.string(), z.string()).transform((record) => Object.entries(record).map(([key, value]) => ({ key, value }))),
    ]),
  )
  .transform((pairs, ctx) => {
    const out: Record<string, string> = {};
    for (const pair of pairs) {
      const key = pair.key.trim();
      const value = pair.value.trim();
      if (!key && !value) continue;
      if (!key) ctx.addIssue({ code: "custom", message: `Give the field with value “${value.slice(0, 20)}” a name` });
      else if (key.length > MAX_CUSTOM_KEY_LENGTH)
        ctx.addIssue({ code: "custom", message: `Field names are at most ${MAX_CUSTOM_KEY_LENGTH} characters` });
      else if (value.length > MAX_CUSTOM_VALUE_LENGTH)
        ctx.addIssue({ code: "custom", message: `“${key}” is longer than ${MAX_CUSTOM_VALUE_LENGTH} characters` });
      else if (key in out) ctx.addIssue({ code: "custom", message: `“${key}” is there twice` });
      else if (value) out[key] = value;
    }
    if (Object.keys(out).length > MAX_CUSTOM_FIELDS)
      ctx.addIssue({ code: "custom", message: `Use at most ${MAX_CUSTOM_FIELDS} custom fields` });
    return out;
  });

const contactSchema = z.object({
  firstName: nameSchema,
  lastName: nameSchema,
  e164: z
    .string({ message: "Enter a phone number" })
    .trim()
    .min(1, "Enter a phone number")
    .max(40, "Too long to be a phone number"),
  customFields: customFieldsSchema,
});

/** The file's text; a form may send it as a File, the app sends the text it read. */
const csvSchema = z
  .union([z.string(), z.instanceof(Blob)], { message: "Choose a CSV file" })
  .transform((value) => (typeof value === "string" ? value : value.text()));

const mappingSchema = z.preprocess(
  (value) => (typeof value === "string" ? parseJson(value) : value),
  csvMappingSchema.optional(),
);

export const createContactAction = orgAction({ role: "SUPERVOLUNTEER", schema: contactSchema }, async (ctx, input) => {
  const { contact, lookupQueued } = await createContact(ctx.org.id, actorOf(ctx), input, defaultCountryOf(ctx));
  revalidatePath(`/${ctx.org.slug}/contacts`);
  return { id: contact.id, e164: contact.e164, lookupQueued };
});

export const updateContactAction = orgAction(
  { role: "SUPERVOLUNTEER", schema: contactSchema.extend({ contactId: z.string().min(1, "Unknown contact") }) },
  async (ctx, { contactId, ...input }) => {
    const { contact, lookupQueued } = await updateContact(ctx.org.id, actorOf(ctx), contactId, input, defaultCountryOf(ctx));
    revalidatePath(`/${ctx.org.slug}/contacts`);
    return { id: contact.id, e164: contact.e164, lookupQueued };
  },
);

/** Step 2 of an import: the columns, samples and a guessed mapping. Nothing is saved. */
export const previewContactsCsvAction = orgAction(
  { role: "ADMIN", schema: z.object({ csv: csvSchema, hasHeader: z.boolean().optional() }) },
  async (ctx, input) => {
    const result = previewCsv(await input.csv, defaultCountryOf(ctx), input.hasHeader);
    if (!result.ok) throw new ActionError(422, result.error, { csv: result.error });
    return result.preview;
  },
);

/** Step 3: the server reads the file again and imports its good rows; without a mapping it guesses one. */
export const importContactsAction = orgAction(
  { role: "ADMIN", schema: z.object({ csv: csvSchema, mapping: mappingSchema }) },
  async (ctx, input) => {
    const report = await importContacts(ctx.org.id, actorOf(ctx), await input.csv, input.mapping, defaultCountryOf(ctx));
    revalidatePath(`/${ctx.org.slug}/contacts`);
    return report;
  },
);

function actorOf(ctx: OrgContext) {
  return { userId: ctx.user.id, label: "user" };
}

function defaultCountryOf(ctx: OrgContext): string {
  return ctx.org.features.defaultCountry ?? DEFAULT_COUNTRY;
}

/** Form fields carry structured values as JSON; text that isn't JSON fails the schema that follows. */
function parseJson(value: string): unknown {
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}
