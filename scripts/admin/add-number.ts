import { z } from "zod";
import { SENDER_TYPES } from "@/db/schema/phone-numbers";
import { addNumber } from "@/lib/numbers";
import { findVendorAccount } from "@/lib/vendors/accounts";
import { CliError, defineCommand, refusal } from "./cli";
import { orgFromOption, orgSlugOption } from "./add-member";

export const addNumberCommand = defineCommand({
  name: "add-number",
  summary: "Adds a number the organization already has with one of its vendor accounts.",
  options: {
    org: orgSlugOption,
    account: { schema: z.string().trim().uuid("expected a vendor account id (add-vendor-account prints it)"), placeholder: "account-id", description: "The vendor account that owns the number" },
    e164: { schema: z.string().trim().min(1, "expected a phone number"), placeholder: "number", description: "The number, as E.164 or in the org's default country's format" },
    "sender-type": {
      schema: z.string().trim().toUpperCase().pipe(z.enum(SENDER_TYPES, { error: `expected one of ${SENDER_TYPES.join(", ")}` })).optional(),
      placeholder: SENDER_TYPES.join("|"),
      description: "Long code unless given",
    },
  },
  async run(options) {
    const org = await orgFromOption(options.org);
    await findVendorAccount(org.id, options.account).catch(() => {
      throw new CliError(`--account: no vendor account ${options.account} in "${org.slug}"`, { field: "account" });
    });
    const row = await addNumber(org.id, { userId: null, label: "cli" }, { vendorAccountId: options.account, e164: options.e164, senderType: options["sender-type"] }).catch((e: unknown) =>
      refusal(e, { e164: "e164", vendorAccountId: "account" }),
    );
    return {
      lines: [`Added ${row.e164} to "${org.name}" (${org.slug})`, `  id: ${row.id}`, `  sender type: ${row.senderType}`],
      json: { number: { id: row.id, e164: row.e164, senderType: row.senderType, vendorAccountId: row.vendorAccountId }, org: { id: org.id, slug: org.slug } },
    };
  },
});
