import { errorTableEntry, knownError, VendorError } from "../errors";
import { basicAuthHeader, type VendorHttpResponse } from "../http";
import type { VendorContext, VendorErrorInfo } from "../types";
import { safeJson } from "../vendor-response";
import type { TwilioConfig } from "./config";
import errorTable from "./errors.json";

type Ctx = VendorContext<TwilioConfig>;

/** One request to any Twilio API: HTTP Basic with the Account SID and Auth Token, form bodies, JSON answers. */
export function twilioRequest(ctx: Ctx, method: "GET" | "POST" | "DELETE", url: string, form?: URLSearchParams): Promise<VendorHttpResponse> {
  return ctx.http.request({
    method,
    url,
    headers: {
      authorization: basicAuthHeader(ctx.config.accountSid, ctx.config.authToken),
      accept: "application/json",
      ...(form ? { "content-type": "application/x-www-form-urlencoded" } : {}),
    },
    body: form?.toString(),
  });
}

export function isSuccess(response: VendorHttpResponse): boolean {
  return response.status >= 200 && response.status < 300;
}

/** Twilio's own words for a code. Codes not in our table still get Twilio's page for them. */
export function describeTwilioError(code: string): VendorErrorInfo | undefined {
  const entry = errorTableEntry(errorTable, code);
  if (entry) return entry;
  if (!/^\d{5}$/.test(code)) return undefined;
  return { code, description: `Twilio error ${code}; Twilio's page for it explains the cause.`, link: twilioErrorLink(code), retryable: false };
}

export function twilioErrorLink(code: string): string {
  return `https://www.twilio.com/docs/api/errors/${code}`;
}

/** A refusal we can tell without asking Twilio, in Twilio's words (e.g. 21603 when there is no sender). */
export function twilioCodeError(code: string): VendorError {
  return knownError(describeTwilioError(code)!);
}

/**
 * A Twilio error answer, `{ code, message, more_info, status }`, as a VendorError. Our table
 * decides what a code means (21610 opts the contact out; 20429, 63018, 30001 and 21611 are
 * worth retrying); HTTP 429 and 5xx are retryable whatever the body says, and a 401 without
 * a body is Twilio's 20003 all the same.
 */
export function twilioError(response: VendorHttpResponse): VendorError {
  const json = readJson(response.body);
  const rawCode = json?.code;
  const code =
    typeof rawCode === "number" || (typeof rawCode === "string" && rawCode !== "") ? String(rawCode) : response.status === 401 ? "20003" : undefined;
  const known = code ? errorTableEntry(errorTable, code) : undefined;
  const message = typeof json?.message === "string" && json.message ? json.message : undefined;
  const moreInfo = typeof json?.more_info === "string" && /^https?:\/\//.test(json.more_info) ? json.more_info : undefined;
  return new VendorError({
    code: code ?? `http_${response.status}`,
    vendorCode: code,
    retryable: response.status === 429 || response.status >= 500 || (known?.retryable ?? false),
    // Our table's sentence where we have one (it says what to do); otherwise Twilio's own message.
    // Never the raw body: this sentence is shown on the message, unredacted, and the body could echo anything.
    description: known?.description ?? message ?? `Twilio answered HTTP ${response.status} without an error code`,
    link: known?.link ?? moreInfo ?? (code && /^\d{5}$/.test(code) ? twilioErrorLink(code) : undefined),
    optOut: known?.optOut ?? false,
    retryAfterSeconds: retryAfter(response.headers.get("retry-after")),
  });
}

export function readJson(body: string): Record<string, unknown> | undefined {
  const value = safeJson(body);
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

export function stringField(json: Record<string, unknown> | undefined, name: string): string | undefined {
  const value = json?.[name];
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** Only the delay-seconds form: an HTTP date would need a trustworthy clock on both sides. */
function retryAfter(header: string | null): number | undefined {
  if (!header || !/^\d{1,6}$/.test(header.trim())) return undefined;
  return Number(header.trim());
}
