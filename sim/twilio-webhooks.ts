import { randomUUID } from "node:crypto";
import { countSegments } from "../lib/segments";
import { mediaContent, SimInputError, type MediaInput, type SimContext } from "./context";
import type { OutgoingCallback } from "./deliver";
import { twilioSignature } from "./signatures";
import { receivedMessage, setStatus, twilioSid, type SentMessage, type TwilioAccount } from "./state";

/**
 * Twilio calling the hub: status callbacks after a send and inbound texts, as form POSTs
 * signed with X-Twilio-Signature over the exact URL and the sorted parameters.
 */
const API_VERSION = "2010-04-01";
const WEBHOOK_TIMEOUT_MS = 15_000;

/** After a send: "sent", then "delivered" (or "undelivered" with the error code a test asked for). */
export function scheduleTwilioReports(
  ctx: SimContext,
  account: TwilioAccount,
  message: SentMessage,
  url: string | undefined,
  failCode?: string,
): void {
  const final = failCode ? "undelivered" : "delivered";
  const steps = [() => setStatus(message, "sent", null), () => setStatus(message, final, failCode ?? null)];
  ctx.deliver.progress(steps);
  if (!url) return;
  ctx.deliver.schedule([
    () => statusCallback(account, message, url, "sent"),
    () => statusCallback(account, message, url, final, failCode),
  ]);
}

function statusCallback(
  account: TwilioAccount,
  message: SentMessage,
  url: string,
  status: string,
  errorCode?: string,
): OutgoingCallback {
  const params: Record<string, string> = {
    ApiVersion: API_VERSION,
    AccountSid: account.accountSid,
    From: message.from ?? "",
    MessageSid: message.id,
    MessageStatus: status,
    SmsSid: message.id,
    SmsStatus: status,
    To: message.to,
  };
  if (message.extra.MessagingServiceSid) params.MessagingServiceSid = message.extra.MessagingServiceSid;
  if (errorCode) params.ErrorCode = errorCode;
  if (status === "delivered") params.RawDlrDoneDate = rawDlrDate(new Date());
  return signedPost(account, url, params, "status");
}

export type InboundInput = { account?: string; from: string; to: string; body: string; media: MediaInput[]; parts: number };

/** A phone texting one of our numbers: Twilio joins the parts and posts once to the number's SmsUrl. */
export function twilioInbound(ctx: SimContext, input: InboundInput): OutgoingCallback[] {
  const number = ctx.state.twilioNumbers.find((n) => n.e164 === input.to);
  const account = number ? ctx.state.findAccount("twilio", number.accountSid) : ctx.state.accountFor("twilio", input.account);
  if (!account) throw new SimInputError(`No Twilio account ${input.account ?? ""} is registered`, 404);
  const url = number?.smsUrl || account.inboundUrl;
  if (!url)
    throw new SimInputError(
      `Neither ${input.to} (SmsUrl) nor account ${account.accountSid} (inboundUrl) has an inbound webhook URL`,
      409,
    );

  const sid = twilioSid(input.media.length ? "MM" : "SM");
  const params: Record<string, string> = {
    ToCountry: country(input.to),
    ToState: "",
    SmsMessageSid: sid,
    NumMedia: String(input.media.length),
    ToCity: "",
    FromZip: "",
    SmsSid: sid,
    FromState: "",
    SmsStatus: "received",
    FromCity: "",
    Body: input.body,
    FromCountry: country(input.from),
    To: input.to,
    ToZip: "",
    NumSegments: String(Math.max(input.parts, countSegments(input.body).segments, 1)),
    ReferralNumMedia: "0",
    MessageSid: sid,
    AccountSid: account.accountSid,
    From: input.from,
    ApiVersion: API_VERSION,
  };
  if (number?.messagingServiceSid) params.MessagingServiceSid = number.messagingServiceSid;
  input.media.forEach((item, i) => {
    const media = mediaContent(item);
    const path = `/${API_VERSION}/Accounts/${account.accountSid}/Messages/${sid}/Media/${twilioSid("ME")}`;
    ctx.state.media.set(`twilio:${path}`, media);
    params[`MediaContentType${i}`] = media.contentType;
    params[`MediaUrl${i}`] = `${ctx.baseUrl()}/twilio${path}`;
  });
  ctx.state.messages.push(receivedMessage("twilio", sid, account.accountSid, input, { direction: "inbound" }));
  return [signedPost(account, url, params, "inbound")];
}

function signedPost(
  account: TwilioAccount,
  url: string,
  params: Record<string, string>,
  kind: OutgoingCallback["kind"],
): OutgoingCallback {
  return {
    vendor: "twilio",
    kind,
    method: "POST",
    url,
    headers: {
      "content-type": "application/x-www-form-urlencoded; charset=utf-8",
      "user-agent": "TwilioProxy/1.1",
      "i-twilio-idempotency-token": randomUUID(),
      "x-twilio-signature": twilioSignature(account.authToken, url, params),
    },
    body: new URLSearchParams(params).toString(),
    timeoutMs: WEBHOOK_TIMEOUT_MS,
    review: (response) => reviewAnswer(kind, response),
  };
}

/** The warnings Twilio's debugger would log for the hub's answer. */
function reviewAnswer(
  kind: OutgoingCallback["kind"],
  response: { status: number; headers: Record<string, string>; body: string },
): string[] {
  if (response.status < 200 || response.status > 299)
    return [`11200 HTTP retrieval failure: the hub answered ${response.status}`];
  if (kind !== "inbound" || response.body.trim() === "") return [];
  const type = response.headers["content-type"] ?? "";
  if (!/xml/i.test(type)) return [`12300 Invalid Content-Type: ${type || "none"} (TwiML must be text/xml or application/xml)`];
  if (!/<Response\s*\/?>/.test(response.body)) return ["12100 Document parse failure: no <Response> element"];
  return [];
}

function country(e164: string): string {
  return e164.startsWith("+1") ? "US" : "";
}

/** RawDlrDoneDate is the carrier's YYMMDDhhmm. */
function rawDlrDate(date: Date): string {
  return date.toISOString().replace(/\D/g, "").slice(2, 12);
}
