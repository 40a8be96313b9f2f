import { db } from "@/db";
import { campaignContacts } from "@/db/schema/campaign-contacts";
import { campaigns } from "@/db/schema/campaigns";
import { cannedResponses } from "@/db/schema/canned-responses";
import { contacts } from "@/db/schema/contacts";
import type { TenancyCaseFactory } from "./types";

/** The texting workflow's pages and actions, aimed at org B's running campaign, its contact and canned response. */
export const textingCases: TenancyCaseFactory = async (b) => {
  const [campaign] = await db
    .insert(campaigns)
    .values({ orgId: b.org.id, title: "Bravo drive", script: "Hi {firstName}", status: "RUNNING" })
    .returning();
  const [contact] = await db
    .insert(contacts)
    .values({ orgId: b.org.id, e164: "+12025550188", firstName: "Bravo", lastName: "Voter" })
    .returning();
  const [cc] = await db
    .insert(campaignContacts)
    .values({ orgId: b.org.id, campaignId: campaign!.id, contactId: contact!.id, assignedUserId: b.owner.id })
    .returning();
  const [canned] = await db
    .insert(cannedResponses)
    .values({ orgId: b.org.id, campaignId: campaign!.id, title: "Where", body: "Main St." })
    .returning();
  const file = "lib/actions/texting.ts";
  return {
    pagePatterns: ["/[org]/campaigns/[campaignId]/texting", "/[org]/campaigns/[campaignId]/assign"],
    pages: [`/${b.org.slug}/campaigns/${campaign!.id}/texting`, `/${b.org.slug}/campaigns/${campaign!.id}/assign`],
    actions: {
      [`${file}#splitContactsAction`]: { campaignId: campaign!.id, userIds: [b.owner.id] },
      [`${file}#reassignContactsAction`]: { campaignId: campaign!.id, fromUserId: b.owner.id, toUserId: "" },
      [`${file}#sendInitialAction`]: { campaignContactId: cc!.id },
      [`${file}#optOutCampaignContactAction`]: { campaignContactId: cc!.id, goodbye: "none" },
      [`${file}#createCannedResponseAction`]: { campaignId: campaign!.id, title: "Hijack", body: "Hijacked" },
      [`${file}#updateCannedResponseAction`]: { cannedResponseId: canned!.id, title: "Hijack", body: "Hijacked" },
      [`${file}#deleteCannedResponseAction`]: { cannedResponseId: canned!.id },
    },
  };
};
