import type { SimContext } from "./context";
import type { FaultOutcome } from "./faults";
import { basicAuth, json, sameSecret, type SimRequest, type SimResponse } from "./http";
import type { TwilioAccount } from "./state";

/** Twilio's answers for its error codes: the HTTP status and the API's message. */
const ERRORS: Record<string, { status: number; message: string }> = {
  "20003": { status: 401, message: "Authenticate" },
  "20004": { status: 405, message: "Method not allowed" },
  "20404": { status: 404, message: "The requested resource was not found" },
  "20429": { status: 429, message: "Too Many Requests" },
  "20500": { status: 500, message: "An internal server error has occurred" },
  "20503": { status: 503, message: "Service Unavailable" },
  "21211": { status: 400, message: "Invalid 'To' Phone Number" },
  "21408": { status: 400, message: "Permission to send an SMS has not been enabled for the region indicated by the 'To' number" },
  "21421": { status: 400, message: "PhoneNumber is invalid" },
  "21422": { status: 400, message: "PhoneNumber is not available" },
  "21602": { status: 400, message: "Message body is required." },
  "21603": { status: 400, message: "A 'From' phone number is required." },
  "21604": { status: 400, message: "A 'To' phone number is required." },
  "21606": {
    status: 400,
    message: "The 'From' phone number provided is not a valid message-capable Twilio phone number for this destination.",
  },
  "21609": { status: 400, message: "Invalid StatusCallback url" },
  "21610": { status: 400, message: "Attempt to send to unsubscribed recipient" },
  "21611": { status: 400, message: "This 'From' number has exceeded the maximum number of queued messages" },
  "21617": { status: 400, message: "The concatenated message body exceeds the 1600 character limit." },
  "21701": { status: 400, message: "The Messaging Service Sid is invalid" },
  "21703": { status: 400, message: "The Messaging Service does not have a phone number available to send a message" },
  "21710": { status: 409, message: "Phone Number is already in the Messaging Service" },
  "21712": { status: 400, message: "Phone Number or Short Code is associated with another Messaging Service" },
  "63018": { status: 429, message: "Rate limit exceeded for Channel" },
};

/** What delivery reports say for Twilio's 3xxxx codes (the message's error_message). */
export const DELIVERY_ERRORS: Record<string, string> = {
  "30001": "Queue overflow",
  "30002": "Account suspended",
  "30003": "Unreachable destination handset",
  "30004": "Message blocked",
  "30005": "Unknown destination handset",
  "30006": "Landline or unreachable carrier",
  "30007": "Message filtered",
  "30008": "Unknown error",
};

const DEFAULT_CODE_FOR_STATUS: Record<number, string> = {
  401: "20003",
  404: "20404",
  405: "20004",
  429: "20429",
  500: "20500",
  503: "20503",
};

/** Twilio's error body: { code, message, more_info, status }. */
export function twilioError(code: string | undefined, status?: number, message?: string): SimResponse {
  const resolved = code ?? DEFAULT_CODE_FOR_STATUS[status ?? 500] ?? "20500";
  const known = ERRORS[resolved];
  const httpStatus = status ?? known?.status ?? 400;
  return json(httpStatus, {
    code: Number(resolved),
    message: message ?? known?.message ?? `Error ${resolved}`,
    more_info: `https://www.twilio.com/docs/errors/${resolved}`,
    status: httpStatus,
  });
}

/**
 * Twilio's error answer for a fault a test queued (its HTTP status, or its code), or undefined
 * to carry on. A code meant for a delivery report is answered too, unless the caller reports it later.
 */
export function twilioFaultAnswer(outcome: FaultOutcome, reportsLater = false): SimResponse | undefined {
  if (outcome.kind === "http") return twilioError(outcome.code, outcome.status);
  if (outcome.kind === "code" || (outcome.kind === "report" && !reportsLater)) return twilioError(outcome.code);
  return undefined;
}

/** The 401 Twilio gives for a wrong or missing AccountSid/AuthToken, header and all. */
export function twilioUnauthorized(): SimResponse {
  const body = {
    code: 20003,
    detail: "Your AccountSid or AuthToken was incorrect.",
    message: "Authenticate",
    more_info: "https://www.twilio.com/docs/errors/20003",
    status: 401,
  };
  return json(401, body, { "www-authenticate": 'Basic realm="Twilio API"' });
}

export function twilioNotFound(path: string): SimResponse {
  return twilioError("20404", 404, `The requested resource ${path} was not found`);
}

/** The account whose AccountSid/AuthToken the request carries; the path's AccountSid must be that account. */
export function authenticateTwilio(ctx: SimContext, request: SimRequest, pathSid?: string): TwilioAccount | null {
  const credentials = basicAuth(request);
  if (!credentials) return null;
  const account = ctx.state.findAccount("twilio", credentials.username);
  if (!account || !sameSecret(account.authToken, credentials.password)) return null;
  if (pathSid !== undefined && pathSid !== account.accountSid) return null;
  return account;
}

/** Twilio's list envelope (2010-04-01 API): the items under `key` plus paging fields. */
export function twilioPage<T>(request: SimRequest, basePath: string, key: string, items: T[]): SimResponse {
  const pageSize = clamp(Number(request.query.get("PageSize") ?? 50), 1, 1000);
  const page = clamp(Number(request.query.get("Page") ?? 0), 0, 1_000_000);
  const slice = items.slice(page * pageSize, (page + 1) * pageSize);
  const uri = (p: number) => `${basePath}?PageSize=${pageSize}&Page=${p}`;
  return json(200, {
    [key]: slice,
    end: page * pageSize + Math.max(slice.length - 1, 0),
    first_page_uri: uri(0),
    next_page_uri: (page + 1) * pageSize < items.length ? uri(page + 1) : null,
    page,
    page_size: pageSize,
    previous_page_uri: page > 0 ? uri(page - 1) : null,
    start: page * pageSize,
    uri: uri(page),
  });
}

export function friendlyName(e164: string): string {
  const m = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(e164);
  return m ? `(${m[1]}) ${m[2]}-${m[3]}` : e164;
}

function clamp(n: number, min: number, max: number): number {
  return Number.isFinite(n) ? Math.min(Math.max(Math.trunc(n), min), max) : min;
}
