import { parsePhoneNumberFromString } from "libphonenumber-js";
import { VendorError } from "../errors";
import type { AvailableNumber, NumberInventory, OwnedNumber, VendorContext } from "../types";
import { isSuccess, readJson, stringField, twilioCodeError, twilioError, twilioRequest } from "./api";
import { accountUrl, trimBase, type TwilioConfig } from "./config";

type Ctx = VendorContext<TwilioConfig>;
type NumberRef = { e164: string; vendorNumberId: string | null };

const MAX_PAGES = 100; // 100 000 numbers at 1000 a page: a bound on a next_page_uri that never ends
const TOLL_FREE = /^\+1(800|833|844|855|866|877|888)\d{7}$/;

/** Twilio's number inventory: AvailablePhoneNumbers, IncomingPhoneNumbers and Messaging Service senders. */
export const twilioInventory = {
  async search(ctx, { areaCode, limit }) {
    if (!/^[2-9]\d{2}$/.test(areaCode)) throw twilioCodeError("21451");
    const query = new URLSearchParams({ AreaCode: areaCode, SmsEnabled: "true", PageSize: String(Math.min(Math.max(limit, 1), 1000)) });
    const url = accountUrl(ctx.config, `/AvailablePhoneNumbers/${countryOfAreaCode(areaCode)}/Local.json?${query}`);
    const response = await twilioRequest(ctx, "GET", url);
    if (!isSuccess(response)) throw twilioError(response);
    return records(readJson(response.body), "available_phone_numbers")
      .map(toAvailable)
      .filter((n): n is AvailableNumber => n !== null)
      .slice(0, limit);
  },

  async buy(ctx, e164) {
    // SmsUrl routes the new number's incoming texts to us, so a bought number works at once.
    const form = new URLSearchParams({ PhoneNumber: e164, SmsUrl: ctx.webhookUrl("inbound"), SmsMethod: "POST" });
    const response = await twilioRequest(ctx, "POST", accountUrl(ctx.config, "/IncomingPhoneNumbers.json"), form);
    if (!isSuccess(response)) throw twilioError(response);
    const owned = toOwned(readJson(response.body));
    if (!owned) throw new VendorError({ code: "bad_response", retryable: false, description: `Twilio answered the purchase of ${e164} without the number's SID; check the Twilio console.` });
    return owned;
  },

  async release(ctx, number) {
    const sid = number.vendorNumberId ?? (await findNumberSid(ctx, number.e164));
    // Twilio no longer has it on this account: what releasing it would achieve is already so.
    if (!sid) return;
    const response = await twilioRequest(ctx, "DELETE", accountUrl(ctx.config, `/IncomingPhoneNumbers/${encodeURIComponent(sid)}.json`));
    if (response.status === 404 || isSuccess(response)) return;
    throw twilioError(response);
  },

  async list(ctx) {
    const owned: OwnedNumber[] = [];
    let url: string | undefined = accountUrl(ctx.config, "/IncomingPhoneNumbers.json?PageSize=1000");
    for (let page = 0; url && page < MAX_PAGES; page++) {
      const response = await twilioRequest(ctx, "GET", url);
      if (!isSuccess(response)) throw twilioError(response);
      const json = readJson(response.body);
      for (const record of records(json, "incoming_phone_numbers")) {
        const number = toOwned(record);
        if (number) owned.push(number);
      }
      const next = stringField(json, "next_page_uri");
      // Twilio gives the next page as a path on the same API; never follow it elsewhere.
      url = next?.startsWith("/") ? `${trimBase(ctx.config.apiBaseUrl)}${next}` : undefined;
    }
    return owned;
  },

  async addToMessagingService(ctx, number, messagingServiceId) {
    if (!/^MG[0-9a-fA-F]{32}$/.test(messagingServiceId)) throw twilioCodeError("21705");
    const sid = number.vendorNumberId ?? (await findNumberSid(ctx, number.e164));
    if (!sid) throw notOnAccount(number);
    const url = `${trimBase(ctx.config.messagingBaseUrl)}/v1/Services/${messagingServiceId}/PhoneNumbers`;
    const response = await twilioRequest(ctx, "POST", url, new URLSearchParams({ PhoneNumberSid: sid }));
    if (isSuccess(response)) return;
    const error = twilioError(response);
    // Already in this very service: the change asked for is in place.
    if (error.vendorCode === "80104") return;
    throw error;
  },
} satisfies NumberInventory<TwilioConfig>;

/** The SID of a number this account owns, for numbers we recorded before we kept SIDs. */
async function findNumberSid(ctx: Ctx, e164: string): Promise<string | undefined> {
  const url = accountUrl(ctx.config, `/IncomingPhoneNumbers.json?${new URLSearchParams({ PhoneNumber: e164 })}`);
  const response = await twilioRequest(ctx, "GET", url);
  if (!isSuccess(response)) throw twilioError(response);
  const match = records(readJson(response.body), "incoming_phone_numbers").find((r) => stringField(r, "phone_number") === e164);
  return stringField(match, "sid");
}

function notOnAccount(number: NumberRef): VendorError {
  return new VendorError({ code: "20404", vendorCode: "20404", retryable: false, description: `Twilio has no number ${number.e164} on this account.` });
}

/** AreaCode search needs the country in the path: NANP area codes are the US's or Canada's. */
function countryOfAreaCode(areaCode: string): "US" | "CA" {
  return parsePhoneNumberFromString(`+1${areaCode}2345678`)?.country === "CA" ? "CA" : "US";
}

function records(json: Record<string, unknown> | undefined, key: string): Record<string, unknown>[] {
  const list = json?.[key];
  return Array.isArray(list) ? list.filter((r): r is Record<string, unknown> => Boolean(r) && typeof r === "object") : [];
}

function toAvailable(record: Record<string, unknown>): AvailableNumber | null {
  const e164 = stringField(record, "phone_number");
  if (!e164) return null;
  return { e164, locality: stringField(record, "locality"), region: stringField(record, "region"), capabilities: capabilitiesOf(record) };
}

function toOwned(record: Record<string, unknown> | undefined): OwnedNumber | null {
  const e164 = stringField(record, "phone_number");
  const sid = stringField(record, "sid");
  if (!record || !e164 || !sid) return null;
  return { ...toAvailable(record)!, vendorNumberId: sid, senderType: TOLL_FREE.test(e164) ? "TOLL_FREE" : "LONG_CODE" };
}

/** AvailablePhoneNumbers spells them SMS and MMS, IncomingPhoneNumbers sms and mms: read either. */
function capabilitiesOf(record: Record<string, unknown>): AvailableNumber["capabilities"] {
  const raw = record.capabilities;
  const caps: Record<string, unknown> = {};
  if (raw && typeof raw === "object") for (const [k, v] of Object.entries(raw)) caps[k.toLowerCase()] = v;
  return { sms: caps.sms === true, mms: caps.mms === true, voice: caps.voice === true };
}
