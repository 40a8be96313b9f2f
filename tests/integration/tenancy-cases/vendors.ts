import { saveVendorAccount } from "@/lib/vendors/accounts";
import type { TenancyCaseFactory } from "./types";

/** The vendors feature's pages and actions, aimed at org B's objects. */
export const vendorsCases: TenancyCaseFactory = async (b) => {
  const account = await saveVendorAccount(
    b.org.id,
    { userId: b.owner.id, label: "test" },
    { kind: "fake", name: "B's vendor", values: { webhookSecret: "b-secret-value-1" } },
  );
  const base = `/${b.org.slug}/vendors`;
  return {
    pagePatterns: [
      "/[org]/vendors/new",
      "/[org]/vendors/[accountId]",
      "/api/orgs/[org]/vendors/[accountId]/oauth2/start",
      "/api/orgs/[org]/vendors/[accountId]/oauth2/callback",
    ],
    pages: [
      `${base}/new`,
      `${base}/new?kind=fake`,
      `${base}/${account.id}`,
      `${base}/${account.id}?tab=webhooks`,
      `${base}/${account.id}?tab=logs`,
    ],
    actions: {
      "lib/actions/vendors.ts#saveVendorAccountAction": {
        accountId: account.id,
        kind: "fake",
        name: "Hijacked",
        deliveryDelayMs: "10",
      },
      "lib/actions/vendors.ts#testVendorConnectionAction": { accountId: account.id },
      "lib/actions/vendors.ts#setVendorAccountEnabledAction": { accountId: account.id, enabled: false },
      "lib/actions/vendors.ts#setDefaultVendorAccountAction": { accountId: account.id },
      "lib/actions/vendors.ts#deleteVendorAccountAction": { accountId: account.id, confirmName: "B's vendor" },
    },
    // The template vendor's OAuth2 flow; tests/integration/template.test.ts pairs org A's slug with B's account id.
    routes: [
      { method: "GET", path: `/api/orgs/${b.org.slug}/vendors/${account.id}/oauth2/start` },
      { method: "GET", path: `/api/orgs/${b.org.slug}/vendors/${account.id}/oauth2/callback?code=stolen&state=x` },
    ],
  };
};
