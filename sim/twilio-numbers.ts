import type { SimContext } from "./context";
import { first, formBody, json, rfc2822, type SimRequest, type SimResponse } from "./http";
import {
  authenticateTwilio,
  friendlyName,
  twilioError,
  twilioFaultAnswer,
  twilioNotFound,
  twilioPage,
  twilioUnauthorized,
} from "./twilio-common";
import { twilioSid, type TwilioAccount, type TwilioNumber } from "./state";

/**
 * Twilio number inventory: AvailablePhoneNumbers (search), IncomingPhoneNumbers (buy, list,
 * fetch, update, release) on api.twilio.com, and a Messaging Service's PhoneNumbers on
 * messaging.twilio.com. Numbers for sale are 555-0100..0199 in the asked area code: the
 * range reserved for fiction, so no real phone is ever named.
 */
const TOLL_FREE = ["800", "833", "844", "855", "866", "877", "888"];

/** Routes under /2010-04-01/Accounts/{sid}; undefined when the path is not a numbers path. */
export async function handleTwilioNumbers(
  ctx: SimContext,
  request: SimRequest,
  account: TwilioAccount,
  rest: string,
): Promise<SimResponse | undefined> {
  const base = `/2010-04-01/Accounts/${account.accountSid}`;
  const available = /^\/AvailablePhoneNumbers\/([A-Z]{2})\/(Local|TollFree|Mobile)\.json$/.exec(rest);
  const incoming = /^\/IncomingPhoneNumbers(\/Local|\/TollFree)?\.json$/.exec(rest);
  const one = /^\/IncomingPhoneNumbers\/(PN\w+)\.json$/.exec(rest);
  if (!available && !incoming && !one) return undefined;

  const fault = twilioFaultAnswer(await ctx.faults.apply("twilio", "numbers", undefined, ctx.signal));
  if (fault) return fault;

  if (available && request.method === "GET") return search(ctx, request, `${base}${rest}`, available[1]!, available[2]!);
  if (incoming && request.method === "POST") return buy(ctx, request, account);
  if (incoming && request.method === "GET") {
    const wanted = request.query.get("PhoneNumber");
    const owned = ctx.state.twilioNumbers.filter((n) => n.accountSid === account.accountSid && (!wanted || n.e164 === wanted));
    return twilioPage(request, `${base}/IncomingPhoneNumbers.json`, "incoming_phone_numbers", owned.map(incomingJson));
  }
  const number = one ? ctx.state.twilioNumbers.find((n) => n.sid === one[1] && n.accountSid === account.accountSid) : undefined;
  if (!number) return twilioNotFound(request.path);
  if (request.method === "GET") return json(200, incomingJson(number));
  if (request.method === "POST") return json(200, incomingJson(applyUpdate(number, formBody(request))));
  if (request.method === "DELETE") {
    ctx.state.twilioNumbers.splice(ctx.state.twilioNumbers.indexOf(number), 1);
    return { status: 204 };
  }
  return twilioError("20004", 405);
}

/** messaging.twilio.com/v1/Services/{MG}/PhoneNumbers: add, list and remove a service's senders. */
export async function handleTwilioMessaging(ctx: SimContext, request: SimRequest): Promise<SimResponse> {
  const account = authenticateTwilio(ctx, request);
  if (!account) return twilioUnauthorized();
  const match = /^\/v1\/Services\/(MG[0-9a-fA-F]{32})\/PhoneNumbers(?:\/(PN\w+))?$/.exec(request.path);
  if (!match) return twilioNotFound(request.path);
  const serviceSid = match[1]!;
  const numberSid = match[2];
  const fault = twilioFaultAnswer(await ctx.faults.apply("twilio", "numbers", undefined, ctx.signal));
  if (fault) return fault;

  const mine = (sid: string | undefined) =>
    ctx.state.twilioNumbers.find((n) => n.sid === sid && n.accountSid === account.accountSid);
  if (!numberSid && request.method === "POST") {
    const number = mine(first(formBody(request), "PhoneNumberSid"));
    if (!number) return twilioError("20404", 404, "The requested resource PhoneNumberSid was not found");
    if (number.messagingServiceSid === serviceSid) return twilioError("21710");
    if (number.messagingServiceSid) return twilioError("21712");
    number.messagingServiceSid = serviceSid;
    number.updatedAt = new Date();
    return json(201, serviceNumberJson(ctx, number, serviceSid));
  }
  if (!numberSid && request.method === "GET") {
    const numbers = ctx.state.twilioNumbers.filter(
      (n) => n.accountSid === account.accountSid && n.messagingServiceSid === serviceSid,
    );
    const url = `${ctx.baseUrl()}/twilio-messaging/v1/Services/${serviceSid}/PhoneNumbers?PageSize=50&Page=0`;
    const meta = {
      page: 0,
      page_size: 50,
      first_page_url: url,
      previous_page_url: null,
      url,
      next_page_url: null,
      key: "phone_numbers",
    };
    return json(200, { phone_numbers: numbers.map((n) => serviceNumberJson(ctx, n, serviceSid)), meta });
  }
  const number = mine(numberSid);
  if (!number || number.messagingServiceSid !== serviceSid) return twilioNotFound(request.path);
  if (request.method === "GET") return json(200, serviceNumberJson(ctx, number, serviceSid));
  if (request.method === "DELETE") {
    number.messagingServiceSid = null;
    return { status: 204 };
  }
  return twilioError("20004", 405);
}

function search(ctx: SimContext, request: SimRequest, uri: string, country: string, kind: string): SimResponse {
  const wanted = request.query.get("AreaCode") ?? (kind === "TollFree" ? "833" : "415");
  const pageSize = Math.min(Math.max(Number(request.query.get("PageSize") ?? 30) || 30, 1), 100);
  const valid =
    (country === "US" || country === "CA") && /^[2-9]\d{2}$/.test(wanted) && (kind === "TollFree") === TOLL_FREE.includes(wanted);
  const numbers = valid ? forSale(ctx, wanted).slice(0, pageSize) : [];
  return json(200, {
    available_phone_numbers: numbers.map((e164) => ({
      friendly_name: friendlyName(e164),
      phone_number: e164,
      lata: null,
      locality: "Simville",
      rate_center: "SIMVILLE",
      latitude: null,
      longitude: null,
      region: "SV",
      postal_code: null,
      iso_country: country,
      address_requirements: "none",
      beta: false,
      // Twilio spells these SMS and MMS here, unlike on IncomingPhoneNumbers.
      capabilities: { voice: true, SMS: true, MMS: true, fax: false },
    })),
    end: Math.max(numbers.length - 1, 0),
    first_page_uri: `${uri}?${request.query}`,
    next_page_uri: null,
    page: 0,
    page_size: pageSize,
    previous_page_uri: null,
    start: 0,
    uri: `${uri}?${request.query}`,
  });
}

function buy(ctx: SimContext, request: SimRequest, account: TwilioAccount): SimResponse {
  const params = formBody(request);
  const areaCode = first(params, "AreaCode");
  let e164 = first(params, "PhoneNumber");
  if (!e164 && areaCode && /^[2-9]\d{2}$/.test(areaCode)) e164 = forSale(ctx, areaCode)[0];
  if (!e164 && !areaCode) return twilioError("21421", 400, "A 'PhoneNumber' or 'AreaCode' is required.");
  if (!e164 || !/^\+1[2-9]\d{9}$/.test(e164)) return twilioError("21421");
  if (ctx.state.twilioNumbers.some((n) => n.e164 === e164)) return twilioError("21422");
  const now = new Date();
  const number: TwilioNumber = {
    sid: twilioSid("PN"),
    accountSid: account.accountSid,
    e164,
    smsUrl: "",
    smsMethod: "POST",
    friendlyName: friendlyName(e164),
    messagingServiceSid: null,
    createdAt: now,
    updatedAt: now,
  };
  ctx.state.twilioNumbers.push(applyUpdate(number, params));
  return json(201, incomingJson(number));
}

/** The area code's 555-0100..0199 numbers nobody has bought yet. */
function forSale(ctx: SimContext, areaCode: string): string[] {
  const taken = new Set(ctx.state.twilioNumbers.map((n) => n.e164));
  return Array.from({ length: 100 }, (_, i) => `+1${areaCode}55501${String(i).padStart(2, "0")}`).filter(
    (e164) => !taken.has(e164),
  );
}

function applyUpdate(number: TwilioNumber, params: Map<string, string[]>): TwilioNumber {
  number.smsUrl = first(params, "SmsUrl") ?? number.smsUrl;
  number.smsMethod = first(params, "SmsMethod") ?? number.smsMethod;
  number.friendlyName = first(params, "FriendlyName") ?? number.friendlyName;
  number.updatedAt = new Date();
  return number;
}

function incomingJson(n: TwilioNumber): Record<string, unknown> {
  const uri = `/2010-04-01/Accounts/${n.accountSid}/IncomingPhoneNumbers/${n.sid}.json`;
  return {
    account_sid: n.accountSid,
    address_requirements: "none",
    address_sid: null,
    api_version: "2010-04-01",
    beta: false,
    capabilities: { fax: false, mms: true, sms: true, voice: true },
    date_created: rfc2822(n.createdAt),
    date_updated: rfc2822(n.updatedAt),
    emergency_status: "Inactive",
    friendly_name: n.friendlyName,
    identity_sid: null,
    origin: "twilio",
    phone_number: n.e164,
    sid: n.sid,
    sms_application_sid: "",
    sms_fallback_method: "POST",
    sms_fallback_url: "",
    sms_method: n.smsMethod,
    sms_url: n.smsUrl,
    status: "in-use",
    status_callback: "",
    status_callback_method: "POST",
    uri,
    voice_method: "POST",
    voice_url: "",
  };
}

function serviceNumberJson(ctx: SimContext, n: TwilioNumber, serviceSid: string): Record<string, unknown> {
  return {
    sid: n.sid,
    account_sid: n.accountSid,
    service_sid: serviceSid,
    date_created: n.updatedAt.toISOString().replace(/\.\d+Z$/, "Z"),
    date_updated: n.updatedAt.toISOString().replace(/\.\d+Z$/, "Z"),
    phone_number: n.e164,
    country_code: "US",
    capabilities: ["SMS", "MMS", "Voice"],
    url: `${ctx.baseUrl()}/twilio-messaging/v1/Services/${serviceSid}/PhoneNumbers/${n.sid}`,
  };
}
