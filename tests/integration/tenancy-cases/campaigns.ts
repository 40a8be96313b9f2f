import { db } from "@/db";
import { campaignContacts } from "@/db/schema/campaign-contacts";
import { contacts } from "@/db/schema/contacts";
import { createCampaign } from "@/lib/campaigns/campaigns";
import { addNumber } from "@/lib/numbers";
import { saveVendorAccount } from "@/lib/vendors/accounts";
import type { TenancyCaseFactory } from "./types";

/** Campaign pages, actions and the progress route, aimed at org B's draft campaign, account and number. */
export const campaignsCases: TenancyCaseFactory = async (b) => {
  const actor = { userId: b.owner.id, label: "test" };
  const account = await saveVendorAccount(b.org.id, actor, {
    kind: "fake",
    name: "Bravo Campaign Fake",
    values: { deliveryDelayMs: 0 },
  });
  const number = await addNumber(b.org.id, actor, { vendorAccountId: account.id, e164: "+12125550931" });
  const campaign = await createCampaign(b.org.id, actor, {
    title: "Bravo notice",
    description: "",
    script: "Hi {firstName}",
    mode: "SEND_TO_ALL",
    vendorAccountId: account.id,
    sendingWindow: null,
  });
  const [contact] = await db.insert(contacts).values({ orgId: b.org.id, e164: "+12025550932", firstName: "Bravo" }).returning();
  await db.insert(campaignContacts).values({ orgId: b.org.id, campaignId: campaign.id, contactId: contact!.id });
  const file = "lib/actions/campaigns.ts";
  const fields = {
    title: "Hijack",
    script: "Hi {firstName}",
    mode: "SEND_TO_ALL",
    vendorAccountId: account.id,
    phoneNumberIds: [number.id],
  };
  return {
    // "/[org]/campaigns" is core's (a nav section).
    pagePatterns: ["/[org]/campaigns/new", "/[org]/campaigns/[campaignId]", "/api/orgs/[org]/campaigns/[campaignId]/progress"],
    pages: [`/${b.org.slug}/campaigns/new`, `/${b.org.slug}/campaigns/${campaign.id}`],
    actions: {
      [`${file}#createCampaignAction`]: fields,
      [`${file}#updateCampaignAction`]: { ...fields, campaignId: campaign.id },
      [`${file}#addCampaignContactsAction`]: { campaignId: campaign.id, filter: "all" },
      [`${file}#uploadCampaignContactsAction`]: { campaignId: campaign.id, csv: "phone\n+12025550933\n" },
      [`${file}#startCampaignAction`]: { campaignId: campaign.id },
      [`${file}#pauseCampaignAction`]: { campaignId: campaign.id },
      [`${file}#resumeCampaignAction`]: { campaignId: campaign.id },
      [`${file}#archiveCampaignAction`]: { campaignId: campaign.id },
      [`${file}#unarchiveCampaignAction`]: { campaignId: campaign.id },
    },
    routes: [{ method: "GET", path: `/api/orgs/${b.org.slug}/campaigns/${campaign.id}/progress` }],
  };
};
