import { and, eq, inArray } from "drizzle-orm";
import { db } from "@/db";
import { messages } from "@/db/schema/messages";
import type { VendorAccount } from "@/db/schema/vendor-accounts";
import { NUL_MESSAGE, nulInRequest, nulPath } from "@/lib/nul";
import { buildVendorContext } from "@/lib/vendors/context";
import { WebhookParseError } from "@/lib/vendors/errors";
import {
  failureAnswer,
  fieldsOf,
  parseResults,
  parseSentUuids,
  sendTaskAnswer,
  successAnswer,
  taskOf,
  toDeviceMessage,
  uuidsAnswer,
  type DeviceMessage,
} from "@/lib/vendors/smssync/protocol";
import type { SmssyncConfig } from "@/lib/vendors/smssync/config";
import type { AnyVendorAdapter, VendorContext, WebhookRequest } from "@/lib/vendors/types";
import { deliverMessage } from "./deliver";
import { acknowledgeByDevice, awaitingDeviceReport, offerToDevice, queuedForDevice, touchDeviceContact } from "./device";
import { applyStatus, UnknownMessageError } from "./receive";
import { storeWebhookEvent } from "./webhook-events";
import { findAccountByToken, plain, processWebhookEvent, type WebhookOutcome } from "./webhooks";

/** The webhook action SMSsync's Sync URL is: /api/webhooks/smssync/<token>/sync. */
export const SYNC_ACTION = "sync";
/**
 * The processing job of an incoming SMS waits this long: the request is applied at once, here,
 * so its automatic reply can ride back on the answer; the job only finishes what a failure left.
 */
const BACKSTOP_SECONDS = 15;
/** Keeps `in (...)` valid when the phone reported on no message of ours. */
const NO_ID = "00000000-0000-0000-0000-000000000000";

/**
 * The server side of SMSsync's Sync URL. The app sends everything to one URL: an incoming SMS
 * (POST), `?task=send` (texts for it to send), `?task=sent` (it has queued them) and
 * `?task=result` (what became of them). Each must carry the account's secret; a refusal is the
 * seed's JSON failure with its reason, HTTP 200, and stores nothing.
 */
export async function receiveSmssync(token: string, request: WebhookRequest): Promise<WebhookOutcome> {
  const found = await findAccountByToken("smssync", token);
  if (!found) return plain(404, "Unknown webhook.");
  const { account, defaultCountry } = found;
  request = await asForm(request);
  const { adapter, ctx } = buildVendorContext(account, { defaultCountry, logRequests: false });
  const handler = adapter.webhooks[SYNC_ACTION]!;
  const refusal = handler.verify(ctx, request);
  if (refusal) return { ...failureAnswer(refusal), logged: `SMSsync request refused for account ${account.id}: ${refusal}` };
  const nulAt = nulInRequest(request);
  if (nulAt !== null) return failureAnswer(`${nulAt} ${NUL_MESSAGE}`);
  await touchDeviceContact(account.id);

  const task = taskOf(request);
  const config = ctx.config as SmssyncConfig;
  try {
    if (task === null && request.method === "POST") return await receiveIncoming(account, adapter, ctx, request);
    if (task === "send") return sendTaskAnswer(config.secret, await takeForDevice(account));
    if (task === "sent" && request.method === "POST")
      return uuidsAnswer(await acknowledgeByDevice(account.id, parseSentUuids(request.body)));
    if (task === "result" && request.method === "GET") return uuidsAnswer(await awaitingDeviceReport(account.id));
    if (task === "result" && request.method === "POST") return await applyResults(account, adapter, request.body);
  } catch (error) {
    if (error instanceof WebhookParseError)
      return {
        ...failureAnswer(error.message),
        logged: `SMSsync request not understood for account ${account.id}: ${error.message}`,
      };
    throw error;
  }
  return failureAnswer(
    task === null ? "Send an SMS with POST, or ask for a task with ?task=" : `Unknown task "${task}" for ${request.method}`,
  );
}

/**
 * An SMS the phone received: stored raw with its processing job, as every webhook is, then
 * applied here and now, so that a reply it causes (a STOP confirmation) goes back in this very
 * answer, which is what "Get reply from server" expects. The phone's retry of one message_id
 * stores nothing twice.
 */
async function receiveIncoming(
  account: VendorAccount,
  adapter: AnyVendorAdapter,
  ctx: VendorContext,
  request: WebhookRequest,
): Promise<WebhookOutcome> {
  const handler = adapter.webhooks[SYNC_ACTION]!;
  // Refuses a missing field before anything is stored, and a NUL however the phone's body was typed.
  if (nulPath(handler.parse(ctx, request)) !== null) throw new WebhookParseError(`a value ${NUL_MESSAGE}`);
  const stored = await storeWebhookEvent(
    account,
    {
      action: SYNC_ACTION,
      method: request.method,
      url: request.url,
      headers: { ...request.headers, "content-type": "application/x-www-form-urlencoded" },
      body: withoutSecret(request),
      dedupeKey: handler.dedupeKey?.(request) ?? null,
    },
    { startAfter: BACKSTOP_SECONDS },
  );
  if (stored) {
    await processWebhookEvent(stored).catch((error: unknown) => {
      // Stored and queued: the job applies it shortly. The phone is still told it arrived.
      console.error(
        `[smssync] incoming SMS for account ${account.id} left to its job:`,
        error instanceof Error ? error.message : error,
      );
    });
  }
  return successAnswer({ secret: (ctx.config as SmssyncConfig).secret, messages: await takeForDevice(account) });
}

/**
 * What the phone should send now. Messages the worker has not reached yet are put in the queue
 * here first (deliverMessage, which does nothing else for a device-pull account), so the phone
 * never waits on the worker; then the queue is offered, oldest first.
 */
async function takeForDevice(account: VendorAccount): Promise<DeviceMessage[]> {
  if (!account.enabled) return [];
  for (const id of await queuedForDevice(account.id)) await deliverMessage(id);
  return (await offerToDevice(account.id)).map(toDeviceMessage);
}

/**
 * `POST ?task=result`: each outcome through applyStatus, forward only. A result for a message
 * whose acknowledgement we never got shows the phone has it: it is acknowledged first.
 */
async function applyResults(account: VendorAccount, adapter: AnyVendorAdapter, body: string): Promise<WebhookOutcome> {
  const events = parseResults(body);
  const ids = events.flatMap((e) => (e.messageId ? [e.messageId] : []));
  const unacknowledged = await db
    .select({ id: messages.id })
    .from(messages)
    .where(and(eq(messages.vendorAccountId, account.id), eq(messages.status, "SENDING"), inArray(messages.id, [...ids, NO_ID])));
  if (unacknowledged.length > 0)
    await acknowledgeByDevice(
      account.id,
      unacknowledged.map((m) => m.id),
    );
  for (const event of events) {
    try {
      await applyStatus(account, adapter, event);
    } catch (error) {
      // Not one of this account's messages: nothing to apply it to, and nothing the phone can do about it.
      if (!(error instanceof UnknownMessageError)) throw error;
    }
  }
  return successAnswer();
}

/**
 * The seed's own test posts multipart (curl -F); the app posts form-encoded. Multipart is turned
 * into the same form here, so what is stored, and re-read by the processing job, is one format.
 */
async function asForm(request: WebhookRequest): Promise<WebhookRequest> {
  const type = request.headers["content-type"] ?? "";
  if (!/^multipart\/form-data/i.test(type)) return request;
  let form: FormData;
  try {
    form = await new Response(request.body, { headers: { "content-type": type } }).formData();
  } catch {
    return { ...request, body: "" }; // unreadable: answered as a message with no fields
  }
  const fields = new URLSearchParams();
  for (const [name, value] of form) if (typeof value === "string") fields.append(name, value);
  return {
    ...request,
    headers: { ...request.headers, "content-type": "application/x-www-form-urlencoded" },
    body: fields.toString(),
  };
}

/**
 * The stored form of an incoming SMS: its fields without the secret, which is encrypted
 * everywhere else and must not sit in clear in webhook_events. The job only parses it again.
 */
function withoutSecret(request: WebhookRequest): string {
  const { secret: _secret, ...fields } = fieldsOf(request);
  return new URLSearchParams(fields).toString();
}
