import { countSegments } from "../lib/segments";
import type { SimContext } from "./context";
import { first, formBody, json, mediaResponse, rfc2822, type SimRequest, type SimResponse } from "./http";
import {
  authenticateTwilio,
  DELIVERY_ERRORS,
  twilioError,
  twilioFaultAnswer,
  twilioNotFound,
  twilioPage,
  twilioUnauthorized,
} from "./twilio-common";
import { handleTwilioNumbers } from "./twilio-numbers";
import { scheduleTwilioReports } from "./twilio-webhooks";
import { twilioSid, type SentMessage, type TwilioAccount } from "./state";

/**
 * api.twilio.com, 2010-04-01: the account, Messages (create, fetch, list) and their media;
 * phone numbers are in twilio-numbers.ts. Requests are form-encoded, answers JSON.
 */
const E164 = /^\+[1-9]\d{6,14}$/;
const MEDIA = /^\/2010-04-01\/Accounts\/(AC\w+)\/Messages\/(\w+)\/Media\/(ME\w+?)(\.json)?$/;

export async function handleTwilio(ctx: SimContext, request: SimRequest): Promise<SimResponse> {
  // Twilio serves media without credentials unless the account enforces HTTP auth on media.
  const media = MEDIA.exec(request.path);
  if (media && request.method === "GET") return serveMedia(ctx, request.path.replace(/\.json$/, ""));

  const match = /^\/2010-04-01\/Accounts\/([^/.]+)(\.json|\/.*)?$/.exec(request.path);
  if (!match) return twilioNotFound(request.path);
  const account = authenticateTwilio(ctx, request, match[1]);
  if (!account) return twilioUnauthorized();
  const rest = match[2] ?? "";

  if (rest === ".json") return request.method === "GET" ? await fetchAccount(ctx, account) : twilioError("20004", 405);
  if (rest === "/Messages.json") {
    if (request.method === "POST") return createMessage(ctx, request, account);
    if (request.method === "GET") return listMessages(ctx, request, account);
    return twilioError("20004", 405);
  }
  const one = /^\/Messages\/(\w+)\.json$/.exec(rest);
  if (one && request.method === "GET") {
    const message = ctx.state.findMessage("twilio", one[1]!);
    if (!message || message.account !== account.accountSid) return twilioNotFound(request.path);
    return json(200, messageJson(message));
  }
  return (await handleTwilioNumbers(ctx, request, account, rest)) ?? twilioNotFound(request.path);
}

async function fetchAccount(ctx: SimContext, account: TwilioAccount): Promise<SimResponse> {
  // A report code has no report to go in here: the account is fetched as usual.
  const fault = twilioFaultAnswer(await ctx.faults.apply("twilio", "account", undefined, ctx.signal), true);
  if (fault) return fault;
  const uri = `/2010-04-01/Accounts/${account.accountSid}.json`;
  return json(200, {
    auth_token: account.authToken,
    date_created: rfc2822(new Date(0)),
    date_updated: rfc2822(new Date(0)),
    friendly_name: "Simulated Twilio account",
    owner_account_sid: account.accountSid,
    sid: account.accountSid,
    status: "active",
    subresource_uris: {
      messages: uri.replace(".json", "/Messages.json"),
      incoming_phone_numbers: uri.replace(".json", "/IncomingPhoneNumbers.json"),
    },
    type: "Full",
    uri,
  });
}

async function createMessage(ctx: SimContext, request: SimRequest, account: TwilioAccount): Promise<SimResponse> {
  // Twilio reads only form parameters: a JSON body reads as no parameters at all.
  const params = formBody(request);
  const to = first(params, "To");
  const from = first(params, "From");
  const serviceSid = first(params, "MessagingServiceSid");
  const body = first(params, "Body") ?? "";
  const mediaUrls = params.get("MediaUrl") ?? [];
  const statusCallback = first(params, "StatusCallback");

  if (!to) return twilioError("21604");
  if (!E164.test(to)) return twilioError("21211", undefined, `The 'To' number ${to} is not a valid phone number.`);
  if (!from && !serviceSid) return twilioError("21603");
  if (from && !E164.test(from) && !/^[A-Za-z0-9 ]{1,11}$/.test(from)) return twilioError("21606");
  if (!body && mediaUrls.length === 0) return twilioError("21602");
  if (body.length > 1600) return twilioError("21617");
  if (statusCallback && !URL.canParse(statusCallback)) return twilioError("21609");
  if (serviceSid && !/^MG[0-9a-fA-F]{32}$/.test(serviceSid)) return twilioError("21701");
  const sender =
    from ??
    ctx.state.twilioNumbers.find((n) => n.accountSid === account.accountSid && n.messagingServiceSid === serviceSid)?.e164;
  if (!sender) return twilioError("21703");

  const outcome = await ctx.faults.apply("twilio", "send", to, ctx.signal);
  const fault = twilioFaultAnswer(outcome, true);
  if (fault) return fault;

  const now = new Date();
  const message: SentMessage = {
    vendor: "twilio",
    id: twilioSid(mediaUrls.length ? "MM" : "SM"),
    account: account.accountSid,
    from: from ?? null,
    to,
    body,
    media: mediaUrls,
    // A send through a messaging service without From is "accepted" until the service picks a sender.
    status: from ? "queued" : "accepted",
    errorCode: null,
    segments: Math.max(countSegments(body).segments, 1),
    createdAt: now,
    updatedAt: now,
    extra: {
      ...(serviceSid ? { MessagingServiceSid: serviceSid } : {}),
      ...(first(params, "ValidityPeriod") ? { ValidityPeriod: first(params, "ValidityPeriod")! } : {}),
    },
  };
  ctx.state.messages.push(message);
  const answer = json(201, messageJson(message));
  // Reports name the sender the service picked.
  message.from = sender;
  scheduleTwilioReports(
    ctx,
    account,
    message,
    statusCallback ?? account.statusCallbackUrl,
    outcome.kind === "report" ? outcome.code : undefined,
  );
  return answer;
}

function listMessages(ctx: SimContext, request: SimRequest, account: TwilioAccount): SimResponse {
  const to = request.query.get("To");
  const from = request.query.get("From");
  const messages = ctx.state.messages
    .filter((m) => m.vendor === "twilio" && m.account === account.accountSid && m.extra.direction !== "inbound")
    .filter((m) => (!to || m.to === to) && (!from || m.from === from))
    .reverse()
    .map(messageJson);
  return twilioPage(request, `/2010-04-01/Accounts/${account.accountSid}/Messages.json`, "messages", messages);
}

function serveMedia(ctx: SimContext, path: string): SimResponse {
  const media = ctx.state.media.get(`twilio:${path}`);
  return media ? mediaResponse(media) : twilioNotFound(path);
}

/** The Message resource as Twilio renders it: snake_case, counts as strings, RFC 2822 dates. */
export function messageJson(message: SentMessage): Record<string, unknown> {
  const uri = `/2010-04-01/Accounts/${message.account}/Messages/${message.id}.json`;
  const code = message.errorCode;
  return {
    account_sid: message.account,
    api_version: "2010-04-01",
    body: message.body,
    date_created: rfc2822(message.createdAt),
    date_sent: ["sent", "delivered", "undelivered"].includes(message.status) ? rfc2822(message.updatedAt) : null,
    date_updated: rfc2822(message.updatedAt),
    direction: message.extra.direction === "inbound" ? "inbound" : "outbound-api",
    error_code: code ? Number(code) : null,
    error_message: code ? (DELIVERY_ERRORS[code] ?? null) : null,
    from: message.from,
    messaging_service_sid: message.extra.MessagingServiceSid ?? null,
    num_media: String(message.media.length),
    num_segments: String(message.segments),
    price: null,
    price_unit: "USD",
    sid: message.id,
    status: message.status,
    subresource_uris: { media: uri.replace(".json", "/Media.json") },
    to: message.to,
    uri,
  };
}
