import { countSegments } from "../lib/segments";
import { mediaContent, SimInputError, type SimContext } from "./context";
import type { OutgoingCallback } from "./deliver";
import { basicAuth, isJson, json, mediaResponse, sameSecret, type SimRequest, type SimResponse } from "./http";
import { bandwidthId, receivedMessage, setStatus, type BandwidthAccount, type SentMessage } from "./state";
import type { InboundInput } from "./twilio-webhooks";
import { bandwidthCallback, bandwidthError, bandwidthNotFound, deliveryEvents, messageObject } from "./bandwidth-wire";

/**
 * messaging.bandwidth.com, Messaging API v2: create and list messages, inbound media, and
 * the callbacks (always a JSON array) to the messaging application's callback URL with
 * the application's HTTP Basic credentials.
 */
const E164 = /^\+[1-9]\d{6,14}$/;

export async function handleBandwidth(ctx: SimContext, request: SimRequest): Promise<SimResponse> {
  const match = /^\/api\/v2\/users\/([^/]+)\/(messages|media\/.+)$/.exec(request.path);
  if (!match) return bandwidthNotFound(request.path);
  const accountId = decodeURIComponent(match[1]!);
  const auth = authenticateBandwidth(ctx, request, accountId);
  if (!("vendor" in auth)) return auth;
  if (match[2]!.startsWith("media/")) {
    const media = ctx.state.media.get(`bandwidth:${request.path}`);
    return media ? mediaResponse(media) : bandwidthNotFound(request.path);
  }
  if (request.method === "POST") return createMessage(ctx, request, auth);
  if (request.method === "GET") return listMessages(ctx, request, auth);
  return bandwidthNotFound(request.path);
}

/** The account, or Bandwidth's 401 (unknown credentials) or 403 (valid user, another account). */
export function authenticateBandwidth(ctx: SimContext, request: SimRequest, accountId: string): BandwidthAccount | SimResponse {
  const credentials = basicAuth(request);
  if (!credentials) return bandwidthError(401);
  const matches = (a: BandwidthAccount) => a.username === credentials.username && sameSecret(a.password, credentials.password);
  const account = ctx.state.findAccount("bandwidth", accountId);
  if (account && matches(account)) return account;
  const elsewhere = [...ctx.state.accounts.values()].some((a) => a.vendor === "bandwidth" && matches(a));
  return bandwidthError(elsewhere ? 403 : 401);
}

async function createMessage(ctx: SimContext, request: SimRequest, account: BandwidthAccount): Promise<SimResponse> {
  const type = request.headers["content-type"] ?? "";
  if (!isJson(request)) return bandwidthError(415, `Content type '${type}' not supported. Please use 'application/json'`);
  let input: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(request.body);
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("not an object");
    input = parsed as Record<string, unknown>;
  } catch {
    return bandwidthError(400);
  }
  const fieldErrors = validate(input, account);
  if (fieldErrors.length)
    return json(400, { type: "request-validation", description: "Your request could not be accepted", fieldErrors });
  const to = input.to as string[];
  const media = (input.media as string[] | undefined) ?? [];

  const outcome = await ctx.faults.apply("bandwidth", "send", to[0], ctx.signal);
  if (outcome.kind === "http") return bandwidthError(outcome.status);

  const now = new Date();
  const extra: Record<string, string> = { applicationId: String(input.applicationId), recipients: to.join(",") };
  for (const key of ["tag", "priority", "expiration"] as const) if (typeof input[key] === "string") extra[key] = input[key];
  const message: SentMessage = {
    vendor: "bandwidth",
    id: bandwidthId(),
    account: account.accountId,
    from: String(input.from),
    to: to[0]!,
    body: typeof input.text === "string" ? input.text : "",
    media,
    status: "accepted",
    errorCode: null,
    segments: Math.max(countSegments(typeof input.text === "string" ? input.text : "").segments, 1),
    createdAt: now,
    updatedAt: now,
    extra,
  };
  ctx.state.messages.push(message);
  const failCode = outcome.kind === "none" ? undefined : outcome.code;
  const events = deliveryEvents(message, failCode);
  ctx.deliver.progress(events.map((e) => () => setStatus(message, e.type.replace("message-", ""), e.errorCode ?? null)));
  if (account.callbackUrl)
    ctx.deliver.schedule(events.map((event) => bandwidthCallback(account, account.callbackUrl!, "status", [event])));
  return json(202, messageObject(message, "out"));
}

function validate(input: Record<string, unknown>, account: BandwidthAccount): { fieldName: string; description: string }[] {
  const errors: { fieldName: string; description: string }[] = [];
  const { applicationId, to, from, text, media, tag } = input;
  if (typeof applicationId !== "string" || !applicationId)
    errors.push({ fieldName: "applicationId", description: "'applicationId' is required" });
  else if (account.applicationId && applicationId !== account.applicationId)
    errors.push({ fieldName: "applicationId", description: `'${applicationId}' is not a valid application for this account` });
  if (!Array.isArray(to) || to.length === 0)
    errors.push({ fieldName: "to", description: "'to' must be a non-empty array of phone numbers" });
  else
    for (const n of to)
      if (typeof n !== "string" || !E164.test(n))
        errors.push({
          fieldName: "to",
          description: `'${String(n)}' must be replaced with a valid E164 formatted telephone number`,
        });
  if (typeof from !== "string" || !(E164.test(from) || /^\d{5,6}$/.test(from)))
    errors.push({
      fieldName: "from",
      description: `'${String(from ?? "")}' must be replaced with a valid E164 formatted telephone number`,
    });
  if (media !== undefined && (!Array.isArray(media) || media.some((m) => typeof m !== "string" || !URL.canParse(m))))
    errors.push({ fieldName: "media", description: "'media' must be an array of URLs" });
  if ((typeof text !== "string" || text === "") && (!Array.isArray(media) || media.length === 0))
    errors.push({ fieldName: "text", description: "'text' is required when there is no media" });
  if (tag !== undefined && (typeof tag !== "string" || tag.length > 1024))
    errors.push({ fieldName: "tag", description: "'tag' must be a string of at most 1024 characters" });
  return errors;
}

function listMessages(ctx: SimContext, request: SimRequest, account: BandwidthAccount): SimResponse {
  const q = request.query;
  const limit = Math.min(Math.max(Number(q.get("limit") ?? 1000) || 1000, 1), 10_000);
  const found = ctx.state.messages
    .filter((m) => m.vendor === "bandwidth" && m.account === account.accountId)
    .filter((m) => (!q.get("messageId") || m.id === q.get("messageId")) && (!q.get("sourceTn") || m.from === q.get("sourceTn")))
    .filter((m) => !q.get("destinationTn") || m.to === q.get("destinationTn"));
  const messages = found.slice(0, limit).map((m) => ({
    messageId: m.id,
    accountId: account.accountId,
    sourceTn: m.from,
    destinationTn: m.to,
    messageStatus: m.status.toUpperCase(),
    messageDirection: m.extra.direction === "inbound" ? "INBOUND" : "OUTBOUND",
    messageType: m.media.length ? "mms" : "sms",
    segmentCount: m.segments,
    errorCode: m.errorCode ? Number(m.errorCode) : 0,
    receiveTime: m.createdAt.toISOString(),
    carrierName: null,
    messageSize: m.segments,
    messageLength: m.body.length,
    attachmentCount: m.media.length,
    recipientCount: 1,
    campaignClass: null,
    campaignId: null,
  }));
  const pageInfo = { prevPage: null, nextPage: null, prevPageToken: null, nextPageToken: null };
  return json(200, { totalCount: found.length, pageInfo, messages });
}

/** A phone texting one of our numbers: one message-received event, media hosted here behind Basic auth. */
export function bandwidthInbound(ctx: SimContext, input: InboundInput): OutgoingCallback[] {
  const owner = ctx.state.bandwidthNumbers.find((n) => `+1${n.tn}` === input.to)?.accountId;
  const account = ctx.state.accountFor("bandwidth", input.account ?? owner);
  if (!account) throw new SimInputError(`No Bandwidth account ${input.account ?? ""} is registered`, 404);
  const url = account.inboundUrl ?? account.callbackUrl;
  if (!url) throw new SimInputError(`Bandwidth account ${account.accountId} has no callbackUrl (or inboundUrl)`, 409);
  const id = bandwidthId();
  const media = input.media.map((item, i) => {
    const content = mediaContent(item);
    const path = `/api/v2/users/${account.accountId}/media/${id}/${i}/${content.filename}`;
    ctx.state.media.set(`bandwidth:${path}`, content);
    return `${ctx.baseUrl()}/bandwidth${path}`;
  });
  const now = new Date();
  const message = receivedMessage(
    "bandwidth",
    id,
    account.accountId,
    input,
    {
      direction: "inbound",
      applicationId: account.applicationId ?? "",
      recipients: input.to,
    },
    media,
  );
  ctx.state.messages.push(message);
  const event = {
    type: "message-received",
    time: now.toISOString(),
    description: "Incoming message received",
    to: input.to,
    message: messageObject(message, "in"),
  };
  return [bandwidthCallback(account, url, "inbound", [event])];
}
