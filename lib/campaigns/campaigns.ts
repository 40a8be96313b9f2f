import { and, desc, eq, sql } from "drizzle-orm";
import { db, type Tx } from "@/db";
import { writeAudit } from "@/db/queries/audit";
import { campaignContacts } from "@/db/schema/campaign-contacts";
import { campaigns, type Campaign, type SendingWindow } from "@/db/schema/campaigns";
import { ActionError } from "@/lib/action-result";
import { enqueueIn } from "@/lib/jobs";
import { isUuid, type Actor } from "@/lib/vendors/accounts";
import { campaignFanoutJob } from "@/workers/jobs/campaign-fanout";
import { campaignFieldNames, skipUntextable } from "./contacts";
import { validateScript } from "./script";
import { checkCampaignSender, type CampaignSenderInput } from "./sender";

/**
 * Campaigns: a script, contacts, a sender and a sending window; DRAFT -> RUNNING <-> PAUSED
 * -> COMPLETED, and ARCHIVED from anywhere but running. Every function takes the org id and
 * finds the campaign within it, so another org's campaign id is "not found".
 */
export type CampaignInput = CampaignSenderInput & {
  title: string;
  description: string;
  script: string;
  mode: Campaign["mode"];
  sendingWindow: SendingWindow | null;
};

export async function createCampaign(orgId: string, actor: Actor, input: CampaignInput): Promise<Campaign> {
  const sender = await checkCampaignSender(orgId, input);
  await checkScript(orgId, null, input.script);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(campaigns)
      .values({
        orgId,
        title: input.title,
        description: input.description,
        script: input.script,
        mode: input.mode,
        ...sender,
        sendingWindow: input.sendingWindow,
        createdBy: actor.userId,
      })
      .returning();
    await audit(tx, orgId, actor, "campaign.create", row!.id, { mode: input.mode });
    return row!;
  });
}

/** Edits a draft or paused campaign; a running one must be paused first, so no batch sees half an edit. */
export async function updateCampaign(orgId: string, actor: Actor, campaignId: string, input: CampaignInput): Promise<Campaign> {
  const existing = await requireCampaign(orgId, campaignId);
  if (existing.status !== "DRAFT" && existing.status !== "PAUSED") {
    throw new ActionError(409, `Only a draft or paused campaign can be edited; this one is ${existing.status.toLowerCase()}.`);
  }
  if (existing.status !== "DRAFT" && input.mode !== existing.mode) {
    throw new ActionError(422, "mode: The mode can't change once the campaign has started", {
      mode: "The mode can't change once the campaign has started",
    });
  }
  const sender = await checkCampaignSender(orgId, input);
  await checkScript(orgId, existing.id, input.script);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(campaigns)
      .set({
        title: input.title,
        description: input.description,
        script: input.script,
        mode: input.mode,
        ...sender,
        sendingWindow: input.sendingWindow,
        updatedAt: new Date(),
      })
      .where(and(eq(campaigns.orgId, orgId), eq(campaigns.id, existing.id)))
      .returning();
    await audit(tx, orgId, actor, "campaign.update", existing.id, {});
    return row!;
  });
}

/** The campaign in this org, or null: another org's id, a malformed one and a missing one look alike. */
export async function findCampaign(orgId: string, campaignId: string): Promise<Campaign | null> {
  const [row] = isUuid(campaignId)
    ? await db
        .select()
        .from(campaigns)
        .where(and(eq(campaigns.orgId, orgId), eq(campaigns.id, campaignId)))
        .limit(1)
    : [];
  return row ?? null;
}

export async function requireCampaign(orgId: string, campaignId: string): Promise<Campaign> {
  const campaign = await findCampaign(orgId, campaignId);
  if (!campaign) throw new ActionError(404, "Not found.");
  return campaign;
}

/** The org's campaigns, newest first, with how many contacts each has; archived ones only when asked. */
export async function listCampaigns(orgId: string, options: { archived?: boolean } = {}) {
  return db
    .select({
      id: campaigns.id,
      title: campaigns.title,
      description: campaigns.description,
      mode: campaigns.mode,
      status: campaigns.status,
      createdAt: campaigns.createdAt,
      startedAt: campaigns.startedAt,
      contacts: sql<number>`(select count(*)::int from ${campaignContacts} cc where cc.campaign_id = ${campaigns.id} and cc.org_id = ${orgId})`,
    })
    .from(campaigns)
    .where(
      and(
        eq(campaigns.orgId, orgId),
        options.archived ? eq(campaigns.status, "ARCHIVED") : sql`${campaigns.status} <> 'ARCHIVED'`,
      ),
    )
    .orderBy(desc(campaigns.createdAt), desc(campaigns.id))
    .limit(200);
}

export type StartReport = { textable: number; skipped: Record<string, number> };

/**
 * Starts a draft: refuses one without contacts, a sender or a valid script; marks contacts
 * that can't be texted SKIPPED (counted by reason); and for SEND_TO_ALL queues the fan-out
 * in the same transaction, so a started campaign always has its job.
 */
export async function startCampaign(orgId: string, actor: Actor, campaignId: string): Promise<StartReport> {
  const campaign = await requireCampaign(orgId, campaignId);
  if (campaign.status !== "DRAFT")
    throw new ActionError(409, `This campaign has already started (it is ${campaign.status.toLowerCase()}).`);
  await checkCampaignSender(orgId, { vendorAccountId: campaign.vendorAccountId, ...campaign.sender });
  await checkScript(orgId, campaign.id, campaign.script);
  return db.transaction(async (tx) => {
    // Locks the row: two clicks on Start run one after the other, and the second sees RUNNING.
    const locked = await lockCampaign(tx, orgId, campaign.id);
    if (locked?.status !== "DRAFT") throw new ActionError(409, "This campaign has already started.");
    const skipped = await skipUntextable(tx, orgId, campaign.id);
    const [{ textable } = { textable: 0 }] = await tx
      .select({ textable: sql<number>`count(*)::int` })
      .from(campaignContacts)
      .where(
        and(
          eq(campaignContacts.orgId, orgId),
          eq(campaignContacts.campaignId, campaign.id),
          eq(campaignContacts.status, "PENDING"),
        ),
      );
    if (textable === 0) {
      const total = Object.values(skipped).reduce((a, b) => a + b, 0);
      const message =
        total === 0
          ? "Add contacts before starting the campaign"
          : `None of the ${total} contacts can be texted (opted out or untextable numbers)`;
      throw new ActionError(422, `contacts: ${message}`, { contacts: message });
    }
    await tx
      .update(campaigns)
      .set({ status: "RUNNING", startedAt: new Date(), updatedAt: new Date() })
      .where(eq(campaigns.id, campaign.id));
    if (campaign.mode === "SEND_TO_ALL")
      await enqueueIn(tx, campaignFanoutJob, { campaignId: campaign.id }, fanoutOptions(campaign.id));
    await audit(tx, orgId, actor, "campaign.start", campaign.id, { textable, skipped });
    return { textable, skipped };
  });
}

/** Stops sending between batches: what is already queued goes out, nothing more is queued. */
export async function pauseCampaign(orgId: string, actor: Actor, campaignId: string): Promise<void> {
  await transition(orgId, actor, campaignId, ["RUNNING"], "PAUSED", "campaign.pause");
}

/** Resumes a paused campaign: contacts added meanwhile are checked, and the fan-out picks up where it stopped. */
export async function resumeCampaign(orgId: string, actor: Actor, campaignId: string): Promise<void> {
  await transition(orgId, actor, campaignId, ["PAUSED"], "RUNNING", "campaign.resume", async (tx, campaign) => {
    await skipUntextable(tx, orgId, campaign.id);
    if (campaign.mode === "SEND_TO_ALL")
      await enqueueIn(tx, campaignFanoutJob, { campaignId: campaign.id }, fanoutOptions(campaign.id));
  });
}

export async function archiveCampaign(orgId: string, actor: Actor, campaignId: string): Promise<void> {
  await transition(orgId, actor, campaignId, ["DRAFT", "PAUSED", "COMPLETED"], "ARCHIVED", "campaign.archive");
}

export async function unarchiveCampaign(orgId: string, actor: Actor, campaignId: string): Promise<void> {
  await transition(orgId, actor, campaignId, ["ARCHIVED"], "PAUSED", "campaign.unarchive", async (tx, campaign) => {
    // A campaign archived before it started goes back to being a draft.
    if (!campaign.startedAt) await tx.update(campaigns).set({ status: "DRAFT" }).where(eq(campaigns.id, campaign.id));
  });
}

/**
 * One fan-out job per campaign at a time: a resume while a run is still queued adds nothing.
 * A second run would be harmless (idempotency keys), only wasteful.
 */
export function fanoutOptions(campaignId: string, startAfter?: Date) {
  return { singletonKey: `campaign-fanout:${campaignId}`, ...(startAfter ? { startAfter } : {}) };
}

async function transition(
  orgId: string,
  actor: Actor,
  campaignId: string,
  from: Campaign["status"][],
  to: Campaign["status"],
  action: string,
  then?: (tx: Tx, campaign: Campaign) => Promise<void>,
): Promise<void> {
  const campaign = await requireCampaign(orgId, campaignId);
  await db.transaction(async (tx) => {
    const locked = await lockCampaign(tx, orgId, campaign.id);
    if (!locked || !from.includes(locked.status)) {
      const verb = action.split(".")[1];
      throw new ActionError(
        409,
        `A ${locked?.status.toLowerCase() ?? "missing"} campaign can't be ${verb === "archive" ? "archived" : `${verb}d`}.`,
      );
    }
    await tx.update(campaigns).set({ status: to, updatedAt: new Date() }).where(eq(campaigns.id, campaign.id));
    await then?.(tx, locked);
    await audit(tx, orgId, actor, action, campaign.id, { from: locked.status });
  });
}

/** The campaign row under FOR UPDATE: status changes of one campaign run one after the other. */
async function lockCampaign(tx: Tx, orgId: string, campaignId: string): Promise<Campaign | undefined> {
  const [row] = await tx
    .select()
    .from(campaigns)
    .where(and(eq(campaigns.orgId, orgId), eq(campaigns.id, campaignId)))
    .for("update");
  return row;
}

async function checkScript(orgId: string, campaignId: string | null, script: string): Promise<void> {
  const check = validateScript(script, await campaignFieldNames(orgId, campaignId));
  if (!check.ok) throw new ActionError(422, `script: ${check.error}`, { script: check.error });
}

async function audit(tx: Tx, orgId: string, actor: Actor, action: string, targetId: string, details: Record<string, unknown>) {
  await writeAudit(
    { orgId, actorUserId: actor.userId, actorLabel: actor.label, action, targetType: "campaign", targetId, details },
    tx,
  );
}
