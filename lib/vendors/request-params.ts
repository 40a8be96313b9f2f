import { WebhookParseError } from "./errors";
import type { WebhookRequest } from "./types";

/**
 * A webhook's parameters, for vendors that send them however they are set up: the query,
 * plus a POST's form or JSON body (a JSON object's scalar fields, as strings). Throws
 * WebhookParseError for a body that claims JSON and is not, or is not an object.
 */
export function requestParams(request: WebhookRequest): Record<string, string> {
  const params: Record<string, string> = { ...request.query };
  const body = request.body.trim();
  if (request.method !== "POST" || !body) return params;
  const json = (request.headers["content-type"] ?? "").includes("json") || body.startsWith("{");
  if (!json) {
    for (const [name, value] of new URLSearchParams(body)) params[name] = value;
    return params;
  }
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch {
    throw new WebhookParseError("body is not JSON");
  }
  if (!data || typeof data !== "object" || Array.isArray(data)) throw new WebhookParseError("body: expected a JSON object");
  for (const [name, value] of Object.entries(data)) {
    if (value !== null && typeof value !== "object") params[name] = String(value);
  }
  return params;
}
