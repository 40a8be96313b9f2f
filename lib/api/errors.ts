import { ActionError } from "@/lib/action-result";

/**
 * Every error the REST API answers has one shape: `{ error: { code, message, field } }`.
 * `code` is stable and machine-readable; `message` is for the person reading logs;
 * `field` names the first input at fault (a dotted path such as "mediaUrls.0"), or null.
 */
export type ApiErrorBody = { error: { code: string; message: string; field: string | null } & Record<string, unknown> };

/** Every `error.code` the API answers, its status, and when: the docs page and the OpenAPI document list these. */
export const ERROR_CODES = [
  { code: "invalid_json", status: 400, meaning: "The body is empty or not valid JSON." },
  { code: "unauthorized", status: 401, meaning: "No API key, or an unknown or revoked one." },
  { code: "not_found", status: 404, meaning: "No such message, conversation, vendor account or passcode in this organization." },
  {
    code: "recipient_unavailable",
    status: 409,
    meaning: "The contact opted out (texted STOP), or the number is a landline, invalid or out of country.",
  },
  { code: "idempotency_conflict", status: 409, meaning: "The idempotency key was already used for a different message." },
  { code: "expired", status: 410, meaning: "The passcode expired; request a new one." },
  { code: "too_many_attempts", status: 410, meaning: "Too many wrong guesses for the passcode; request a new one." },
  { code: "already_verified", status: 410, meaning: "The passcode was already used." },
  { code: "payload_too_large", status: 413, meaning: "The body is larger than 64 KB (1 MB for a batch)." },
  { code: "unsupported_media_type", status: 415, meaning: "The body is not sent as application/json." },
  { code: "invalid_request", status: 422, meaning: "A field is missing, malformed or out of range; `field` names it." },
  { code: "invalid_code", status: 422, meaning: "Wrong passcode; `remainingAttempts` says how many guesses are left." },
  { code: "rate_limited", status: 429, meaning: "Too many requests for this key; wait `Retry-After` seconds." },
  { code: "too_many_codes", status: 429, meaning: "Too many passcodes sent to this number lately; wait `Retry-After` seconds." },
  { code: "internal_error", status: 500, meaning: "A bug on our side; nothing was sent. Retry later." },
] as const;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field: string | null = null,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  /** The `error` object of the API's error shape. */
  body(): ApiErrorBody["error"] {
    return { code: this.code, message: this.message, field: this.field, ...this.extra };
  }
}

export function apiErrorResponse(error: ApiError): Response {
  const body: ApiErrorBody = { error: error.body() };
  return Response.json(body, { status: error.status, headers: { "cache-control": "no-store", ...error.headers } });
}

/** Expected refusals become their 4xx; anything else is a bug on our side and a 500 that says so. */
export function toApiErrorResponse(error: unknown): Response {
  if (error instanceof ApiError) return apiErrorResponse(error);
  if (error instanceof ActionError) return apiErrorResponse(fromActionError(error));
  console.error("[api] unexpected error:", error);
  return apiErrorResponse(
    new ApiError(500, "internal_error", "Something went wrong on our side; nothing was sent. Please retry."),
  );
}

/** The domain layer (queueMessage) speaks ActionError; the API keeps its status and the field at fault. */
export function fromActionError(error: ActionError): ApiError {
  const field = error.fieldErrors ? (Object.keys(error.fieldErrors)[0] ?? null) : null;
  return new ApiError(error.status, ACTION_CODES[error.status] ?? "error", error.message, field);
}

const ACTION_CODES: Record<number, string> = {
  400: "bad_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  // queueMessage's only 409: the recipient opted out, or the number is a landline, invalid or out of country.
  409: "recipient_unavailable",
  422: "invalid_request",
  500: "internal_error",
};

export function notFound(what = "No such object in this organization."): ApiError {
  return new ApiError(404, "not_found", what);
}
