"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { apiKeyNameSchema, createApiKey, revokeApiKey } from "@/lib/api-keys";
import { orgAction } from "@/lib/tenancy";

export const createApiKeyAction = orgAction(
  { role: "OWNER", schema: z.object({ name: apiKeyNameSchema }) },
  async (ctx, input) => {
    const created = await createApiKey({ orgId: ctx.org.id, name: input.name, createdBy: ctx.user.id, actorLabel: "user" });
    revalidatePath(`/${ctx.org.slug}/api-keys`);
    return { id: created.id, name: created.name, prefix: created.prefix, key: created.key };
  },
);

export const revokeApiKeyAction = orgAction(
  { role: "OWNER", schema: z.object({ keyId: z.string().uuid("Unknown key") }) },
  async (ctx, input) => {
    await revokeApiKey(ctx.org.id, input.keyId, ctx.user.id);
    revalidatePath(`/${ctx.org.slug}/api-keys`);
    return null;
  },
);
