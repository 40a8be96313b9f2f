import { z } from "zod";
import { httpFailure, type VendorError } from "../errors";
import type { VendorHttpResponse } from "../http";
import type { VendorContext } from "../types";
import { retryAfterSeconds, safeJson } from "../vendor-response";
import { authHeaders } from "./auth";
import { apiUrl, type MessageMediaRestConfig } from "./config";

type Ctx = VendorContext<MessageMediaRestConfig>;

/** One authenticated JSON request to the Messages API; the body, when given, is sent exactly as signed. */
export async function callApi(ctx: Ctx, method: "GET" | "POST", path: string, body?: unknown): Promise<VendorHttpResponse> {
  const url = apiUrl(ctx.config, path);
  const text = body === undefined ? undefined : JSON.stringify(body);
  return ctx.http.request({
    method,
    url,
    headers: {
      accept: "application/json",
      ...(text === undefined ? {} : { "content-type": "application/json" }),
      ...authHeaders(ctx.config, { method, url, body: text }, ctx.now()),
    },
    body: text,
  });
}

/**
 * A refused request as a VendorError. MessageMedia answers 400 with `{ message, details }`,
 * each detail naming the field (`/messages/0/destination_number: ...`); 401 and 403 with
 * `{ message }`. Network failures, 429 and 5xx are retried (after Retry-After, when given).
 */
export function apiFailure(response: VendorHttpResponse, what: string, now: Date): VendorError {
  const words = vendorWords(response.body);
  const description =
    response.status === 401
      ? `MessageMedia refused the API key or secret (401)${words ? `: ${words}` : ""}. Check them, and that this account is set up for REST, not SOAP.`
      : response.status === 403
        ? `MessageMedia refused ${what} (403)${words ? `: ${words}` : ""}. The API key may lack access, the feature (such as MMS) may not be enabled on the account, or the account is set up for SOAP rather than REST.`
        : `MessageMedia refused ${what} (${response.status})${words ? `: ${words}` : ""}.`;
  return httpFailure(response.status, description, retryAfterSeconds(response, now));
}

const errorBody = z.object({ message: z.string().optional(), details: z.array(z.unknown()).optional() });

/** MessageMedia's own words from an error body: the message, then each detail (which names the field). */
function vendorWords(body: string): string {
  const parsed = errorBody.safeParse(safeJson(body));
  if (!parsed.success) return "";
  const details = (parsed.data.details ?? []).filter((d): d is string => typeof d === "string");
  const text = [parsed.data.message?.replace(/\.$/, ""), ...details.map((d) => d.replace(/\.$/, ""))].filter(Boolean).join("; ");
  return text.length > 600 ? `${text.slice(0, 600)}…` : text;
}
