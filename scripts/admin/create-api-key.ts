import { apiKeyNameSchema, createApiKey } from "@/lib/api-keys";
import { defineCommand } from "./cli";
import { orgFromOption, orgSlugOption } from "./add-member";


export const createApiKeyCommand = defineCommand({
  name: "create-api-key",
  summary: "Creates an API key for an organization and prints it once; only its hash is stored.",
  options: {
    org: orgSlugOption,
    name: { schema: apiKeyNameSchema, placeholder: "name", description: "What the key is for (the system that uses it)" },
  },
  async run(options) {
    const org = await orgFromOption(options.org);
    const created = await createApiKey({ orgId: org.id, name: options.name, createdBy: null, actorLabel: "cli" });
    return {
      lines: [
        `Created API key "${created.name}" for "${org.name}" (${org.slug})`,
        `  id:     ${created.id}`,
        `  prefix: ${created.prefix}`,
        "",
        `  ${created.key}`,
        "",
        "  Copy it now: it is shown only this once and cannot be recovered.",
      ],
      json: {
        apiKey: { id: created.id, name: created.name, prefix: created.prefix, createdAt: created.createdAt.toISOString() },
        key: created.key,
        org: { id: org.id, slug: org.slug },
      },
    };
  },
});
