import { parsePhoneNumberFromString, validatePhoneNumberLength, type CountryCode } from "libphonenumber-js";
import type { SimContext } from "./context";
import { json, type SimRequest, type SimResponse } from "./http";
import { authenticateTwilio, twilioError, twilioFaultAnswer, twilioNotFound, twilioUnauthorized } from "./twilio-common";

/**
 * lookups.twilio.com/v2/PhoneNumbers/{n}. Validity comes from libphonenumber; the line type
 * is decided by the last digit so every outcome has a number that produces it (the same
 * digits the fake vendor uses): 7 landline, 6 non-fixed VoIP, 8 no line-type data
 * (error 60600), 9 the lookup itself fails (503); toll-free area codes are tollFree;
 * anything else is mobile.
 */
const TOLL_FREE = /^\+18(00|33|44|55|66|77|88)/;

export async function handleTwilioLookup(ctx: SimContext, request: SimRequest): Promise<SimResponse> {
  const account = authenticateTwilio(ctx, request);
  if (!account) return twilioUnauthorized();
  const match = /^\/v2\/PhoneNumbers\/([^/]+)$/.exec(request.path);
  if (!match || request.method !== "GET") return twilioNotFound(request.path);
  const input = decodeURIComponent(match[1]!);

  const fault = twilioFaultAnswer(await ctx.faults.apply("twilio", "lookup", input, ctx.signal));
  if (fault) return fault;

  const country = (request.query.get("CountryCode") ?? "US").toUpperCase() as CountryCode;
  const parsed = parsePhoneNumberFromString(input, country);
  const fields = (request.query.get("Fields") ?? "").split(",").map((f) => f.trim());
  const base = {
    caller_name: null,
    sim_swap: null,
    call_forwarding: null,
    line_status: null,
    identity_match: null,
    reassigned_number: null,
    sms_pumping_risk: null,
    phone_number_quality_score: null,
    pre_fill: null,
    url: `${ctx.baseUrl()}/twilio-lookup/v2/PhoneNumbers/${parsed?.isValid() ? parsed.number : encodeURIComponent(input)}`,
  };
  if (!parsed || !parsed.isValid()) {
    const reason = validatePhoneNumberLength(input, country) ?? "INVALID_BUT_POSSIBLE";
    return json(200, {
      calling_country_code: parsed?.countryCallingCode ?? null,
      country_code: parsed?.country ?? null,
      phone_number: input,
      national_format: null,
      valid: false,
      validation_errors: [reason],
      line_type_intelligence: null,
      ...base,
    });
  }
  const e164 = parsed.number;
  if (e164.endsWith("9")) return twilioError("20503", 503);
  return json(200, {
    calling_country_code: parsed.countryCallingCode,
    country_code: parsed.country ?? null,
    phone_number: e164,
    national_format: parsed.formatNational(),
    valid: true,
    validation_errors: [],
    line_type_intelligence: fields.includes("line_type_intelligence") ? lineType(e164) : null,
    ...base,
  });
}

function lineType(e164: string): Record<string, unknown> {
  const carrier = (type: string | null, name: string | null, error: number | null) => ({
    error_code: error,
    mobile_country_code: type === "mobile" ? "310" : null,
    mobile_network_code: type === "mobile" ? "999" : null,
    carrier_name: name,
    type,
  });
  if (TOLL_FREE.test(e164)) return carrier("tollFree", "Sim Toll-Free", null);
  if (e164.endsWith("7")) return carrier("landline", "Sim Landline Co", null);
  if (e164.endsWith("6")) return carrier("nonFixedVoip", "Sim VoIP", null);
  if (e164.endsWith("8")) return carrier(null, null, 60600);
  return carrier("mobile", "Sim Wireless", null);
}
