"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { ActionError } from "@/lib/action-result";
import { buildVendorContext, decryptAccountSecrets } from "@/lib/vendors/context";
import { redactor } from "@/lib/vendors/http";
import {
  deleteVendorAccount,
  findVendorAccount,
  saveVendorAccount,
  setDefaultVendorAccount,
  setVendorAccountEnabled,
  type Actor,
} from "@/lib/vendors/accounts";
import { orgAction, type OrgContext } from "@/lib/tenancy";

const accountIdSchema = z.string({ message: "Choose a vendor account" }).trim().min(1, "Choose a vendor account");

/** Forms send "true"/"false" (or "on"), JSON callers a boolean. */
const booleanInput = z.union([z.boolean(), z.stringbool()], { message: "Use true or false" });

/**
 * Settings arrive as form fields named after the adapter's config fields, beside accountId,
 * kind and name; saveVendorAccount parses them with the adapter's own schema, so the field
 * at fault comes back by its config name.
 */
const saveSchema = z.looseObject({
  accountId: z
    .string()
    .trim()
    .optional()
    .transform((id) => id || undefined),
  kind: z.string({ message: "Choose a vendor" }).trim().min(1, "Choose a vendor"),
  name: z.string({ message: "Name the account" }).default(""),
});

export const saveVendorAccountAction = orgAction({ role: "OWNER", schema: saveSchema }, async (ctx, input) => {
  const { accountId, kind, name, ...values } = input;
  const row = await saveVendorAccount(ctx.org.id, actorOf(ctx), { id: accountId, kind, name, values });
  revalidateVendors(ctx);
  // Only what the page needs to move on: never the row, which holds ciphertext and the webhook token.
  return { id: row.id, name: row.name };
});

/** "Test connection": the adapter's own check against the saved settings, answered in words. */
export const testVendorConnectionAction = orgAction(
  { role: "OWNER", schema: z.object({ accountId: accountIdSchema }) },
  async (ctx, input) => {
    const account = await findVendorAccount(ctx.org.id, input.accountId);
    let redact = (text: string) => text;
    let result: { ok: boolean; detail: string };
    try {
      // Every stored secret, the template vendor's declared properties and OAuth2 tokens included.
      redact = redactor([...Object.values(decryptAccountSecrets(account)), account.webhookToken]);
      const { adapter, ctx: vendorCtx } = buildVendorContext(account, { defaultCountry: ctx.org.features.defaultCountry });
      result = await adapter.verifyCredentials(vendorCtx);
    } catch (error) {
      result = { ok: false, detail: describeFailure(error) };
    }
    revalidateVendors(ctx);
    // An adapter's words could echo what it was sent; a secret never leaves through them.
    return { ok: result.ok, detail: redact(result.detail) };
  },
);

export const setVendorAccountEnabledAction = orgAction(
  { role: "OWNER", schema: z.object({ accountId: accountIdSchema, enabled: booleanInput }) },
  async (ctx, input) => {
    await setVendorAccountEnabled(ctx.org.id, input.accountId, input.enabled, actorOf(ctx));
    revalidateVendors(ctx);
    return { enabled: input.enabled };
  },
);

export const setDefaultVendorAccountAction = orgAction(
  { role: "OWNER", schema: z.object({ accountId: accountIdSchema }) },
  async (ctx, input) => {
    await setDefaultVendorAccount(ctx.org.id, input.accountId, actorOf(ctx));
    revalidateVendors(ctx);
    return null;
  },
);

export const deleteVendorAccountAction = orgAction(
  { role: "OWNER", schema: z.object({ accountId: accountIdSchema, confirmName: z.string().optional() }) },
  async (ctx, input) => {
    const account = await findVendorAccount(ctx.org.id, input.accountId);
    if (input.confirmName !== undefined && input.confirmName.trim() !== account.name) {
      throw new ActionError(422, `confirmName: Type “${account.name}” to confirm`, {
        confirmName: `Type “${account.name}” exactly to confirm`,
      });
    }
    await deleteVendorAccount(ctx.org.id, account.id, actorOf(ctx));
    revalidateVendors(ctx);
    // Redirect from here, not from the browser: re-rendering the page the owner is on would only
    // find the account gone and show "not found" instead of the list.
    redirect(`/${ctx.org.slug}/vendors?deleted=${encodeURIComponent(account.name)}`);
  },
);

function actorOf(ctx: OrgContext): Actor {
  return { userId: ctx.user.id, label: "user" };
}

function revalidateVendors(ctx: OrgContext): void {
  revalidatePath(`/${ctx.org.slug}/vendors`, "layout");
}

function describeFailure(error: unknown): string {
  if (error instanceof z.ZodError) {
    const issue = error.issues[0];
    return `The saved settings are incomplete${issue ? ` (${String(issue.path[0] ?? "settings")}: ${issue.message})` : ""}. Fix them on the Settings tab and save.`;
  }
  if (error instanceof Error) return error.message;
  return "The vendor could not be reached.";
}
