import { timeOrderedId } from "@/db/ids";
import { and, eq, isNotNull, sql, type SQL } from "drizzle-orm";
import { db, type Tx } from "@/db";
import { anyOf } from "@/db/any-of";
import { insertRowsReturning, upsertRowsReturning } from "@/db/bulk-insert";
import { contacts, type Contact } from "@/db/schema/contacts";
import { conversations, type Conversation } from "@/db/schema/conversations";
import { messages, type Message } from "@/db/schema/messages";
import { orgs, type OrgFeatures } from "@/db/schema/orgs";
import { phoneNumbers, type PhoneNumber } from "@/db/schema/phone-numbers";
import { vendorAccounts, type VendorAccount } from "@/db/schema/vendor-accounts";
import { ActionError } from "@/lib/action-result";
import { pickSender } from "@/lib/campaigns/sender";
import { groupBy } from "@/lib/group-by";
import { DEFAULT_RATES } from "@/lib/numbers";
import { enqueueManyIn } from "@/lib/jobs";
import { toE164 } from "@/lib/phone";
import { countSegments } from "@/lib/segments";
import { DEFAULT_COUNTRY } from "@/lib/time";
import { isUuid, resolveDefaultVendorAccountId } from "@/lib/vendors/accounts";
import { buildVendorContext } from "@/lib/vendors/context";
import { sendMessageJob } from "@/workers/jobs/send-message";
import { leaseFrom } from "./config";
import { untextableReason } from "./contacts";
import { outboundSchema, type OutboundInput } from "./send";
import { senderFor, type Sender } from "./sender";

/** Messages one call may queue: MessageMedia's batch size, and what one transaction writes comfortably. */
export const MAX_BATCH = 100;

/** Per message: queued (or found by its idempotency key), or refused because of its recipient. */
export type BatchOutcome = { message: Message; created: boolean } | { refused: ActionError };

/** Where a message's field is named in an error: `messages.3.to` in a batch, `to` for a message sent alone. */
type FieldPath = (index: number, field: string) => string;
const BATCH_PATH: FieldPath = (index, field) => `messages.${index}.${field}`;

/** The org's settings, read once per call. */
type OrgSettings = { country: string; features: OrgFeatures };

type Item = { index: number; data: ReturnType<typeof outboundSchema.parse>; to: string; path: (field: string) => string };

/**
 * Queues up to MAX_BATCH messages in one transaction, with a handful of statements for all of
 * them: the same rules as queueMessage (validation, E.164, refusals, sender choice, idempotency),
 * written set-wise. A mistake in the request (a malformed field, a `from` that is not the org's)
 * refuses the whole batch with the field at fault, `messages.<i>.<field>`, and queues nothing; a
 * recipient who opted out or cannot be texted refuses only their message. A message whose
 * idempotency key was seen before returns the first one and is not sent again.
 */
export async function queueMessageBatch(
  orgId: string,
  inputs: OutboundInput[],
  options: { fieldPath?: FieldPath } = {},
): Promise<BatchOutcome[]> {
  if (inputs.length === 0 || inputs.length > MAX_BATCH) {
    const why = `Send between 1 and ${MAX_BATCH} messages`;
    throw new ActionError(422, `messages: ${why}`, { messages: why });
  }
  const [org] = await db.select({ features: orgs.features }).from(orgs).where(eq(orgs.id, orgId)).limit(1);
  if (!org) throw new ActionError(404, "Not found.");
  const country = org.features.defaultCountry ?? DEFAULT_COUNTRY;
  const fieldPath = options.fieldPath ?? BATCH_PATH;
  const items = inputs.map((input, index) => parseItem(input, index, country, (field) => fieldPath(index, field)));
  assertUniqueKeys(items);

  const outcomes: BatchOutcome[] = new Array(items.length);
  const keys = items.flatMap((item) => (item.data.idempotencyKey ? [item.data.idempotencyKey] : []));
  const seen = keys.length ? await findByKeys(orgId, keys) : new Map<string, Message>();
  const fresh = items.filter((item) => {
    const existing = item.data.idempotencyKey ? seen.get(item.data.idempotencyKey) : undefined;
    if (existing) outcomes[item.index] = { message: existing, created: false };
    return !existing;
  });
  if (fresh.length === 0) return outcomes;

  const written = await db.transaction((tx) => writeBatch(tx, orgId, { country, features: org.features }, fresh, outcomes));
  // Another request with one of these keys won the race: that request's message is the one.
  const lost = written.filter((item) => !outcomes[item.index]);
  if (lost.length > 0) {
    const winners = await findByKeys(
      orgId,
      lost.map((item) => item.data.idempotencyKey!),
    );
    for (const item of lost) {
      const winner = winners.get(item.data.idempotencyKey!);
      if (!winner) throw new Error(`message ${item.index} was neither written nor found by its idempotency key`);
      outcomes[item.index] = { message: winner, created: false };
    }
  }
  return outcomes;
}

/** The batch's contacts, conversations, messages and send jobs in the caller's transaction; returns the items it tried to write. */
async function writeBatch(
  tx: Tx,
  orgId: string,
  settings: OrgSettings,
  items: Item[],
  outcomes: BatchOutcome[],
): Promise<Item[]> {
  // The default account is read beside the contacts (one round trip for both, the connection pipelines
  // them) whenever a message might need it; chooseSenders uses it only for those that do.
  const mayNeedDefault = items.some((item) => !item.data.from && !item.data.vendorAccountId);
  const [{ people, created }, defaultId] = await Promise.all([
    upsertContacts(tx, orgId, [...new Set(items.map((item) => item.to))]),
    // The org's features were read at the start of the call: not again for its default account.
    mayNeedDefault ? resolveDefaultVendorAccountId(orgId, tx, settings.features) : null,
  ]);
  const sendable = items.filter((item) => {
    const refusal = untextableReason(people.get(item.to)!);
    if (refusal)
      outcomes[item.index] = {
        refused: new ActionError(409, `${item.path("to")}: ${refusal}`, { [item.path("to")]: refusal }),
      };
    return !refusal;
  });
  if (sendable.length === 0) return [];
  const senders = await chooseSenders(tx, orgId, settings, sendable, people, created, defaultId);

  const pairs = new Map(sendable.map((item) => [threadKey(people.get(item.to)!.id, senders[item.index]!.ourE164), item]));
  const threads = await insertRowsReturning(
    tx,
    conversations,
    [...pairs.values()].map((item) => {
      const sender = senders[item.index]!;
      return { orgId, contactId: people.get(item.to)!.id, ourE164: sender.ourE164, phoneNumberId: sender.number?.id ?? null };
    }),
    {
      // A person's message answers the thread and moves it to the top, as touchConversation does for one.
      onConflict: sql`(org_id, contact_id, our_e164) where our_e164 is not null do update set
        phone_number_id = coalesce(conversations.phone_number_id, excluded.phone_number_id),
        last_message_at = greatest(conversations.last_message_at, now()),
        last_direction = 'OUTBOUND',
        unread = false`,
      returning: ["id", "contactId", "ourE164"],
    },
  );
  const threadOf = new Map(threads.map((t) => [threadKey(t.contactId, t.ourE164!), t.id]));

  const lease = leaseFrom();
  // Ids chosen here, so each returned row is known to be its item's whatever order they come back in.
  const ids = new Map(sendable.map((item) => [item.index, timeOrderedId()]));
  // One jsonb parameter, not drizzle's VALUES list of every column of a hundred rows (db/bulk-insert.ts).
  const inserted = await insertRowsReturning(
    tx,
    messages,
    sendable.map((item) => {
      const sender = senders[item.index]!;
      const segments = countSegments(item.data.body);
      return {
        id: ids.get(item.index)!,
        orgId,
        conversationId: threadOf.get(threadKey(people.get(item.to)!.id, sender.ourE164))!,
        direction: "OUTBOUND" as const,
        body: item.data.body,
        media: item.data.mediaUrls,
        fromE164: sender.ourE164,
        toE164: item.to,
        vendorAccountId: sender.account.id,
        messagingServiceId: sender.messagingServiceId,
        status: "QUEUED" as const,
        segments: Math.max(1, segments.segments),
        encoding: segments.encoding,
        idempotencyKey: item.data.idempotencyKey ?? null,
        leaseUntil: lease,
      };
    }),
    { onConflict: sql`(org_id, idempotency_key) where idempotency_key is not null do nothing` },
  );
  // A row missing here lost a race for its idempotency key; the caller finds the winner.
  const byId = new Map(inserted.map((row) => [row.id, row]));
  for (const item of sendable) {
    const row = byId.get(ids.get(item.index)!);
    if (row) outcomes[item.index] = { message: row, created: true };
  }
  await enqueueManyIn(
    tx,
    sendMessageJob,
    inserted.map((m) => ({ messageId: m.id })),
  );
  return sendable;
}

/**
 * The sender of each message, by queueMessage's rules: an explicit `from` (one of the org's
 * numbers); else the number the contact's latest conversation uses; else the requested or
 * default account, preferring a number in the contact's area code, or its messaging service.
 * Reads the numbers, conversations and accounts the batch needs once each.
 */
async function chooseSenders(
  tx: Tx,
  orgId: string,
  settings: OrgSettings,
  items: Item[],
  people: Map<string, Contact>,
  created: Set<string>,
  defaultId: string | null,
): Promise<Sender[]> {
  const fromE164s = new Map<number, string>();
  for (const item of items) {
    if (!item.data.from) continue;
    const parsed = toE164(item.data.from, settings.country);
    if (!parsed.ok) throw fieldError(422, item, "from", parsed.reason);
    fromE164s.set(item.index, parsed.e164);
  }
  // A contact this batch created has no threads yet: only the others' latest threads are looked up.
  const sticky = items.filter((item) => !item.data.from && !item.data.vendorAccountId && !created.has(people.get(item.to)!.id));
  const [fromNumbers, latest] = await Promise.all([
    fromE164s.size ? numbersWhere(tx, orgId, anyOf(phoneNumbers.e164, [...new Set(fromE164s.values())])) : [],
    sticky.length
      ? latestThreads(
          tx,
          orgId,
          sticky.map((item) => people.get(item.to)!.id),
        )
      : new Map<string, Conversation>(),
  ]);
  const threadNumberIds = [...new Set([...latest.values()].map((c) => c.phoneNumberId!))];
  const threadNumbers = threadNumberIds.length ? await numbersWhere(tx, orgId, anyOf(phoneNumbers.id, threadNumberIds)) : [];
  const numberById = new Map([...fromNumbers, ...threadNumbers].map((n) => [n.id, n]));
  const numberByE164 = new Map(fromNumbers.map((n) => [n.e164, n]));

  // Each item's route: a fixed number, or an account whose pool of numbers it picks from.
  type Route = { number: PhoneNumber; field: string } | { accountId: string; field: string };
  const routes = new Map<number, Route>();
  for (const item of items) {
    const from = fromE164s.get(item.index);
    if (from) {
      const number = numberByE164.get(from);
      if (!number) throw fieldError(422, item, "from", `${from} is not one of this organization's numbers`);
      routes.set(item.index, { number, field: "from" });
      continue;
    }
    const threadNumber = item.data.vendorAccountId ? undefined : threadNumberOf(item);
    if (threadNumber) {
      routes.set(item.index, { number: threadNumber, field: "from" });
      continue;
    }
    const accountId = item.data.vendorAccountId ?? defaultId;
    if (!accountId)
      throw fieldError(
        422,
        item,
        "vendorAccountId",
        "this organization has no default vendor account; choose one on the Vendors page",
      );
    routes.set(item.index, { accountId, field: "vendorAccountId" });
  }

  const accountIds = [...new Set([...routes.values()].map((r) => ("number" in r ? r.number.vendorAccountId : r.accountId)))];
  const poolIds = [...new Set([...routes.values()].flatMap((r) => ("accountId" in r ? [r.accountId] : [])))].filter(isUuid);
  // The accounts and their pools' numbers in one round trip (an unknown account's id finds none of the org's numbers).
  const [accounts, poolNumbers] = await Promise.all([
    accountsByIds(tx, orgId, accountIds),
    poolIds.length ? numbersWhere(tx, orgId, anyOf(phoneNumbers.vendorAccountId, poolIds)) : [],
  ]);
  const pools = groupBy(poolNumbers, (n) => n.vendorAccountId);

  const senders: Sender[] = [];
  // From a random place in each pool, so messages queued one at a time still spread over its numbers.
  const offset = Math.floor(Math.random() * 1_000_000);
  items.forEach((item, i) => {
    const turn = offset + i;
    const route = routes.get(item.index)!;
    const account = accounts.get("number" in route ? route.number.vendorAccountId : route.accountId);
    if (!account) throw fieldError(404, item, route.field, "no such vendor account");
    if (!account.enabled) throw fieldError(422, item, route.field, `the vendor account “${account.name}” is disabled`);
    senders[item.index] =
      "number" in route ? senderFor(account, route.number) : poolSender(account, pools.get(account.id) ?? [], item, turn);
  });
  return senders;

  function threadNumberOf(item: Item): PhoneNumber | undefined {
    const thread = latest.get(people.get(item.to)!.id);
    return thread?.phoneNumberId ? numberById.get(thread.phoneNumberId) : undefined;
  }
}

/** A number of the account's pool for this contact (a local one first), or the account's messaging service. */
function poolSender(account: VendorAccount, numbers: PhoneNumber[], item: Item, turn: number): Sender {
  if (numbers.length > 0)
    return senderFor(account, pickSender({ account, numbers, messagingServiceId: null }, item.to, turn).number!);
  const { adapter, ctx } = buildVendorContext(account, { logRequests: false });
  const service = adapter.messagingServiceFor?.(ctx, { e164: item.to });
  if (service) return { account, number: null, messagingServiceId: service, ourE164: service, rate: DEFAULT_RATES.SHORT_CODE };
  throw fieldError(
    422,
    item,
    "vendorAccountId",
    `“${account.name}” has no numbers to send from; add or buy one on the Numbers page`,
  );
}

function parseItem(input: OutboundInput, index: number, country: string, path: Item["path"]): Item {
  const parsed = outboundSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw fieldError(422, { path }, issue.path.map(String).join(".") || "body", issue.message);
  }
  const to = toE164(parsed.data.to, country);
  if (!to.ok) throw fieldError(422, { path }, "to", to.reason);
  return { index, data: parsed.data, to: to.e164, path };
}

function assertUniqueKeys(items: Item[]): void {
  const first = new Map<string, number>();
  for (const item of items) {
    const key = item.data.idempotencyKey;
    if (!key) continue;
    const earlier = first.get(key);
    if (earlier !== undefined) throw fieldError(422, item, "idempotencyKey", `repeats the key of message ${earlier}`);
    first.set(key, item.index);
  }
}

/** The batch's contacts by number, creating those the org did not have (their ids in `created`). */
async function upsertContacts(
  tx: Tx,
  orgId: string,
  e164s: string[],
): Promise<{ people: Map<string, Contact>; created: Set<string> }> {
  // The no-op update makes the existing rows come back too.
  const rows = await upsertRowsReturning(
    tx,
    contacts,
    e164s.map((e164) => ({ orgId, e164 })),
    sql`(org_id, e164) do update set e164 = excluded.e164`,
  );
  return {
    people: new Map(rows.map(({ row }) => [row.e164, row])),
    created: new Set(rows.filter((r) => r.inserted).map(({ row }) => row.id)),
  };
}

/** Each contact's most recent thread with a number of ours. */
async function latestThreads(tx: Tx, orgId: string, contactIds: string[]): Promise<Map<string, Conversation>> {
  const rows = await tx
    .selectDistinctOn([conversations.contactId])
    .from(conversations)
    .where(
      and(eq(conversations.orgId, orgId), anyOf(conversations.contactId, contactIds), isNotNull(conversations.phoneNumberId)),
    )
    .orderBy(conversations.contactId, sql`${conversations.lastMessageAt} desc`);
  return new Map(rows.map((row) => [row.contactId, row]));
}

function numbersWhere(tx: Tx, orgId: string, condition: SQL): Promise<PhoneNumber[]> {
  return tx
    .select()
    .from(phoneNumbers)
    .where(and(eq(phoneNumbers.orgId, orgId), condition))
    .orderBy(phoneNumbers.e164);
}

async function accountsByIds(tx: Tx, orgId: string, ids: string[]): Promise<Map<string, VendorAccount>> {
  const valid = ids.filter(isUuid);
  const rows = valid.length
    ? await tx
        .select()
        .from(vendorAccounts)
        .where(and(eq(vendorAccounts.orgId, orgId), anyOf(vendorAccounts.id, valid)))
    : [];
  return new Map(rows.map((row) => [row.id, row]));
}

async function findByKeys(orgId: string, keys: string[]): Promise<Map<string, Message>> {
  const rows = await db
    .select()
    .from(messages)
    .where(and(eq(messages.orgId, orgId), anyOf(messages.idempotencyKey, keys)));
  return new Map(rows.map((row) => [row.idempotencyKey!, row]));
}

function threadKey(contactId: string, ourE164: string): string {
  return `${contactId}|${ourE164}`;
}

function fieldError(status: 404 | 422, item: Pick<Item, "path">, field: string, message: string): ActionError {
  const path = item.path(field);
  return new ActionError(status, `${path}: ${message}`, { [path]: message });
}
