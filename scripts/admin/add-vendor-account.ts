import { z } from "zod";
import { saveVendorAccount, setDefaultVendorAccount } from "@/lib/vendors/accounts";
import { secretFieldNames } from "@/lib/vendors/config-form";
import { webhookUrlFor } from "@/lib/vendors/context";
import { getAdapter, VENDOR_KINDS } from "@/lib/vendors/registry";
import { CliError, defineCommand, refusal } from "./cli";
import { orgFromOption, orgSlugOption } from "./add-member";

const jsonObject = (option: string) =>
  z
    .string()
    .optional()
    .transform((text, ctx) => {
      if (text === undefined || text.trim() === "") return {};
      try {
        const value: unknown = JSON.parse(text);
        if (value && typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
      } catch {
        // reported below
      }
      ctx.addIssue({ code: "custom", message: `expected a JSON object, like '{"field":"value"}' (${option})` });
      return z.NEVER;
    });

export const addVendorAccountCommand = defineCommand({
  name: "add-vendor-account",
  summary: "Connects a vendor account to an organization; secrets are encrypted at rest.",
  options: {
    org: orgSlugOption,
    kind: { schema: z.enum(VENDOR_KINDS as [string, ...string[]], { error: `expected one of ${VENDOR_KINDS.join(", ")}` }), placeholder: VENDOR_KINDS.join("|"), description: "The vendor" },
    name: { schema: z.string().trim().min(1, "expected a name").max(80, "use at most 80 characters"), placeholder: "name", description: "A name people will recognise" },
    config: { schema: jsonObject("--config"), placeholder: "json", description: "Settings as a JSON object (non-secret fields)" },
    secrets: { schema: jsonObject("--secrets"), placeholder: "json", description: "Secret fields as a JSON object; never echoed back" },
    default: { schema: z.enum(["true", "false"]).optional().transform((v) => v === "true"), placeholder: "true|false", description: "Make it the organization's default vendor account" },
  },
  notes: ["Each kind's fields: see its settings page, or docs/adding-a-vendor.md."],
  async run(options) {
    const org = await orgFromOption(options.org);
    const adapter = getAdapter(options.kind as (typeof VENDOR_KINDS)[number]);
    const secretNames = new Set(secretFieldNames(adapter));
    for (const name of Object.keys(options.config)) {
      if (secretNames.has(name)) throw new CliError(`--config: "${name}" is a secret; pass it in --secrets`, { field: "config" });
    }
    for (const name of Object.keys(options.secrets)) {
      if (!secretNames.has(name)) throw new CliError(`--secrets: "${name}" is not a secret field of ${options.kind}`, { field: "secrets" });
    }
    const actor = { userId: null, label: "cli" };
    const account = await saveVendorAccount(org.id, actor, { kind: options.kind, name: options.name, values: { ...options.config, ...options.secrets } }).catch((e: unknown) =>
      refusal(e, { ...Object.fromEntries(Object.keys(options.config).map((k) => [k, "config"])), ...Object.fromEntries([...secretNames].map((k) => [k, "secrets"])), kind: "kind", name: "name" }),
    );
    if (options.default) await setDefaultVendorAccount(org.id, account.id, actor);
    const webhookUrls = Object.fromEntries(Object.keys(adapter.webhooks).map((action) => [action, webhookUrlFor(account.kind, account.webhookToken, action)]));
    return {
      lines: [
        `Added ${adapter.displayName} account "${account.name}" to "${org.name}" (${org.slug})${options.default ? " as its default" : ""}`,
        `  id: ${account.id}`,
        ...Object.entries(webhookUrls).map(([action, url]) => `  ${action} webhook: ${url}`),
      ],
      json: { account: { id: account.id, kind: account.kind, name: account.name, default: options.default }, webhookUrls, org: { id: org.id, slug: org.slug } },
    };
  },
});
