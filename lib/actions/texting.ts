"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { reassignContacts, splitContacts } from "@/lib/campaigns/assignments";
import { createCannedResponse, deleteCannedResponse, updateCannedResponse } from "@/lib/campaigns/canned-responses";
import { sendInitial } from "@/lib/campaigns/texting";
import { optOutCampaignContact } from "@/lib/campaigns/texting-opt-out";
import { ActionError } from "@/lib/action-result";
import { MAX_BODY_LENGTH } from "@/lib/messaging/send";
import { orgAction, type OrgContext } from "@/lib/tenancy";

/**
 * The texting workflow's mutations. Assigning and canned responses are for admins and
 * supervolunteers (they run campaigns); sending and opting out are for texters, who reach only
 * their own assignments: lib/campaigns/texting.ts scopes every lookup, so someone else's
 * contact and another org's both answer 404.
 */
const uuid = (what: string) => z.string({ message: `Unknown ${what}` }).uuid(`Unknown ${what}`);
const campaignId = uuid("campaign");
const campaignContactId = uuid("contact");
const count = z.coerce
  .number({ message: "Enter a number" })
  .int("Enter a whole number")
  .min(0, "Enter 0 or more")
  .max(1_000_000, "Enter a smaller number");
const messageBody = (empty: string) =>
  z
    .string({ message: empty })
    .max(MAX_BODY_LENGTH, `Keep messages to ${MAX_BODY_LENGTH} characters`)
    .refine((body) => body.trim().length > 0, empty);

export const splitContactsAction = orgAction(
  {
    role: "SUPERVOLUNTEER",
    schema: z.object({
      campaignId,
      userIds: z
        .array(z.string().uuid("Choose members of this organization"), { message: "Choose at least one texter" })
        .min(1, "Choose at least one texter"),
      /** One per texter, in the same order; absent means "as evenly as it goes". */
      counts: z.array(count).optional(),
    }),
  },
  async (ctx, input) => {
    const result = await splitContacts(ctx, input.campaignId, { userIds: input.userIds, counts: input.counts });
    revalidate(ctx, input.campaignId);
    return result;
  },
);

export const reassignContactsAction = orgAction(
  {
    role: "SUPERVOLUNTEER",
    schema: z.object({
      campaignId,
      fromUserId: z
        .string({ message: "Choose the texter to take contacts from" })
        .uuid("Choose the texter to take contacts from"),
      toUserId: z.preprocess(
        (id) => (id === "" || id === undefined ? null : id),
        z.string().uuid("Choose a member of this organization").nullable(),
      ),
      /** Blank moves every unsent contact. */
      count: z.preprocess(
        (n) => (n === "" || n === null ? undefined : n),
        count.min(1, "Enter 1 or more, or leave blank for all").optional(),
      ),
    }),
  },
  async (ctx, input) => {
    const result = await reassignContacts(ctx, input.campaignId, input);
    revalidate(ctx, input.campaignId);
    return result;
  },
);

export const sendInitialAction = orgAction({ role: "TEXTER", schema: z.object({ campaignContactId }) }, async (ctx, input) => {
  const result = await sendInitial(ctx, input.campaignContactId);
  revalidatePath(`/${ctx.org.slug}/campaigns`, "layout");
  return result;
});

export const optOutCampaignContactAction = orgAction(
  {
    role: "TEXTER",
    schema: z.object({
      campaignContactId,
      /** "org" sends the organization's opt-out confirmation; "custom" sends `body`. */
      goodbye: z.enum(["none", "org", "custom"], { message: "Choose whether to send a goodbye" }).default("none"),
      body: z.string().max(MAX_BODY_LENGTH, `Keep messages to ${MAX_BODY_LENGTH} characters`).optional(),
    }),
  },
  async (ctx, input) => {
    const result = await optOutCampaignContact(ctx, input.campaignContactId, goodbyeText(ctx, input.goodbye, input.body));
    revalidatePath(`/${ctx.org.slug}/campaigns`, "layout");
    revalidatePath(`/${ctx.org.slug}/conversations`, "layout");
    return result;
  },
);

const cannedFields = {
  title: z.string({ message: "Give it a title" }).trim().min(1, "Give it a title").max(100, "Keep titles to 100 characters"),
  body: messageBody("Write the response"),
};

export const createCannedResponseAction = orgAction(
  { role: "SUPERVOLUNTEER", schema: z.object({ campaignId, ...cannedFields }) },
  async (ctx, input) => {
    const row = await createCannedResponse(ctx, input.campaignId, input);
    revalidate(ctx, input.campaignId);
    return row;
  },
);

export const updateCannedResponseAction = orgAction(
  { role: "SUPERVOLUNTEER", schema: z.object({ cannedResponseId: uuid("canned response"), ...cannedFields }) },
  async (ctx, input) => {
    const row = await updateCannedResponse(ctx, input.cannedResponseId, input);
    revalidatePath(`/${ctx.org.slug}/campaigns`, "layout");
    return row;
  },
);

export const deleteCannedResponseAction = orgAction(
  { role: "SUPERVOLUNTEER", schema: z.object({ cannedResponseId: uuid("canned response") }) },
  async (ctx, input) => {
    await deleteCannedResponse(ctx, input.cannedResponseId);
    revalidatePath(`/${ctx.org.slug}/campaigns`, "layout");
    return null;
  },
);

function goodbyeText(ctx: OrgContext, choice: "none" | "org" | "custom", body: string | undefined): string | null {
  if (choice === "none") return null;
  if (choice === "custom") {
    if (!body?.trim())
      throw new ActionError(422, "body: Write the goodbye message, or choose not to send one", {
        body: "Write the goodbye message, or choose not to send one",
      });
    return body.trim();
  }
  const org = ctx.org.features.optOutConfirmation?.trim();
  if (!org) {
    const message = "This organization has no opt-out message set; write one, or choose not to send one";
    throw new ActionError(422, `goodbye: ${message}`, { goodbye: message });
  }
  return org;
}

function revalidate(ctx: OrgContext, id: string): void {
  revalidatePath(`/${ctx.org.slug}/campaigns/${id}`, "layout");
}
