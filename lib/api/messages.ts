import { and, desc, eq, or, sql, type SQL } from "drizzle-orm";
import type { z } from "zod";
import { db } from "@/db";
import { messages, type Message } from "@/db/schema/messages";
import { orgs } from "@/db/schema/orgs";
import { toE164 } from "@/lib/phone";
import { DEFAULT_COUNTRY } from "@/lib/time";
import type { OutboundInput } from "@/lib/messaging/send";
import { MAX_BATCH, queueMessageBatch, type BatchOutcome } from "@/lib/messaging/send-batch";
import { coalesce } from "@/lib/coalesce";
import { groupBy } from "@/lib/group-by";
import { isUuid } from "@/lib/vendors/accounts";
import { CURSOR_AT_FORMAT, decodeCursor, encodeCursor } from "./cursor";
import { ApiError, fromActionError, notFound } from "./errors";
import { maskOtpBody } from "./otp-format";
import {
  MAX_IDEMPOTENCY_KEY_LENGTH,
  type conversationMessagesQuery,
  type MessageResource,
  type sendMessageBatchRequest,
  type SendMessageBatchResponse,
  type sendMessageRequest,
  type SendMessageResponse,
} from "./schemas";

/** Prefix of API idempotency keys in messages.idempotency_key, apart from the app's own ("auto:…"). */
const API_KEY_NAMESPACE = "api:";

/**
 * Queues a message for the API. The same idempotency key (body or Idempotency-Key header)
 * returns the first message and sends nothing; reusing a key for a different message is a
 * 409, so a client bug cannot silently drop a message.
 */
export async function sendApiMessage(
  orgId: string,
  input: z.output<typeof sendMessageRequest>,
  headerKey: string | null,
): Promise<SendMessageResponse> {
  const idempotencyKey = resolveIdempotencyKey(input.idempotencyKey, headerKey);
  const queued = await queueTogether({
    orgId,
    input: { ...input, idempotencyKey: idempotencyKey ? `${API_KEY_NAMESPACE}${idempotencyKey}` : undefined },
  });
  if ("error" in queued) throw queued.error;
  if ("refused" in queued) throw queued.refused;
  const { message, created } = queued;
  if (!created) {
    const conflict = differentMessage(message, input, await orgDefaultCountry(orgId));
    if (conflict) throw conflict;
  }
  return toSendResponse(message, created);
}

function toSendResponse(message: Message, created: boolean): SendMessageResponse {
  return {
    id: message.id,
    status: message.status,
    to: message.toE164,
    from: message.fromE164,
    segments: message.segments,
    encoding: message.encoding,
    conversationId: message.conversationId,
    createdAt: message.createdAt.toISOString(),
    created,
  };
}

type QueuedRequest = { orgId: string; input: OutboundInput };
/** How long a single-message call waits for others to go with it, and how many at most (the benchmark's ceiling too). */
export const QUEUE_TOGETHER = { windowMs: 2, max: MAX_BATCH } as const;
const ALONE = (_index: number, field: string) => field;

/**
 * Messages sent one per API call that arrive together are queued together, per org, with
 * the batch's few statements instead of a dozen each; each request still gets its own answer,
 * with its field named as if it were alone. A mistake in one request would refuse the whole
 * batch, so then each is queued alone and only that request hears of it.
 */
const queueTogether = coalesce<QueuedRequest, BatchOutcome | { error: unknown }>(async (requests) => {
  const outcomes = new Map<QueuedRequest, BatchOutcome | { error: unknown }>();
  const queueAlone = async (r: QueuedRequest) => {
    try {
      const [outcome] = await queueMessageBatch(r.orgId, [r.input], { fieldPath: ALONE });
      outcomes.set(r, outcome!);
    } catch (error) {
      outcomes.set(r, { error });
    }
  };
  await Promise.all(
    [...groupBy(requests, (r) => r.orgId)].map(async ([orgId, group]) => {
      const together = await queueMessageBatch(
        orgId,
        group.map((r) => r.input),
        { fieldPath: ALONE },
      ).catch(() => null);
      if (together) group.forEach((r, i) => outcomes.set(r, together[i]!));
      else await Promise.all(group.map(queueAlone));
    }),
  );
  return requests.map((r) => outcomes.get(r)!);
}, QUEUE_TOGETHER);

/**
 * Queues a batch for the API (lib/messaging/send-batch.ts): each message's answer in the
 * request's order, queued or refused with the API's error shape. Keys work per message as for
 * one; a key reused for a different message refuses that message only.
 */
export async function sendApiMessageBatch(
  orgId: string,
  input: z.output<typeof sendMessageBatchRequest>,
): Promise<SendMessageBatchResponse> {
  const outcomes = await queueMessageBatch(
    orgId,
    input.messages.map((m) => ({
      ...m,
      idempotencyKey: m.idempotencyKey ? `${API_KEY_NAMESPACE}${m.idempotencyKey}` : undefined,
    })),
  );
  const country = await orgDefaultCountry(orgId);
  const data = outcomes.map((outcome, index): SendMessageBatchResponse["data"][number] => {
    if ("refused" in outcome) return { index, error: fromActionError(outcome.refused).body() };
    const conflict = outcome.created ? null : differentMessage(outcome.message, input.messages[index]!, country);
    if (conflict) return { index, error: conflict.body() };
    return { index, ...toSendResponse(outcome.message, outcome.created) };
  });
  const queued = data.filter((d) => "created" in d && d.created).length;
  return { data, queued, refused: data.filter((d) => "error" in d).length };
}

export async function findApiMessage(orgId: string, id: string): Promise<MessageResource> {
  if (!isUuid(id)) throw notFound("No such message in this organization.");
  const [row] = await db
    .select()
    .from(messages)
    .where(and(eq(messages.orgId, orgId), eq(messages.id, id)))
    .limit(1);
  if (!row) throw notFound("No such message in this organization.");
  return toMessageResource(row);
}

/** A conversation's messages, newest first, by (created_at, id) keyset. The caller has checked the conversation is the org's. */
export async function listConversationMessages(
  orgId: string,
  conversationId: string,
  query: z.output<typeof conversationMessagesQuery>,
): Promise<{ data: MessageResource[]; nextCursor: string | null; hasMore: boolean }> {
  const cursor = decodeCursor(query.cursor);
  const conditions: SQL[] = [eq(messages.orgId, orgId), eq(messages.conversationId, conversationId)];
  if (query.direction) conditions.push(eq(messages.direction, query.direction === "inbound" ? "INBOUND" : "OUTBOUND"));
  if (cursor) {
    conditions.push(
      or(
        sql`${messages.createdAt} < ${cursor.at}::timestamptz`,
        and(sql`${messages.createdAt} = ${cursor.at}::timestamptz`, sql`${messages.id} < ${cursor.id}::uuid`),
      )!,
    );
  }
  const rows = await db
    .select({ message: messages, cursorAt: sql<string>`to_char(${messages.createdAt} at time zone 'UTC', ${CURSOR_AT_FORMAT})` })
    .from(messages)
    .where(and(...conditions))
    .orderBy(desc(messages.createdAt), desc(messages.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const hasMore = rows.length > query.limit;
  return {
    data: page.map((row) => toMessageResource(row.message)),
    nextCursor: hasMore && last ? encodeCursor({ at: last.cursorAt, id: last.message.id }) : null,
    hasMore,
  };
}

export function toMessageResource(row: Message): MessageResource {
  return {
    id: row.id,
    direction: row.direction,
    status: row.status,
    to: row.toE164,
    from: row.fromE164,
    body: row.direction === "OUTBOUND" ? maskOtpBody(row.body) : row.body,
    mediaUrls: row.media,
    segments: row.segments,
    encoding: row.encoding,
    errorCode: row.errorCode,
    errorDescription: row.errorDescription,
    vendorMessageId: row.vendorMessageId,
    vendorAccountId: row.vendorAccountId,
    conversationId: row.conversationId,
    createdAt: row.createdAt.toISOString(),
    sentAt: row.sentAt?.toISOString() ?? null,
    deliveredAt: row.deliveredAt?.toISOString() ?? null,
  };
}

/** The org's default country, for reading national numbers. */
export async function orgDefaultCountry(orgId: string): Promise<string> {
  const [org] = await db.select({ features: orgs.features }).from(orgs).where(eq(orgs.id, orgId)).limit(1);
  return org?.features.defaultCountry ?? DEFAULT_COUNTRY;
}

function resolveIdempotencyKey(bodyKey: string | undefined, headerKey: string | null): string | null {
  const header = headerKey?.trim() || null;
  if (header && header.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    throw new ApiError(
      422,
      "invalid_request",
      `Idempotency-Key: Use at most ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`,
      "idempotencyKey",
    );
  }
  if (bodyKey && header && bodyKey !== header) {
    throw new ApiError(
      422,
      "invalid_request",
      "idempotencyKey: The body and the Idempotency-Key header name different keys",
      "idempotencyKey",
    );
  }
  return bodyKey ?? header;
}

/** A replayed key must name the same message: another recipient or text under it is a client bug, not a retry. */
function differentMessage(existing: Message, input: z.output<typeof sendMessageRequest>, country: string): ApiError | null {
  const to = toE164(input.to, country);
  const sameTo = to.ok && to.e164 === existing.toE164;
  const sameContent = existing.body === input.body && JSON.stringify(existing.media) === JSON.stringify(input.mediaUrls);
  if (sameTo && sameContent) return null;
  return new ApiError(
    409,
    "idempotency_conflict",
    "This idempotencyKey was already used for a different message (another recipient or text). Use a new key for a new message.",
    "idempotencyKey",
  );
}
