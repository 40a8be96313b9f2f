import type { LookupResult, VendorContext } from "../types";
import { readJson, stringField, twilioError, twilioRequest } from "./api";
import { trimBase, type TwilioConfig } from "./config";

const INVALID: LookupResult = { statusCode: -2, lineType: "unknown" };
const LOOKUP_ERROR: LookupResult = { statusCode: -4, lineType: "unknown" };

/**
 * Lookup v2's line type in Spoke's status codes. Mobiles and VoIP take texts; toll-free and
 * personal numbers may, and a send that cannot arrive says so itself (30006). Landlines are
 * -1. Premium, shared-cost, UAN, voicemail and pager numbers are services rather than
 * handsets that could read a text: -2, "unserviced".
 */
const LINE_TYPES: Record<string, LookupResult> = {
  mobile: { statusCode: 0, lineType: "mobile" },
  fixedVoip: { statusCode: 0, lineType: "voip" },
  nonFixedVoip: { statusCode: 0, lineType: "voip" },
  tollFree: { statusCode: 0, lineType: "unknown" },
  personal: { statusCode: 0, lineType: "unknown" },
  landline: { statusCode: -1, lineType: "landline" },
  premium: { statusCode: -2, lineType: "unknown" },
  sharedCost: { statusCode: -2, lineType: "unknown" },
  uan: { statusCode: -2, lineType: "unknown" },
  voicemail: { statusCode: -2, lineType: "unknown" },
  pager: { statusCode: -2, lineType: "unknown" },
};

/**
 * `GET /v2/PhoneNumbers/{e164}?Fields=line_type_intelligence`. An answer that is retryable
 * (429, 5xx, no answer) is thrown, so the lookup job tries again and records -4 only when it
 * gives up; any other refusal is -4 at once.
 */
export async function twilioLookup(ctx: VendorContext<TwilioConfig>, e164: string): Promise<LookupResult> {
  // Only digits after the +, so the number goes into the path as it is.
  if (!/^\+[1-9]\d{1,14}$/.test(e164)) return INVALID;
  const url = `${trimBase(ctx.config.lookupBaseUrl)}/v2/PhoneNumbers/${e164}?Fields=line_type_intelligence`;
  const response = await twilioRequest(ctx, "GET", url);
  if (response.status === 404) return INVALID;
  if (response.status !== 200) {
    const error = twilioError(response);
    if (error.retryable) throw error;
    return LOOKUP_ERROR;
  }
  const json = readJson(response.body);
  if (!json) return LOOKUP_ERROR;
  if (json.valid === false) return INVALID;
  const country = stringField(json, "country_code");
  if (ctx.requiredCountry && country && country !== ctx.requiredCountry) return { statusCode: -3, lineType: "unknown" };
  const intelligence = json.line_type_intelligence;
  if (!intelligence || typeof intelligence !== "object") return LOOKUP_ERROR;
  const lti = intelligence as Record<string, unknown>;
  // Twilio answered the number but not its line type (coverage, permissions): not the number's fault.
  if (lti.error_code !== null && lti.error_code !== undefined) return LOOKUP_ERROR;
  const type = stringField(lti, "type");
  // A type Twilio adds later (or "unknown") is worth a try: a send that cannot arrive says so.
  const mapped: LookupResult = type && Object.hasOwn(LINE_TYPES, type) ? LINE_TYPES[type]! : { statusCode: 0, lineType: "unknown" };
  const carrier = stringField(lti, "carrier_name");
  return carrier ? { ...mapped, carrier } : { ...mapped };
}
