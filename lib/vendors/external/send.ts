import { httpFailure, VendorError } from "../errors";
import type { VendorHttpResponse } from "../http";
import type { OutboundMessage, SendResult, VendorContext } from "../types";
import { retryAfterSeconds, safeJson } from "../vendor-response";
import { CONTENT_TYPES, DEFAULT_BODIES, parseStatusSpec, readHeaderLines, type ExternalConfig } from "./config";
import { jsonValueText, parseJsonPath, readJsonPath } from "./json-path";
import { fillTemplate, splitText, type Variables } from "./template";

type Ctx = VendorContext<ExternalConfig>;

const BODY_ENCODING = { json: "json", form: "form", xml: "xml" } as const;
const EXCERPT_CHARS = 200;

/**
 * One message as the settings describe the request: a long text in several requests when a
 * maximum length is set (each with the same id, as courier sends them), links to any media
 * after the text, since a gateway takes text only (courier does the same).
 */
export async function sendExternal(ctx: Ctx, message: OutboundMessage): Promise<SendResult> {
  const from = message.from ?? ctx.config.number;
  const text = [message.body, ...message.mediaUrls].filter(Boolean).join("\n");
  const parts = splitText(text, ctx.config.maxLength);
  const ids: string[] = [];
  for (const [i, part] of parts.entries()) {
    try {
      ids.push(await sendPart(ctx, variablesFor(ctx, message, from, part)));
    } catch (error) {
      if (i === 0 || !(error instanceof VendorError)) throw error;
      // Retrying would send the parts the gateway took a second time.
      throw externalError(
        "external-partial-send",
        `The gateway took ${i} of ${parts.length} parts, then refused the next: ${error.description}`,
      );
    }
  }
  return { vendorMessageIds: [...new Set(ids)] };
}

/** A request that only shows whether the gateway's host answers: nothing is sent. */
export async function probeGateway(ctx: Ctx): Promise<{ ok: boolean; detail: string }> {
  const origin = new URL(fillTemplate(ctx.config.sendUrl, variablesFor(ctx, probeMessage, ctx.config.number, ""), "url")).origin;
  try {
    const response = await ctx.http.request({ method: "GET", url: `${origin}/` });
    return {
      ok: true,
      detail: `${origin} answered (HTTP ${response.status}). Nothing was sent: a gateway's credentials and response check are only tried by sending a message.`,
    };
  } catch (error) {
    return { ok: false, detail: error instanceof VendorError ? error.description : `Could not reach ${origin}.` };
  }
}

async function sendPart(ctx: Ctx, variables: Variables): Promise<string> {
  const { config } = ctx;
  const url = fillTemplate(config.sendUrl, variables, "url");
  if (!/^https?:\/\//i.test(url) || !URL.canParse(url))
    throw externalError(
      "external-bad-url",
      `The send URL is not a valid http(s) URL once its variables are filled in: ${url.slice(0, 200)}`,
    );
  const hasBody = config.method !== "GET";
  const headers: Record<string, string> = hasBody ? { "content-type": CONTENT_TYPES[config.contentType] } : {};
  // Header names are case-insensitive: a configured Content-Type replaces ours.
  for (const [name, value] of readHeaderLines(config.headers).headers)
    headers[name.toLowerCase()] = fillTemplate(value, variables, "header");
  if (config.authorizationHeader) headers.authorization = config.authorizationHeader;
  const template = config.bodyTemplate?.trim() || DEFAULT_BODIES[config.contentType];
  const body = hasBody ? fillTemplate(template, variables, BODY_ENCODING[config.contentType]) : undefined;
  const response = await ctx.http.request({ method: config.method, url, headers, body });
  return acceptedId(config, response, variables.id, ctx.now());
}

/** Throws unless the answer is what the settings call a success; then the gateway's id for the message, or ours. */
function acceptedId(config: ExternalConfig, response: VendorHttpResponse, ourId: string, now: Date): string {
  const seen = `HTTP ${response.status}: ${excerpt(response.body)}`;
  if (!parseStatusSpec(config.responseStatus)!(response.status)) {
    if (response.status === 429 || response.status >= 500)
      throw httpFailure(response.status, `The gateway answered ${seen}; it will be retried.`, retryAfterSeconds(response, now));
    throw externalError("external-response-status", `The gateway answered ${seen}, expected HTTP ${config.responseStatus}.`);
  }
  if (config.responseContains && !response.body.includes(config.responseContains))
    throw externalError(
      "external-response-check",
      `The gateway's answer does not contain "${config.responseContains}" (${seen}).`,
    );
  if (config.responseJsonPath) {
    const path = config.responseJsonPath;
    const data = safeJson(response.body);
    if (data === undefined)
      throw externalError("external-response-check", `The gateway's answer is not JSON, so ${path} cannot be checked (${seen}).`);
    const found = jsonValueText(readJsonPath(data, parseJsonPath(path)!));
    if (found === undefined) throw externalError("external-response-check", `The gateway's answer has no ${path} (${seen}).`);
    if (config.responseJsonValue !== undefined && found !== config.responseJsonValue)
      throw externalError(
        "external-response-check",
        `The gateway's answer has ${path} = "${found}", expected "${config.responseJsonValue}" (${seen}).`,
      );
  }
  if (!config.vendorIdJsonPath) return ourId;
  const id = readJsonPath(safeJson(response.body), parseJsonPath(config.vendorIdJsonPath)!);
  // The message went: an answer without the id must not fail it. Status callbacks bring our id back.
  const text = typeof id === "string" || typeof id === "number" ? String(id).trim() : "";
  return text && text.length <= 200 ? text : ourId;
}

function variablesFor(ctx: Ctx, message: Pick<OutboundMessage, "id" | "to">, from: string, text: string): Variables {
  return {
    id: message.id,
    uuid: message.id,
    text,
    to: message.to,
    to_no_plus: message.to.replace(/^\+/, ""),
    from,
    from_no_plus: from.replace(/^\+/, ""),
    channel: ctx.account.id,
    // RapidPro's flow session; we have none, and its default form body names it.
    session_status: "",
  };
}

const probeMessage = { id: "00000000-0000-4000-8000-000000000000", to: "+10000000000" };

function excerpt(body: string): string {
  const text = body.replace(/\s+/g, " ").trim();
  if (!text) return "an empty body";
  return `"${text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS)}…` : text}"`;
}

function externalError(code: string, description: string): VendorError {
  return new VendorError({ code, retryable: false, description });
}
