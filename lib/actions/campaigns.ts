"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { CAMPAIGN_MODES } from "@/db/schema/campaigns";
import {
  archiveCampaign,
  createCampaign,
  pauseCampaign,
  resumeCampaign,
  startCampaign,
  unarchiveCampaign,
  updateCampaign,
} from "@/lib/campaigns/campaigns";
import { addContactsByFilter, addContactsFromCsv } from "@/lib/campaigns/contacts";
import { MAX_SCRIPT_LENGTH } from "@/lib/campaigns/script";
import { CONTACT_FILTERS } from "@/lib/contacts";
import { orgAction, type OrgContext } from "@/lib/tenancy";
import { DEFAULT_COUNTRY } from "@/lib/time";

const hourSchema = z.preprocess(
  (v) => (v === "" || v === null ? undefined : v),
  z.coerce
    .number({ message: "Choose an hour" })
    .int("Choose a whole hour")
    .min(0, "Use an hour from 0 to 24")
    .max(24, "Use an hour from 0 to 24")
    .optional(),
);

/** Numbers as an array of ids, or the form's JSON array or comma-separated list. */
const idListSchema = z.preprocess(
  (v) => {
    if (v === undefined || v === null || v === "") return [];
    if (typeof v !== "string") return v;
    if (v.trim().startsWith("[")) {
      try {
        return JSON.parse(v) as unknown;
      } catch {
        return v;
      }
    }
    return v
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
  },
  z.array(z.string().max(64), { message: "Send the numbers as a list of ids" }).max(500, "Choose at most 500 numbers"),
);

const campaignIdSchema = z.object({ campaignId: z.string({ message: "Unknown campaign" }).min(1, "Unknown campaign").max(64) });

const campaignFields = z.object({
  title: z
    .string({ message: "Give the campaign a title" })
    .trim()
    .min(1, "Give the campaign a title")
    .max(200, "Use at most 200 characters"),
  description: z.string().trim().max(2000, "Use at most 2000 characters").optional().default(""),
  script: z
    .string({ message: "Write the message the campaign sends" })
    .max(MAX_SCRIPT_LENGTH, `Keep the script to ${MAX_SCRIPT_LENGTH} characters`)
    .default(""),
  mode: z.enum(CAMPAIGN_MODES, { message: "Choose texters or send to all" }).default("TEXTERS"),
  vendorAccountId: z.string().trim().max(64).optional(),
  phoneNumberIds: idListSchema,
  messagingServiceId: z.string().trim().max(100, "Too long for a messaging service id").optional(),
  startHour: hourSchema,
  endHour: hourSchema,
});

/** The window's two hours become one {startHour, endHour}, or null for "any time". */
const campaignSchema = campaignFields
  .superRefine((input, ctx) => {
    if (input.script.trim() === "")
      ctx.addIssue({ code: "custom", path: ["script"], message: "Write the message the campaign sends" });
    const hasStart = input.startHour !== undefined;
    if (hasStart !== (input.endHour !== undefined)) {
      ctx.addIssue({
        code: "custom",
        path: [hasStart ? "endHour" : "startHour"],
        message: "Give both ends of the sending window, or neither",
      });
    } else if (hasStart && input.startHour === input.endHour) {
      ctx.addIssue({ code: "custom", path: ["endHour"], message: "The window must end at a different hour than it starts" });
    }
  })
  .transform(({ startHour, endHour, ...rest }) => ({
    ...rest,
    sendingWindow: startHour === undefined || endHour === undefined ? null : { startHour, endHour },
  }));

export const createCampaignAction = orgAction({ role: "ADMIN", schema: campaignSchema }, async (ctx, input) => {
  const campaign = await createCampaign(ctx.org.id, actorOf(ctx), input);
  revalidatePath(`/${ctx.org.slug}/campaigns`);
  return { id: campaign.id };
});

export const updateCampaignAction = orgAction(
  { role: "ADMIN", schema: campaignIdSchema.and(campaignSchema) },
  async (ctx, { campaignId, ...input }) => {
    const campaign = await updateCampaign(ctx.org.id, actorOf(ctx), campaignId, input);
    revalidateCampaign(ctx, campaign.id);
    return { id: campaign.id };
  },
);

export const addCampaignContactsAction = orgAction(
  {
    role: "ADMIN",
    schema: campaignIdSchema.extend({
      filter: z.enum(CONTACT_FILTERS, { message: "Choose which contacts to add" }).default("textable"),
      q: z.string().trim().max(100).optional(),
    }),
  },
  async (ctx, input) => {
    const result = await addContactsByFilter(ctx.org.id, actorOf(ctx), input.campaignId, {
      filter: input.filter,
      q: input.q,
      defaultCountry: countryOf(ctx),
    });
    revalidateCampaign(ctx, input.campaignId);
    return result;
  },
);

/** The file's text (the page reads it) or a File from a plain form. */
export const uploadCampaignContactsAction = orgAction(
  {
    role: "ADMIN",
    schema: campaignIdSchema.extend({
      csv: z
        .union([z.string(), z.instanceof(Blob)], { message: "Choose a CSV file" })
        .transform((v) => (typeof v === "string" ? v : v.text())),
    }),
  },
  async (ctx, input) => {
    const report = await addContactsFromCsv(ctx.org.id, actorOf(ctx), input.campaignId, await input.csv, countryOf(ctx));
    revalidateCampaign(ctx, input.campaignId);
    return report;
  },
);

export const startCampaignAction = orgAction({ role: "ADMIN", schema: campaignIdSchema }, async (ctx, { campaignId }) => {
  const report = await startCampaign(ctx.org.id, actorOf(ctx), campaignId);
  revalidateCampaign(ctx, campaignId);
  return report;
});

export const pauseCampaignAction = orgAction({ role: "ADMIN", schema: campaignIdSchema }, async (ctx, { campaignId }) => {
  await pauseCampaign(ctx.org.id, actorOf(ctx), campaignId);
  revalidateCampaign(ctx, campaignId);
  return { status: "PAUSED" as const };
});

export const resumeCampaignAction = orgAction({ role: "ADMIN", schema: campaignIdSchema }, async (ctx, { campaignId }) => {
  await resumeCampaign(ctx.org.id, actorOf(ctx), campaignId);
  revalidateCampaign(ctx, campaignId);
  return { status: "RUNNING" as const };
});

export const archiveCampaignAction = orgAction({ role: "ADMIN", schema: campaignIdSchema }, async (ctx, { campaignId }) => {
  await archiveCampaign(ctx.org.id, actorOf(ctx), campaignId);
  revalidateCampaign(ctx, campaignId);
  return { status: "ARCHIVED" as const };
});

export const unarchiveCampaignAction = orgAction({ role: "ADMIN", schema: campaignIdSchema }, async (ctx, { campaignId }) => {
  await unarchiveCampaign(ctx.org.id, actorOf(ctx), campaignId);
  revalidateCampaign(ctx, campaignId);
  return { ok: true };
});

function actorOf(ctx: OrgContext) {
  return { userId: ctx.user.id, label: "user" };
}

function countryOf(ctx: OrgContext): string {
  return ctx.org.features.defaultCountry ?? DEFAULT_COUNTRY;
}

function revalidateCampaign(ctx: OrgContext, campaignId: string) {
  revalidatePath(`/${ctx.org.slug}/campaigns`);
  revalidatePath(`/${ctx.org.slug}/campaigns/${campaignId}`);
}
