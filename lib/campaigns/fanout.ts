import { and, eq, inArray, sql } from "drizzle-orm";
import { db, type Tx } from "@/db";
import { insertRowsReturning } from "@/db/bulk-insert";
import { campaignContacts } from "@/db/schema/campaign-contacts";
import { campaigns, type Campaign } from "@/db/schema/campaigns";
import { conversations } from "@/db/schema/conversations";
import { messages } from "@/db/schema/messages";
import { orgs } from "@/db/schema/orgs";
import { users } from "@/db/schema/users";
import { leaseFrom } from "@/lib/messaging/config";
import { enqueueManyIn } from "@/lib/jobs";
import { countSegments } from "@/lib/segments";
import { DEFAULT_TIME_ZONE } from "@/lib/time";
import { sendMessageJob } from "@/workers/jobs/send-message";
import { skipReasonSql, untextableSql } from "./contacts";
import { renderScript } from "./script";
import { loadSenderPool, pickSender, type SenderPool } from "./sender";
import { nextWindowOpening } from "./window";

export const FANOUT_BATCH_SIZE = 1000;

export type FanoutOutcome =
  | { state: "done"; queued: number }
  | { state: "stopped"; queued: number; reason: string }
  | { state: "waiting"; queued: number; until: Date };

/**
 * "Send to all": queues a running campaign's pending contacts in batches. Each batch is one
 * transaction that takes up to `batchSize` PENDING rows (SKIP LOCKED, so two runs share the
 * work), writes their messages and send jobs, and marks them QUEUED. A message's idempotency
 * key is `campaign:<campaignId>:<contactId>`, unique per org, so a re-run, a retry after a
 * crash, or two runs at once can never queue a contact twice. Between batches it stops when
 * the campaign is no longer RUNNING (paused, archived) or the sending window has closed, and
 * says when the window opens next. `now` is a parameter so tests need no clock tricks.
 */
export async function fanOutCampaign(
  campaignId: string,
  options: { now?: () => Date; signal?: AbortSignal; batchSize?: number } = {},
): Promise<FanoutOutcome> {
  const now = options.now ?? (() => new Date());
  const batchSize = options.batchSize ?? FANOUT_BATCH_SIZE;
  let queued = 0;
  const first = await loadCampaign(campaignId);
  if (!first) return { state: "stopped", queued, reason: "no such campaign" };
  const setup = await prepare(first.campaign);
  if (typeof setup === "string") return { state: "stopped", queued, reason: setup };
  for (let turn = 0; ; turn++) {
    if (options.signal?.aborted) throw new Error("the fan-out was stopped (worker shutting down); a retry resumes it");
    const until = nextWindowOpening(first.campaign.sendingWindow, first.timeZone, now());
    if (until) return { state: "waiting", queued, until };
    const batch = await queueBatch(first.campaign, setup, batchSize, turn * batchSize);
    if (batch === "not-running") return { state: "stopped", queued, reason: "the campaign is not running" };
    queued += batch.queued;
    if (batch.taken < batchSize) break;
  }
  await completeIfDone(first.campaign);
  return { state: "done", queued };
}

type Setup = { pool: SenderPool; texterName: string };

async function prepare(campaign: Campaign): Promise<Setup | string> {
  let pool: SenderPool;
  try {
    pool = await loadSenderPool(campaign);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  const [creator] = campaign.createdBy
    ? await db.select({ name: users.name }).from(users).where(eq(users.id, campaign.createdBy)).limit(1)
    : [];
  return { pool, texterName: creator?.name ?? "" };
}

/** One batch in one transaction; the campaign row is read under a share lock, so a pause waits for the batch, then wins. */
async function queueBatch(
  campaign: Campaign,
  setup: Setup,
  batchSize: number,
  turnOffset: number,
): Promise<{ taken: number; queued: number } | "not-running"> {
  return db.transaction(async (tx) => {
    const [current] = await tx
      .select({ status: campaigns.status })
      .from(campaigns)
      .where(eq(campaigns.id, campaign.id))
      .for("share");
    if (current?.status !== "RUNNING") return "not-running";
    // The batch is taken first, then its contacts by primary key. Joined in one step, the planner
    // could walk all of the org's contacts for every row: right after a big import the org's
    // contacts are not in the statistics yet (it looks empty), and that plan looked cheapest.
    const rows = await tx.execute<PendingRow & { untextable: boolean }>(sql`
      with batch as materialized (
        select cc.id, cc.org_id, cc.contact_id, cc.fields from ${campaignContacts} cc
        where cc.org_id = ${campaign.orgId} and cc.campaign_id = ${campaign.id} and cc.status = 'PENDING'
        order by cc.id limit ${batchSize}
        for update of cc skip locked)
      select cc.id, cc.contact_id, cc.fields, c.e164, c.first_name, c.last_name, c.custom_fields,
        ${untextableSql} as untextable
      from batch cc join contacts c on c.id = cc.contact_id and c.org_id = cc.org_id
      order by cc.id`);
    if (rows.length === 0) return { taken: 0, queued: 0 };
    // Opted out or found untextable since the campaign started: skipped and counted, never sent.
    const skipIds = rows.filter((r) => r.untextable).map((r) => r.id);
    if (skipIds.length > 0) {
      await tx.execute(sql`update ${campaignContacts} cc set status = 'SKIPPED', skip_reason = ${skipReasonSql}, updated_at = now()
        from contacts c where c.id = cc.contact_id and cc.id in ${sql.raw(uuidList(skipIds))}`);
    }
    const sendable = rows.filter((r) => !r.untextable);
    const inserted = sendable.length > 0 ? await insertMessages(tx, campaign, setup, sendable, turnOffset) : new Map<string, string>();
    // Each row is linked to its contact's message by key: the one just written, or one an earlier run
    // wrote (even for a contact who opted out since, say by a vendor's opt-out error on that very
    // message), never re-sent. Only keys this batch did not write are looked up, so a first run looks
    // up none: as a join on the key, PostgreSQL scanned the org's messages for every batch, seconds
    // each once the org had a hundred thousand.
    const keyed = rows.map((r) => ({ id: r.id, key: idempotencyKey(campaign.id, r.contact_id) }));
    const missing = keyed.filter((r) => !inserted.has(r.key)).map((r) => r.key);
    const earlier = missing.length > 0 ? await messagesByKeys(tx, campaign.orgId, missing) : new Map<string, string>();
    const links = keyed.flatMap(({ id, key }) => {
      const messageId = inserted.get(key) ?? earlier.get(key);
      return messageId ? [{ id, message_id: messageId }] : [];
    });
    if (links.length > 0) {
      await tx.execute(sql`update ${campaignContacts} cc set status = 'QUEUED', skip_reason = null, message_id = v.message_id, updated_at = now()
        from jsonb_to_recordset(${JSON.stringify(links)}::jsonb) as v(id uuid, message_id uuid)
        where cc.id = v.id`);
    }
    const queued = inserted.size;
    return { taken: rows.length, queued };
  });
}

type PendingRow = {
  id: string;
  contact_id: string;
  fields: Record<string, string>;
  e164: string;
  first_name: string;
  last_name: string;
  custom_fields: Record<string, string>;
};

/** The batch's conversations, messages (QUEUED) and send jobs, all in the caller's transaction; returns the new messages' ids by key. */
async function insertMessages(
  tx: Tx,
  campaign: Campaign,
  setup: Setup,
  sendable: PendingRow[],
  turnOffset: number,
): Promise<Map<string, string>> {
  const planned = sendable.map((r, i) => {
    const sender = pickSender(setup.pool, r.e164, turnOffset + i);
    const body = renderScript(campaign.script, {
      firstName: r.first_name,
      lastName: r.last_name,
      texterName: setup.texterName,
      fields: { ...r.custom_fields, ...r.fields },
    });
    return { row: r, sender, body, segments: countSegments(body) };
  });
  // A thousand rows each, as one jsonb parameter rather than drizzle's VALUES list of every column of
  // every row (db/bulk-insert.ts): building and binding that list was most of a batch's time.
  const threads = await insertRowsReturning(
    tx,
    conversations,
    planned.map((p) => ({
      orgId: campaign.orgId,
      contactId: p.row.contact_id,
      ourE164: p.sender.ourE164,
      phoneNumberId: p.sender.number?.id ?? null,
      campaignId: campaign.id,
      lastDirection: "OUTBOUND" as const,
    })),
    {
      // The latest campaign owns the thread, so a reply is counted (and answered) under it.
      onConflict: sql`(org_id, contact_id, our_e164) where our_e164 is not null do update set
        campaign_id = excluded.campaign_id, last_message_at = now(), last_direction = 'OUTBOUND', unread = false`,
      returning: ["id", "contactId", "ourE164"],
    },
  );
  const threadOf = new Map(threads.map((t) => [`${t.contactId}|${t.ourE164}`, t.id]));
  const lease = leaseFrom();
  const inserted = await insertRowsReturning(
    tx,
    messages,
    planned.map((p) => ({
      orgId: campaign.orgId,
      conversationId: threadOf.get(`${p.row.contact_id}|${p.sender.ourE164}`) ?? null,
      direction: "OUTBOUND" as const,
      body: p.body,
      fromE164: p.sender.ourE164,
      toE164: p.row.e164,
      vendorAccountId: setup.pool.account.id,
      messagingServiceId: p.sender.messagingServiceId,
      status: "QUEUED" as const,
      segments: Math.max(1, p.segments.segments),
      encoding: p.segments.encoding,
      idempotencyKey: idempotencyKey(campaign.id, p.row.contact_id),
      leaseUntil: lease,
    })),
    {
      onConflict: sql`(org_id, idempotency_key) where idempotency_key is not null do nothing`,
      returning: ["id", "idempotencyKey"],
    },
  );
  await enqueueManyIn(
    tx,
    sendMessageJob,
    inserted.map((m) => ({ messageId: m.id })),
  );
  return new Map(inserted.map((m) => [m.idempotencyKey!, m.id]));
}

async function messagesByKeys(tx: Tx, orgId: string, keys: string[]): Promise<Map<string, string>> {
  const rows = await tx
    .select({ id: messages.id, key: messages.idempotencyKey })
    .from(messages)
    .where(and(eq(messages.orgId, orgId), inArray(messages.idempotencyKey, keys)));
  return new Map(rows.map((row) => [row.key!, row.id]));
}

export function idempotencyKey(campaignId: string, contactId: string): string {
  return `campaign:${campaignId}:${contactId}`;
}

/** A run that found nothing left marks the campaign COMPLETED, unless it was paused meanwhile. */
async function completeIfDone(campaign: Campaign): Promise<void> {
  await db
    .update(campaigns)
    .set({ status: "COMPLETED", updatedAt: new Date() })
    .where(
      and(
        eq(campaigns.id, campaign.id),
        eq(campaigns.status, "RUNNING"),
        sql`not exists (select 1 from ${campaignContacts} cc where cc.campaign_id = ${campaign.id} and cc.status = 'PENDING')`,
      ),
    );
}

async function loadCampaign(campaignId: string): Promise<{ campaign: Campaign; timeZone: string } | null> {
  const [row] = await db
    .select({ campaign: campaigns, features: orgs.features })
    .from(campaigns)
    .innerJoin(orgs, eq(orgs.id, campaigns.orgId))
    .where(eq(campaigns.id, campaignId))
    .limit(1);
  if (!row || row.campaign.mode !== "SEND_TO_ALL") return null;
  return { campaign: row.campaign, timeZone: row.features.timeZone ?? DEFAULT_TIME_ZONE };
}

/** Ids come from our own query (uuid columns), so they are safe to inline; a literal list keeps the plan simple. */
function uuidList(ids: string[]): string {
  return `(${ids.map((id) => `'${id.replace(/[^0-9a-f-]/gi, "")}'::uuid`).join(",")})`;
}
