import { and, asc, eq } from "drizzle-orm";
import { db } from "@/db";
import { cannedResponses, type CannedResponse } from "@/db/schema/canned-responses";
import { ActionError } from "@/lib/action-result";
import type { OrgContext } from "@/lib/tenancy";
import { isUuid } from "@/lib/vendors/accounts";
import { requireCampaign } from "./campaigns";

/**
 * Canned responses of a campaign: the answers texters pick instead of typing ("Where do I
 * vote?"). Admins and supervolunteers write them; everyone texting the campaign reads them.
 */
export type CannedResponseView = Pick<CannedResponse, "id" | "title" | "body">;

export async function listCannedResponses(ctx: OrgContext, campaignId: string): Promise<CannedResponseView[]> {
  return db
    .select({ id: cannedResponses.id, title: cannedResponses.title, body: cannedResponses.body })
    .from(cannedResponses)
    .where(and(eq(cannedResponses.orgId, ctx.org.id), eq(cannedResponses.campaignId, campaignId)))
    .orderBy(asc(cannedResponses.title), asc(cannedResponses.id));
}

export async function createCannedResponse(
  ctx: OrgContext,
  campaignId: string,
  input: { title: string; body: string },
): Promise<CannedResponseView> {
  const campaign = await requireCampaign(ctx.org.id, campaignId);
  const [row] = await db
    .insert(cannedResponses)
    .values({ orgId: ctx.org.id, campaignId: campaign.id, title: input.title, body: input.body })
    .returning({ id: cannedResponses.id, title: cannedResponses.title, body: cannedResponses.body });
  return row!;
}

export async function updateCannedResponse(
  ctx: OrgContext,
  cannedResponseId: string,
  input: { title: string; body: string },
): Promise<CannedResponseView> {
  const [row] = isUuid(cannedResponseId)
    ? await db
        .update(cannedResponses)
        .set({ title: input.title, body: input.body })
        .where(and(eq(cannedResponses.orgId, ctx.org.id), eq(cannedResponses.id, cannedResponseId)))
        .returning({ id: cannedResponses.id, title: cannedResponses.title, body: cannedResponses.body })
    : [];
  if (!row) throw new ActionError(404, "Not found.");
  return row;
}

export async function deleteCannedResponse(ctx: OrgContext, cannedResponseId: string): Promise<void> {
  const deleted = isUuid(cannedResponseId)
    ? await db
        .delete(cannedResponses)
        .where(and(eq(cannedResponses.orgId, ctx.org.id), eq(cannedResponses.id, cannedResponseId)))
        .returning({ id: cannedResponses.id })
    : [];
  if (deleted.length === 0) throw new ActionError(404, "Not found.");
}
