import { randomUUID } from "node:crypto";
import { countSegments } from "../lib/segments";
import { SimInputError, type SimContext } from "./context";
import type { OutgoingCallback } from "./deliver";
import { json, type SimRequest, type SimResponse } from "./http";
import {
  answeredMessage,
  confirmPolled,
  inStep,
  pushPolled,
  recordReply,
  waitingPolled,
  type MessageMediaInbound,
} from "./messagemedia-common";
import { authenticateRest } from "./messagemedia-rest-auth";
import { checkMessages, MAX_MESSAGES, type CheckedMessage } from "./messagemedia-rest-validate";
import {
  badRequest,
  deliveryReport,
  failureStep,
  messagemediaCallback,
  notFound,
  replyObject,
  restError,
  STEP,
  unauthorized,
  type ReportStep,
} from "./messagemedia-rest-wire";
import { setStatus, type MessageMediaRestAccount, type SentMessage } from "./state";

/**
 * api.messagemedia.com, REST v1: POST /v1/messages (up to 100 messages, all or none), GET
 * /v1/messages/{id}, and replies and delivery reports two ways: pushed to the message's
 * callback_url (signed when the account has a signature key) or kept until polled and
 * confirmed (GET /v1/replies, /v1/delivery_reports; POST .../confirmed).
 */
export const MESSAGEMEDIA_PREFIX = "/messagemedia";
const VENDOR = "messagemedia-rest";

const ROUTES = [
  "POST /v1/messages",
  "GET /v1/messages/{id}",
  "GET /v1/replies",
  "GET /v1/delivery_reports",
  "POST /v1/replies/confirmed",
  "POST /v1/delivery_reports/confirmed",
];

export async function handleMessageMediaRest(ctx: SimContext, request: SimRequest): Promise<SimResponse> {
  const path = request.path.replace(/\/+$/, "") || "/";
  const route = `${request.method} ${path.startsWith("/v1/messages/") ? "/v1/messages/{id}" : path}`;
  if (!ROUTES.includes(route)) return notFound();
  const account = authenticateRest(ctx, request, MESSAGEMEDIA_PREFIX);
  if (!account) return unauthorized();
  switch (route) {
    case "POST /v1/messages":
      return send(ctx, account, request.body);
    case "GET /v1/messages/{id}":
      return fetchMessage(ctx, account, decodeURIComponent(path.slice("/v1/messages/".length)));
    case "GET /v1/replies":
      return check(ctx, account, "reply");
    case "GET /v1/delivery_reports":
      return check(ctx, account, "report");
    case "POST /v1/replies/confirmed":
      return confirm(ctx, account, "reply", request.body);
    default:
      return confirm(ctx, account, "report", request.body);
  }
}

async function send(ctx: SimContext, account: MessageMediaRestAccount, body: string): Promise<SimResponse> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return badRequest(["Failed to parse message body."]);
  }
  const checked = checkMessages(parsed);
  if ("details" in checked) return badRequest(checked.details);

  // Faults come after validation: one invalid message refuses the batch before anything is taken.
  const failures: (string | undefined)[] = [];
  for (const message of checked.messages) {
    const outcome = await ctx.faults.apply(VENDOR, "send", message.destination_number, ctx.signal);
    if (outcome.kind === "http") return restError(outcome.status);
    failures.push(outcome.kind === "none" ? undefined : outcome.code);
  }
  const progress: (() => void)[][] = [];
  const echoes = checked.messages.map((checkedMessage, i) => {
    const message = store(ctx, account, checkedMessage);
    progress.push(startReports(ctx, account, message, checkedMessage, failures[i]));
    return { ...checkedMessage.echo, message_id: message.id, status: "queued" };
  });
  ctx.deliver.progress(inStep(progress));
  return json(202, { messages: echoes });
}

function store(ctx: SimContext, account: MessageMediaRestAccount, checked: CheckedMessage): SentMessage {
  const now = new Date();
  const extra: Record<string, string> = { format: checked.format, delivery_report: String(checked.delivery_report) };
  if (checked.callback_url) extra.callback_url = checked.callback_url;
  if (checked.metadata) extra.metadata = JSON.stringify(checked.metadata);
  extra.echo = JSON.stringify(checked.echo);
  const message: SentMessage = {
    vendor: VENDOR,
    id: randomUUID(),
    account: account.apiKey,
    from: checked.source_number ?? null,
    to: checked.destination_number,
    body: checked.content,
    media: Array.isArray(checked.echo.media) ? (checked.echo.media as string[]) : [],
    status: "queued",
    errorCode: null,
    segments: Math.max(countSegments(checked.content).segments, 1),
    createdAt: now,
    updatedAt: now,
    extra,
  };
  ctx.state.messages.push(message);
  return message;
}

/**
 * enroute, submitted, delivered (or enroute then the failure a test asked for, or expired when
 * the expiry has already passed), one step per report delay. With delivery_report each step is
 * a report: pushed to callback_url as a chain (duplicated or reordered when asked), else kept
 * for GET /v1/delivery_reports. Returns the status steps, for the batch's one progress chain.
 */
function startReports(
  ctx: SimContext,
  account: MessageMediaRestAccount,
  message: SentMessage,
  checked: CheckedMessage,
  failCode: string | undefined,
): (() => void)[] {
  const expired = checked.message_expiry_timestamp !== undefined && Date.parse(checked.message_expiry_timestamp) < Date.now();
  const steps: ReportStep[] = failCode
    ? [STEP.enroute, failureStep(failCode)]
    : expired
      ? [STEP.expired]
      : [STEP.enroute, STEP.submitted, STEP.delivered];
  const polled = checked.delivery_report && !checked.callback_url;
  if (checked.delivery_report && checked.callback_url) {
    const delayMs = ctx.state.reports.delayMs;
    const chain = steps.map((step, i) => {
      const report = deliveryReport(account, message, step, new Date(Date.now() + (i + 1) * delayMs));
      return messagemediaCallback(ctx.state, account, checked.callback_url!, "status", report);
    });
    ctx.deliver.schedule(chain);
  }
  return steps.map((step) => () => {
    const failed = !["enroute", "submitted", "delivered"].includes(step.status);
    setStatus(message, step.status, failed ? step.code : null);
    if (!polled) return;
    const report = deliveryReport(account, message, step, new Date());
    pushPolled(ctx, VENDOR, "report", account.apiKey, report.delivery_report_id as string, report);
  });
}

async function fetchMessage(ctx: SimContext, account: MessageMediaRestAccount, id: string): Promise<SimResponse> {
  const outcome = await ctx.faults.apply(VENDOR, "fetch", undefined, ctx.signal);
  if (outcome.kind === "http") return restError(outcome.status);
  const message = ctx.state.findMessage(VENDOR, id);
  if (!message || message.account !== account.apiKey || message.status === "received") return notFound();
  const echo = JSON.parse(message.extra.echo ?? "{}") as Record<string, unknown>;
  return json(200, { ...echo, message_id: message.id, status: message.status });
}

/** The oldest unconfirmed items, at most 100; the same ones come back until confirmed. */
async function check(ctx: SimContext, account: MessageMediaRestAccount, kind: "reply" | "report"): Promise<SimResponse> {
  const outcome = await ctx.faults.apply(VENDOR, "fetch", undefined, ctx.signal);
  if (outcome.kind === "http") return restError(outcome.status);
  const items = waitingPolled(ctx, VENDOR, kind, account.apiKey)
    .slice(0, MAX_MESSAGES)
    .map((item) => item.data);
  return json(200, kind === "reply" ? { replies: items } : { delivery_reports: items });
}

async function confirm(
  ctx: SimContext,
  account: MessageMediaRestAccount,
  kind: "reply" | "report",
  body: string,
): Promise<SimResponse> {
  const field = kind === "reply" ? "reply_ids" : "delivery_report_ids";
  let ids: unknown;
  try {
    ids = (JSON.parse(body) as Record<string, unknown> | null)?.[field];
  } catch {
    return badRequest(["Failed to parse message body."]);
  }
  if (!Array.isArray(ids) || ids.length === 0 || ids.length > MAX_MESSAGES || ids.some((id) => typeof id !== "string"))
    return badRequest([`/${field}: Between 1 and ${MAX_MESSAGES} ids (strings) can be confirmed in a request`]);
  const outcome = await ctx.faults.apply(VENDOR, "confirm", undefined, ctx.signal);
  if (outcome.kind === "http") return restError(outcome.status);
  confirmPolled(ctx, VENDOR, kind, account.apiKey, new Set(ids as string[]));
  return json(202, {});
}

/**
 * A phone replies: to the answered message's callback_url (as the check endpoint's reply),
 * else to the account's reply webhook (RECEIVED_SMS's default template), else kept for
 * GET /v1/replies. Signed like every callback when the account has a signature key.
 */
export function messagemediaRestInbound(ctx: SimContext, input: MessageMediaInbound): OutgoingCallback[] {
  if (input.media.length) throw new SimInputError("The simulator's MessageMedia replies are text only");
  const answered = answeredMessage(ctx, VENDOR, input);
  const account = ctx.state.accountFor(VENDOR, input.account ?? answered?.account);
  if (!account) throw new SimInputError(`No MessageMedia REST account ${input.account ?? ""} is registered`, 404);
  const id = randomUUID();
  const now = new Date();
  recordReply(ctx, VENDOR, account.apiKey, id, input, answered);
  const callbackUrl = answered?.extra.callback_url;
  const url = callbackUrl ?? account.replyUrl;
  const reply = replyObject(account, id, input.from, input.to, input.body, answered, now, !callbackUrl && url !== undefined);
  if (url) return [messagemediaCallback(ctx.state, account, url, "inbound", reply)];
  pushPolled(ctx, VENDOR, "reply", account.apiKey, id, reply);
  return [];
}
