import { toE164 } from "@/lib/phone";
import { WebhookParseError } from "./errors";

/**
 * A phone number in a webhook from a vendor that writes numbers as people do: E.164,
 * national for the org's country, or international digits without the +; with `unlisted`,
 * also a number in E.164 form that the numbering plan does not list (the Ringotel seed's own
 * example is one). Throws WebhookParseError naming the field when it is none of these.
 */
export function webhookPhone(
  raw: string | undefined,
  field: string,
  what: string,
  defaultCountry: string | undefined,
  { unlisted = false } = {},
): string {
  const value = raw?.trim();
  if (!value) throw new WebhookParseError(`${field}: missing (${what})`, field);
  const read = toE164(value, defaultCountry);
  if (read.ok) return read.e164;
  const international = /^\d{8,15}$/.test(value) ? toE164(`+${value}`) : read;
  if (international.ok) return international.e164;
  if (unlisted && /^\+[1-9]\d{6,14}$/.test(value)) return value;
  throw new WebhookParseError(`${field}: not a phone number (${read.reason})`, field);
}
