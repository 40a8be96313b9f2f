import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js/max";
import { z } from "zod";

export const E164_PATTERN = /^\+[1-9]\d{6,14}$/;

export const e164Schema = z.string().trim().regex(E164_PATTERN, "Use E.164 format, like +12025550123");

export type PhoneParse = { ok: true; e164: string; country: string | undefined } | { ok: false; reason: string };

/**
 * Reads a phone number as people type it ("(202) 555-0123", "+44 20 7946 0958",
 * "202.555.0123") into E.164, using the org's default country when no +code is given.
 */
export function toE164(input: string, defaultCountry: string = "US"): PhoneParse {
  const raw = input.trim();
  if (!raw) return { ok: false, reason: "No number given" };
  if (raw.length > 40) return { ok: false, reason: "Too long to be a phone number" };
  if (/[a-z]/i.test(raw.replace(/\s*(ext\.?|x)\s*\d+$/i, ""))) return { ok: false, reason: "Contains letters" };
  const parsed = parsePhoneNumberFromString(raw, defaultCountry.toUpperCase() as CountryCode);
  if (!parsed) return { ok: false, reason: "Not a phone number" };
  if (!parsed.isValid()) return { ok: false, reason: `Not a valid number${parsed.country ? ` for ${parsed.country}` : ""}` };
  return { ok: true, e164: parsed.number, country: parsed.country };
}

/** The North American area code of an E.164 number, for choosing a local sender. */
export function areaCodeOf(e164: string): string | undefined {
  return /^\+1([2-9]\d{2})\d{7}$/.exec(e164)?.[1];
}

/** "+12025550123" -> "(202) 555-0123" for NANP, the international format elsewhere. */
export function formatPhone(e164: string): string {
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed) return e164;
  return parsed.countryCallingCode === "1" ? parsed.formatNational() : parsed.formatInternational();
}
