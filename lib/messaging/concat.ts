import { and, asc, eq, inArray, isNull, lt, sql } from "drizzle-orm";
import { db, type Tx } from "@/db";
import { inboundParts, type InboundPart } from "@/db/schema/inbound-parts";
import { messages } from "@/db/schema/messages";
import { vendorAccounts, type VendorAccount } from "@/db/schema/vendor-accounts";
import type { VendorEvent } from "@/lib/vendors/types";
import { afterInbound, storeInbound, type StoredInbound } from "./receive";

type InboundEvent = Extract<VendorEvent, { type: "inbound" }>;
type Parts = NonNullable<InboundEvent["parts"]>;

/** How long a part waits for the rest of its message before it is stored as it is. */
const PART_WAIT_MS = 10 * 60_000;

/**
 * One part of a long inbound message. Parts of a set are taken one at a time (an advisory
 * lock on the set), so the part that completes it joins it: bodies in part order, stored as
 * one message with the first part's vendor id, in the same transaction that marks the parts
 * joined. A part the vendor sends again is stored once; a retried job joins nothing twice.
 */
export async function receivePart(account: VendorAccount, event: InboundEvent, parts: Parts): Promise<void> {
  const stored = await db.transaction(async (tx) => {
    await tx.execute(
      sql`select pg_advisory_xact_lock(hashtextextended(${setKey(account.id, event.from, event.to, parts.ref)}, 0))`,
    );
    await tx
      .insert(inboundParts)
      .values({
        orgId: account.orgId,
        vendorAccountId: account.id,
        fromE164: event.from,
        toE164: event.to,
        ref: parts.ref,
        total: parts.total,
        partIndex: parts.index,
        body: event.body,
        media: event.media,
        vendorMessageId: event.vendorMessageId ?? null,
        receivedAt: event.receivedAt ?? new Date(),
      })
      .onConflictDoNothing();
    const set = await pendingSet(tx, {
      vendorAccountId: account.id,
      fromE164: event.from,
      toE164: event.to,
      ref: parts.ref,
      total: parts.total,
    });
    if (set.length < parts.total) return null;
    return join(tx, account, set, null);
  });
  if (stored) await afterInbound(account.orgId, stored.stored, stored.event);
}

/**
 * Sets whose missing parts never came: stored as they are, flagged "incomplete", so a
 * reader sees what did arrive. Run by every worker's sweep; each set taken once (SKIP LOCKED).
 */
export async function flushStaleParts(olderThanMs = PART_WAIT_MS, limit = 100): Promise<number> {
  const stale = await db
    .select()
    .from(inboundParts)
    .where(and(isNull(inboundParts.assembledMessageId), lt(inboundParts.createdAt, new Date(Date.now() - olderThanMs))))
    .orderBy(asc(inboundParts.createdAt))
    .limit(limit);
  const sets = new Map<string, InboundPart>();
  for (const part of stale) sets.set(setKey(part.vendorAccountId, part.fromE164, part.toE164, part.ref), part);
  let flushed = 0;
  for (const [key, sample] of sets) {
    const [account] = await db.select().from(vendorAccounts).where(eq(vendorAccounts.id, sample.vendorAccountId)).limit(1);
    if (!account) continue;
    const stored = await db.transaction(async (tx) => {
      const [locked] = await tx.execute<{ locked: boolean }>(
        sql`select pg_try_advisory_xact_lock(hashtextextended(${key}, 0)) as locked`,
      );
      if (!locked?.locked) return null;
      const set = await pendingSet(tx, { ...sample, total: undefined });
      return set.length ? join(tx, account, set, "incomplete") : null;
    });
    if (stored) {
      await afterInbound(account.orgId, stored.stored, stored.event);
      flushed += 1;
    }
  }
  return flushed;
}

async function join(
  tx: Tx,
  account: VendorAccount,
  set: InboundPart[],
  flag: string | null,
): Promise<{ stored: StoredInbound; event: InboundEvent } | null> {
  const first = set[0]!;
  const complete = flag === null;
  const event: InboundEvent = {
    type: "inbound",
    from: first.fromE164,
    to: first.toE164,
    // A gap where parts are missing, so a reader can tell the message is not whole.
    body: complete ? set.map((p) => p.body).join("") : withGaps(set),
    media: set.flatMap((p) => p.media),
    vendorMessageId: first.vendorMessageId ?? `parts:${first.id}`,
    receivedAt: first.receivedAt,
  };
  const stored = await storeInbound(tx, account, event, flag ?? undefined);
  // Stored before (a retried job after a crash): the parts are joined either way.
  const messageId = stored?.message.id ?? (await storedMessageId(tx, account.id, event.vendorMessageId!));
  if (messageId) {
    await tx
      .update(inboundParts)
      .set({ assembledMessageId: messageId })
      .where(
        inArray(
          inboundParts.id,
          set.map((p) => p.id),
        ),
      );
  }
  return stored ? { stored, event } : null;
}

type SetKey = Pick<InboundPart, "vendorAccountId" | "fromE164" | "toE164" | "ref"> & { total?: number };

/** The set's parts not yet joined, one per index (the first to come), in part order. */
async function pendingSet(tx: Tx, key: SetKey): Promise<InboundPart[]> {
  const pending = await tx
    .select()
    .from(inboundParts)
    .where(
      and(
        eq(inboundParts.vendorAccountId, key.vendorAccountId),
        eq(inboundParts.fromE164, key.fromE164),
        eq(inboundParts.toE164, key.toE164),
        eq(inboundParts.ref, key.ref),
        key.total === undefined ? undefined : eq(inboundParts.total, key.total),
        isNull(inboundParts.assembledMessageId),
      ),
    )
    .orderBy(asc(inboundParts.partIndex), asc(inboundParts.createdAt));
  const byIndex = new Map<number, InboundPart>();
  for (const part of pending) if (!byIndex.has(part.partIndex)) byIndex.set(part.partIndex, part);
  return [...byIndex.values()].sort((a, b) => a.partIndex - b.partIndex);
}

function withGaps(set: InboundPart[]): string {
  let text = "";
  let expected = 1;
  for (const part of set) {
    if (part.partIndex !== expected) text += "[…]";
    text += part.body;
    expected = part.partIndex + 1;
  }
  return expected <= set[0]!.total ? `${text}[…]` : text;
}

async function storedMessageId(tx: Tx, accountId: string, vendorMessageId: string): Promise<string | null> {
  const [row] = await tx
    .select({ id: messages.id })
    .from(messages)
    .where(and(eq(messages.vendorAccountId, accountId), eq(messages.vendorMessageId, vendorMessageId)))
    .limit(1);
  return row?.id ?? null;
}

function setKey(accountId: string, from: string, to: string, ref: string): string {
  return `inbound-parts:${accountId}:${from}:${to}:${ref}`;
}
