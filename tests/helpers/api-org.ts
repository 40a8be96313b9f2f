import { createApiKey } from "@/lib/api-keys";
import { addNumber } from "@/lib/numbers";
import { saveVendorAccount, setDefaultVendorAccount } from "@/lib/vendors/accounts";
import { ownerWithOrg } from "./fixtures";

export type ApiOrg = { id: string; slug: string; userId: string; email: string; accountId: string; key: string; keyId: string };

/** An org as another system meets it: a fake vendor account (default) with `numbers`, and an API key. */
export async function apiOrg(label: string, numbers: string[]): Promise<ApiOrg> {
  const { user, org } = await ownerWithOrg(label);
  const actor = { userId: user.id, label: "test" };
  const account = await saveVendorAccount(org.id, actor, { kind: "fake", name: "Fake", values: { deliveryDelayMs: 50 } });
  await setDefaultVendorAccount(org.id, account.id, actor);
  for (const e164 of numbers) await addNumber(org.id, actor, { vendorAccountId: account.id, e164 });
  const key = await createApiKey({ orgId: org.id, name: `${label} system`, createdBy: user.id, actorLabel: "test" });
  return { id: org.id, slug: org.slug, userId: user.id, email: user.email, accountId: account.id, key: key.key, keyId: key.id };
}
