import { eq } from "drizzle-orm";
import { db } from "@/db";
import { anyOf } from "@/db/any-of";
import { orgs } from "@/db/schema/orgs";
import { vendorAccounts, type VendorAccount } from "@/db/schema/vendor-accounts";
import { vendorRequestLogs } from "@/db/schema/vendor-request-logs";
import { webhookEvents } from "@/db/schema/webhook-events";
import { coalesce } from "@/lib/coalesce";
import { buildVendorContext } from "@/lib/vendors/context";
import { NUL_MESSAGE, nulInRequest, nulPath } from "@/lib/nul";
import { WebhookParseError } from "@/lib/vendors/errors";
import { isVendorKind } from "@/lib/vendors/registry";
import type { WebhookRequest, WebhookResponse } from "@/lib/vendors/types";
import { POLLED_ACTION, polledEvents } from "./poll";
import { applyEvent } from "./receive";
import { storeWebhookEvent } from "./webhook-events";

export const MAX_WEBHOOK_BODY_BYTES = 1_048_576;

export type WebhookOutcome = WebhookResponse & { logged?: string };

/**
 * The webhook route's work: find the account by its token, verify the request the
 * vendor's way, parse it, store it raw (once per dedupe key) with its processing job in
 * one transaction, and answer the vendor at once. Refused requests write no row; a genuine
 * one we cannot parse is kept on the account's Logs tab.
 */
export async function receiveWebhook(
  kind: string,
  token: string,
  action: string,
  request: WebhookRequest,
): Promise<WebhookOutcome> {
  if (!isVendorKind(kind)) return plain(404, "Unknown webhook.");
  const found = await findAccountByToken(kind, token);
  if (!found) return plain(404, "Unknown webhook.");
  const { account, defaultCountry } = found;
  const { adapter, ctx } = buildVendorContext(account, { defaultCountry });
  const handler = adapter.webhooks[action];
  if (!handler) return plain(404, `Unknown webhook action "${action}".`);
  if (!handler.methods.includes(request.method as "GET" | "POST"))
    return { ...plain(405, `Use ${handler.methods.join(" or ")}.`), headers: { allow: handler.methods.join(", ") } };
  // PostgreSQL text cannot hold NUL, and no vendor sends one: refuse it before it reaches a row.
  const nulAt = nulInRequest(request);
  if (nulAt !== null) return plain(400, `Bad request: ${nulAt} ${NUL_MESSAGE}.`);
  const refusal = handler.verify(ctx, request);
  if (refusal)
    return { ...plain(403, "Forbidden."), logged: `webhook refused for account ${account.id} (${kind}/${action}): ${refusal}` };
  let events;
  try {
    events = handler.parse(ctx, request);
  } catch (error) {
    if (!(error instanceof WebhookParseError)) throw error;
    // Genuine (it passed verify) but not understood: keep it where the owner looks, the Logs tab.
    await keepUnreadable(account, request, error.message);
    return {
      ...plain(400, `Bad request: ${error.message}`),
      logged: `webhook not understood for account ${account.id} (${kind}/${action}): ${error.message}`,
    };
  }
  const dedupeKey = handler.dedupeKey?.(request) ?? null;
  // Escaped some other way (an XML character reference), a NUL stored would fail the worker on every try.
  if (nulPath([events, dedupeKey]) !== null) return plain(400, `Bad request: a value ${NUL_MESSAGE}.`);
  // A retry of a request we already have: answer as before, store and queue nothing.
  await storeWebhookEvent(account, {
    action,
    method: request.method,
    url: request.url,
    headers: request.headers,
    body: request.body,
    dedupeKey,
  });
  return handler.respond(ctx, events);
}

/** The worker's half: re-parse the stored request and apply each event. */
export async function processWebhookEvent(webhookEventId: string): Promise<void> {
  const [row] = await db
    .select({ event: webhookEvents, account: vendorAccounts, features: orgs.features })
    .from(webhookEvents)
    .innerJoin(vendorAccounts, eq(vendorAccounts.id, webhookEvents.vendorAccountId))
    .innerJoin(orgs, eq(orgs.id, vendorAccounts.orgId))
    .where(eq(webhookEvents.id, webhookEventId))
    .limit(1);
  if (!row || row.event.processedAt) return;
  const { event, account } = row;
  try {
    await applyStoredEvent(account, event, row.features.defaultCountry);
    await db.update(webhookEvents).set({ processedAt: new Date(), error: null }).where(eq(webhookEvents.id, event.id));
  } catch (error) {
    await db
      .update(webhookEvents)
      .set({ error: error instanceof Error ? error.message.slice(0, 1000) : String(error) })
      .where(eq(webhookEvents.id, event.id));
    throw error;
  }
}

async function applyStoredEvent(
  account: VendorAccount,
  event: typeof webhookEvents.$inferSelect,
  defaultCountry: string | undefined,
): Promise<void> {
  const { adapter, ctx } = buildVendorContext(account, { defaultCountry, logRequests: false });
  if (event.action === POLLED_ACTION) {
    for (const vendorEvent of polledEvents(event.body)) await applyEvent(account, adapter, vendorEvent);
    return;
  }
  const handler = adapter.webhooks[event.action];
  if (!handler) throw new Error(`the ${account.kind} adapter has no "${event.action}" webhook any more`);
  const url = new URL(event.url);
  const events = handler.parse(ctx, {
    method: event.method,
    url: event.url,
    headers: event.headers,
    query: Object.fromEntries(url.searchParams),
    body: event.body,
  });
  for (const vendorEvent of events) await applyEvent(account, adapter, vendorEvent);
}

const KEPT_BODY_CHARS = 65_536;

/**
 * A verified request we could not parse, kept raw (capped) on the account's Logs tab: the
 * vendor changed its format, or sent something new, and nothing it sent should vanish. The
 * URL's token is masked; headers are left out, as they carry the vendor's credentials.
 */
async function keepUnreadable(account: VendorAccount, request: WebhookRequest, reason: string): Promise<void> {
  await db.insert(vendorRequestLogs).values({
    orgId: account.orgId,
    vendorAccountId: account.id,
    method: `${request.method} ← vendor`,
    url: request.url.replace(account.webhookToken, "[token]"),
    requestBody: request.body.slice(0, KEPT_BODY_CHARS),
    status: 400,
    responseBody: `Bad request: ${reason}`,
    durationMs: 0,
    error: `Not understood: ${reason}`,
  });
}

type FoundAccount = { account: VendorAccount; defaultCountry: string | undefined };

/**
 * The account a webhook's token names, with its org's default country for parsing numbers.
 * Every request a vendor sends starts here, so lookups that arrive together are one query.
 */
export async function findAccountByToken(kind: string, token: string): Promise<FoundAccount | null> {
  if (!/^[\w-]{8,100}$/.test(token)) return null;
  return lookUpTogether({ kind, token });
}

const lookUpTogether = coalesce<{ kind: string; token: string }, FoundAccount | null>(
  async (lookups) => {
    const rows = await db
      .select({ account: vendorAccounts, features: orgs.features })
      .from(vendorAccounts)
      .innerJoin(orgs, eq(orgs.id, vendorAccounts.orgId))
      .where(anyOf(vendorAccounts.webhookToken, [...new Set(lookups.map((l) => l.token))]));
    const byToken = new Map(rows.map((row) => [row.account.webhookToken, row]));
    return lookups.map(({ kind, token }) => {
      const row = byToken.get(token);
      return row?.account.kind === kind ? { account: row.account, defaultCountry: row.features.defaultCountry } : null;
    });
  },
  { windowMs: 2, max: 200 },
);

export function plain(status: number, body: string): WebhookOutcome {
  return { status, headers: { "content-type": "text/plain; charset=utf-8" }, body };
}
