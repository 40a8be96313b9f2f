"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { SENDER_TYPES } from "@/db/schema/phone-numbers";
import {
  addNumber,
  assignNumber,
  createNumberOrder,
  importOwnedNumbers,
  releaseNumber,
  searchAvailableNumbers,
  updateNumberSettings,
} from "@/lib/numbers";
import { formatPhone } from "@/lib/phone";
import { orgAction, type OrgContext } from "@/lib/tenancy";

const accountIdSchema = z.string({ message: "Choose a vendor account" }).uuid("Choose a vendor account");
const numberIdSchema = z.string().uuid("Unknown number");
const senderTypeSchema = z.enum(SENDER_TYPES, { message: "Choose a sender type" });
const areaCodeSchema = z
  .string({ message: "Enter an area code" })
  .trim()
  .regex(/^\d{3}$/, "Use a 3-digit area code, like 212")
  .refine((code) => /^[2-9]/.test(code), "North American area codes start with 2 to 9")
  .refine((code) => !/^[2-9]11$/.test(code), "N11 codes (like 411 and 911) are service codes, not area codes");
const messagingServiceSchema = z.string().trim().max(64, "Use at most 64 characters").optional().default("");

export const addNumberAction = orgAction(
  {
    role: "OWNER",
    schema: z.object({
      vendorAccountId: accountIdSchema,
      e164: z.string({ message: "Enter a phone number" }).trim().min(1, "Enter a phone number"),
      senderType: senderTypeSchema.optional().default("LONG_CODE"),
      messagingServiceId: messagingServiceSchema,
    }),
  },
  async (ctx, input) => {
    const row = await addNumber(ctx.org.id, actorOf(ctx), {
      ...input,
      messagingServiceId: input.messagingServiceId || undefined,
    });
    revalidate(ctx);
    return { id: row.id, e164: row.e164, formatted: formatPhone(row.e164) };
  },
);

export const buyNumbersAction = orgAction(
  {
    role: "OWNER",
    schema: z.object({
      vendorAccountId: accountIdSchema,
      areaCode: areaCodeSchema,
      quantity: z.coerce
        .number({ message: "Enter how many to buy" })
        .int("Use a whole number")
        .min(1, "Buy at least 1")
        .max(50, "Buy at most 50 at a time"),
    }),
  },
  async (ctx, input) => {
    const order = await createNumberOrder(ctx.org.id, actorOf(ctx), input);
    revalidate(ctx);
    return order;
  },
);

export const searchAvailableNumbersAction = orgAction(
  { role: "OWNER", schema: z.object({ vendorAccountId: accountIdSchema, areaCode: areaCodeSchema }) },
  async (ctx, input) => ({
    areaCode: input.areaCode,
    numbers: await searchAvailableNumbers(ctx.org.id, input.vendorAccountId, input.areaCode),
  }),
);

export const importOwnedNumbersAction = orgAction(
  { role: "OWNER", schema: z.object({ vendorAccountId: accountIdSchema }) },
  async (ctx, input) => {
    const result = await importOwnedNumbers(ctx.org.id, actorOf(ctx), input.vendorAccountId);
    revalidate(ctx);
    return result;
  },
);

export const releaseNumberAction = orgAction(
  { role: "OWNER", schema: z.object({ numberId: numberIdSchema }) },
  async (ctx, input) => {
    const result = await releaseNumber(ctx.org.id, actorOf(ctx), input.numberId);
    revalidate(ctx);
    return result;
  },
);

export const assignNumberAction = orgAction(
  {
    role: "ADMIN",
    schema: z.object({
      numberId: numberIdSchema,
      // "" (the "Unassigned" option) or null clears the assignment.
      userId: z.preprocess(
        (id) => (id === "" || id === undefined ? null : id),
        z.string().uuid("Choose a member of this organization").nullable(),
      ),
    }),
  },
  async (ctx, input) => {
    await assignNumber(ctx.org.id, actorOf(ctx), input.numberId, input.userId);
    revalidate(ctx);
    return null;
  },
);

export const updateNumberSettingsAction = orgAction(
  {
    role: "OWNER",
    schema: z.object({
      numberId: numberIdSchema,
      senderType: senderTypeSchema,
      // Blank means "the sender type's default".
      rate: z.preprocess(
        (rate) => (rate === "" || rate === undefined ? null : rate),
        z.coerce
          .number({ message: "Enter messages per second, or leave blank" })
          .positive("Use more than 0")
          .max(1000, "Use at most 1000 per second")
          .nullable(),
      ),
      messagingServiceId: messagingServiceSchema,
    }),
  },
  async (ctx, input) => {
    const row = await updateNumberSettings(ctx.org.id, actorOf(ctx), input.numberId, {
      senderType: input.senderType,
      rate: input.rate,
      messagingServiceId: input.messagingServiceId || null,
    });
    revalidate(ctx);
    return { id: row.id, rate: row.rate, senderType: row.senderType };
  },
);

function actorOf(ctx: OrgContext) {
  return { userId: ctx.user.id, label: "user" };
}

function revalidate(ctx: OrgContext): void {
  revalidatePath(`/${ctx.org.slug}/numbers`);
}
