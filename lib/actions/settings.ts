"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { writeAudit } from "@/db/queries/audit";
import { updateOrgSettings } from "@/db/queries/orgs";
import { db } from "@/db";
import { orgNameSchema } from "@/lib/accounts";
import { orgAction } from "@/lib/tenancy";
import { isValidTimeZone } from "@/lib/time";
import { getCountries, type CountryCode } from "libphonenumber-js";

const COUNTRIES = new Set<string>(getCountries());

const settingsSchema = z.object({
  name: orgNameSchema,
  defaultCountry: z
    .string()
    .trim()
    .toUpperCase()
    .refine((c) => COUNTRIES.has(c), "Choose a country"),
  timeZone: z.string().trim().refine(isValidTimeZone, "Choose a valid time zone, such as America/New_York"),
  helpReply: z.string().trim().max(320, "Keep the HELP reply to two segments (320 characters)").optional().default(""),
  optOutKeywords: z
    .string()
    .max(500)
    .optional()
    .default("")
    .transform((s) => s.split(/[,\n]/).map((k) => k.trim().toUpperCase()).filter(Boolean))
    .refine((list) => list.every((k) => /^[A-Z0-9]{2,20}$/.test(k)), "Keywords are single words of 2-20 letters or digits, separated by commas"),
  optOutConfirmation: z.string().trim().max(320, "Keep the confirmation to two segments (320 characters)").optional().default(""),
});

export const updateOrgSettingsAction = orgAction({ role: "ADMIN", schema: settingsSchema }, async (ctx, input) => {
  const features = {
    ...ctx.org.features,
    defaultCountry: input.defaultCountry as CountryCode,
    timeZone: input.timeZone,
    helpReply: input.helpReply,
    optOutKeywords: input.optOutKeywords,
    optOutConfirmation: input.optOutConfirmation,
  };
  const changed = Object.keys(features).filter(
    (k) => JSON.stringify(features[k as keyof typeof features]) !== JSON.stringify(ctx.org.features[k as keyof typeof features]),
  );
  if (input.name !== ctx.org.name) changed.push("name");
  await db.transaction(async (tx) => {
    await updateOrgSettings(ctx.org.id, { name: input.name, features }, tx);
    await writeAudit({ orgId: ctx.org.id, actorUserId: ctx.user.id, actorLabel: "user", action: "org.settings_update", targetType: "org", targetId: ctx.org.id, details: { fields: changed } }, tx);
  });
  revalidatePath(`/${ctx.org.slug}`, "layout");
  return { changed };
});
