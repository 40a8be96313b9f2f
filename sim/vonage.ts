import { randomInt } from "node:crypto";
import { countSegments } from "../lib/segments";
import { SimInputError, type SimContext } from "./context";
import type { OutgoingCallback } from "./deliver";
import {
  formParams,
  isJson,
  json,
  queryObject,
  sameSecret,
  text as plainText,
  vonageTimestamp,
  type SimRequest,
  type SimResponse,
} from "./http";
import { vonageSignature } from "./signatures";
import { setStatus, vonageId, type SentMessage, type VonageAccount } from "./state";
import type { InboundInput } from "./twilio-webhooks";
import { statusText, vonageWebhook } from "./vonage-wire";

/**
 * rest.nexmo.com: the SMS API (/sms/json) with credentials in the query or body, answered
 * 200 with a per-part status ("0" is success); account balance and webhook settings; and
 * delivery receipts and inbound texts to the account's webhook URLs, signed when the
 * account has a signature secret.
 */
export async function handleVonage(ctx: SimContext, request: SimRequest): Promise<SimResponse> {
  const params = readParams(request);
  if (request.path === "/sms/json" && (request.method === "POST" || request.method === "GET")) return send(ctx, params);
  if (request.path === "/account/get-balance" || request.path === "/account/settings") {
    const account = authenticate(ctx, params);
    if (typeof account === "string") return json(401, { "error-code": "401", "error-code-label": "authentication failed" });
    const outcome = await ctx.faults.apply("vonage", "account", undefined, ctx.signal);
    if (outcome.kind === "http") return plainText(outcome.status, `Simulated HTTP ${outcome.status}`);
    if (request.path === "/account/get-balance") return json(200, { value: 10.28, autoReload: false });
    if (params.moCallBackUrl !== undefined) account.inboundUrl = params.moCallBackUrl || undefined;
    if (params.drCallBackUrl !== undefined) account.dlrUrl = params.drCallBackUrl || undefined;
    return json(200, {
      "mo-callback-url": account.inboundUrl ?? "",
      "dr-callback-url": account.dlrUrl ?? "",
      "max-outbound-request": 30,
      "max-inbound-request": 30,
      "max-calls-per-second": 30,
    });
  }
  return plainText(404, "Not Found");
}

async function send(ctx: SimContext, params: Record<string, string>): Promise<SimResponse> {
  const account = authenticate(ctx, params);
  if (typeof account === "string")
    return failure(
      account === "missing" ? "2" : account === "signature" ? "14" : "4",
      account === "missing" ? "Missing api_key" : undefined,
    );
  const { from, to, text = "", callback } = params;
  const type = params.type ?? "text";
  if (!from) return failure("2", "Missing from param");
  if (!to) return failure("2", "Missing to param");
  if (!text && (type === "text" || type === "unicode")) return failure("2", "Missing text param", to);
  if (!/^\d{7,15}$/.test(to)) return failure("3", "Invalid to address", to);
  if (!/^(\d{1,15}|[A-Za-z0-9 ]{1,11})$/.test(from)) return failure("15", undefined, to);
  if (!["text", "unicode", "binary"].includes(type)) return failure("3", "Invalid message type", to);
  if (callback && !URL.canParse(callback)) return failure("23", undefined, to);

  const outcome = await ctx.faults.apply("vonage", "send", to, ctx.signal);
  if (outcome.kind === "http") return plainText(outcome.status, `Simulated HTTP ${outcome.status}`);
  if (outcome.kind === "code") return failure(outcome.code, undefined, to);

  const parts = type === "unicode" ? ucs2Parts(text) : Math.max(countSegments(text).segments, 1);
  const now = new Date();
  const messages: SentMessage[] = Array.from({ length: parts }, () => ({
    vendor: "vonage",
    id: vonageId(),
    account: account.apiKey,
    from,
    to,
    body: text,
    media: [],
    status: "submitted",
    errorCode: null,
    segments: parts,
    createdAt: now,
    updatedAt: now,
    extra: { type, ...(params["client-ref"] ? { "client-ref": params["client-ref"] } : {}) },
  }));
  ctx.state.messages.push(...messages);
  const failCode = outcome.kind === "report" ? outcome.code : undefined;
  ctx.deliver.progress([
    () => {
      for (const m of messages) setStatus(m, failCode ? "failed" : "delivered", failCode ?? null);
    },
  ]);
  const url = callback || account.dlrUrl;
  const wantsReceipt = !["0", "false"].includes(params["status-report-req"] ?? "1");
  if (url && wantsReceipt) for (const m of messages) ctx.deliver.schedule([receipt(account, url, m, failCode)]);
  return json(200, {
    "message-count": String(parts),
    messages: messages.map((m) => ({
      to,
      "message-id": m.id,
      status: "0",
      "remaining-balance": "10.28000000",
      "message-price": "0.00570000",
      network: "310999",
      ...(m.extra["client-ref"] ? { "client-ref": m.extra["client-ref"] } : {}),
    })),
  });
}

/** A delivery receipt, per part, as Vonage sends them. */
function receipt(account: VonageAccount, url: string, message: SentMessage, failCode?: string): OutgoingCallback {
  const now = new Date();
  const params: Record<string, string> = {
    msisdn: message.to,
    to: message.from ?? "",
    "network-code": "310999",
    messageId: message.id,
    price: "0.00570000",
    status: failCode ? "failed" : "delivered",
    scts: now.toISOString().replace(/\D/g, "").slice(2, 12),
    "err-code": failCode ?? "0",
    "api-key": account.apiKey,
    "message-timestamp": vonageTimestamp(now),
  };
  if (message.extra["client-ref"]) params["client-ref"] = message.extra["client-ref"];
  return vonageWebhook(account, url, "status", params);
}

/** A phone texting one of our numbers; a long text arrives as `parts` webhooks with concat fields. */
export function vonageInbound(ctx: SimContext, input: InboundInput): OutgoingCallback[] {
  const account = ctx.state.accountFor("vonage", input.account);
  if (!account) throw new SimInputError(`No Vonage account ${input.account ?? ""} is registered`, 404);
  if (!account.inboundUrl) throw new SimInputError(`Vonage account ${account.apiKey} has no inboundUrl`, 409);
  if (input.media.length) throw new SimInputError("Vonage's SMS API carries no media");
  const chunks = split(input.body, input.parts);
  const ref = String(randomInt(0, 256));
  const type = countSegments(input.body).encoding === "GSM7" ? "text" : "unicode";
  return chunks.map((chunk, i) => {
    const now = new Date();
    const params: Record<string, string> = {
      "api-key": account.apiKey,
      msisdn: input.from.replace(/^\+/, ""),
      to: input.to.replace(/^\+/, ""),
      messageId: vonageId(),
      text: chunk,
      type,
      keyword: (chunk.trim().split(/\s+/)[0] ?? "").toUpperCase(),
      "message-timestamp": vonageTimestamp(now),
    };
    if (chunks.length > 1)
      Object.assign(params, {
        concat: "true",
        "concat-ref": ref,
        "concat-total": String(chunks.length),
        "concat-part": String(i + 1),
      });
    return vonageWebhook(account, account.inboundUrl!, "inbound", params);
  });
}

/** The account, or why not: "missing" key or secret, "signature" mismatch, "wrong" credentials. */
function authenticate(ctx: SimContext, params: Record<string, string>): VonageAccount | "missing" | "signature" | "wrong" {
  if (!params.api_key || (!params.api_secret && !params.sig)) return "missing";
  const account = ctx.state.findAccount("vonage", params.api_key);
  if (!account) return "wrong";
  if (params.sig) {
    if (!account.signatureSecret) return "wrong";
    const expected = vonageSignature(account.signatureMethod, account.signatureSecret, params);
    return sameSecret(expected.toLowerCase(), params.sig.toLowerCase()) ? account : "signature";
  }
  return sameSecret(account.apiSecret, params.api_secret!) ? account : "wrong";
}

function failure(status: string, text?: string, to?: string): SimResponse {
  return json(200, {
    "message-count": "1",
    messages: [{ ...(to ? { to } : {}), status, "error-text": text ?? statusText(status) }],
  });
}

/** Query parameters, then the body's (form or JSON), as Vonage accepts either. */
function readParams(request: SimRequest): Record<string, string> {
  const params = queryObject(request.query);
  if (isJson(request)) {
    try {
      const body: unknown = JSON.parse(request.body);
      if (body && typeof body === "object") for (const [k, v] of Object.entries(body)) params[k] = String(v);
    } catch {
      // Vonage reads a malformed body as no parameters: the answer names what is missing.
    }
  } else for (const [k, v] of formParams(request.body)) params[k] = v[0]!;
  return params;
}

function ucs2Parts(text: string): number {
  return text.length <= 70 ? 1 : Math.ceil(text.length / 67);
}

/** Splits a text into n parts without breaking a surrogate pair. */
function split(text: string, n: number): string[] {
  const chars = Array.from(text);
  const count = Math.max(1, Math.min(n, chars.length || 1));
  const size = Math.ceil(chars.length / count);
  return Array.from({ length: count }, (_, i) => chars.slice(i * size, (i + 1) * size).join("")).filter(
    (c, i) => c !== "" || i === 0,
  );
}
