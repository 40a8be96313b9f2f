import { z } from "zod";
import { NUL_MESSAGE, nulPath } from "@/lib/nul";
import { ApiError } from "./errors";
import { readBodyCapped, UNREAD_BODY_HEADERS } from "@/lib/http/read-body";

/** Request bodies are small JSON objects; anything bigger is refused before it is parsed. */
export const MAX_API_BODY_BYTES = 64 * 1024;
/** A batch of up to 100 messages of up to 1,600 characters each, with room for JSON escapes. */
export const MAX_BATCH_BODY_BYTES = 1024 * 1024;

/**
 * Reads the body as JSON (capped, typed, parsed) and validates it: 413 when too large,
 * 415 when not JSON, 400 when it does not parse, 422 naming the first field at fault.
 */
export async function readJsonBody<S extends z.ZodType>(
  request: Request,
  schema: S,
  maxBytes = MAX_API_BODY_BYTES,
): Promise<z.output<S>> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/([a-z0-9.+-]*\+)?json\s*(;|$)/i.test(type)) {
    throw new ApiError(415, "unsupported_media_type", "Send the request body as JSON with “Content-Type: application/json”.");
  }
  const text = await readCapped(request, maxBytes);
  if (text.trim() === "") throw new ApiError(400, "invalid_json", "The request body is empty; send a JSON object.");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ApiError(
      400,
      "invalid_json",
      `The request body is not valid JSON: ${error instanceof Error ? error.message : "parse error"}.`,
    );
  }
  return validate(schema, json);
}

/** Query parameters, validated like a body; repeated parameters take their first value. */
export function readQuery<S extends z.ZodType>(request: Request, schema: S): z.output<S> {
  const params = new URL(request.url).searchParams;
  const values: Record<string, string> = {};
  for (const [key, value] of params) if (!(key in values)) values[key] = value;
  return validate(schema, values);
}

export function validate<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const nul = nulPath(value);
  if (nul !== null) throw new ApiError(422, "invalid_request", `${nul || "body"}: ${NUL_MESSAGE}`, nul || null);
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  // An unknown property is reported on its parent object; name the property itself.
  const at = issue.code === "unrecognized_keys" ? [...issue.path, issue.keys[0]!] : issue.path;
  const field = at.length > 0 ? at.map(String).join(".") : null;
  throw new ApiError(422, "invalid_request", field ? `${field}: ${issue.message}` : issue.message, field);
}

async function readCapped(request: Request, maxBytes: number): Promise<string> {
  const body = await readBodyCapped(request, maxBytes);
  if (body === null) {
    throw new ApiError(413, "payload_too_large", `The request body is larger than ${maxBytes / 1024} KB.`, null, {}, UNREAD_BODY_HEADERS);
  }
  return body;
}
