import { z } from "zod";

const baseUrl = (fallback: string, label: string, help: string) =>
  z
    .url({ protocol: /^https?$/, message: "Use an http(s) URL" })
    .default(fallback)
    .meta({ label, help, placeholder: fallback });

export const twilioConfigSchema = z.object({
  accountSid: z
    .string()
    .trim()
    .regex(/^AC[0-9a-fA-F]{32}$/, "Use the Account SID from the Twilio console: AC followed by 32 letters and digits")
    .meta({ label: "Account SID", help: "Twilio console → Account info. It starts with AC.", placeholder: "AC…" }),
  authToken: z
    .string()
    .trim()
    .min(16, "Paste the whole Auth Token from the Twilio console (32 characters)")
    .max(128, "That is longer than any Twilio Auth Token")
    .meta({
      label: "Auth Token",
      help: "Twilio console → Account info. It authenticates our requests and signs Twilio's webhooks (X-Twilio-Signature).",
      secret: true,
    }),
  messagingServiceSid: z
    .string()
    .trim()
    .regex(/^MG[0-9a-fA-F]{32}$/, "Use a Messaging Service SID: MG followed by 32 letters and digits")
    .optional()
    .meta({
      label: "Messaging Service SID",
      help: "Optional. Messages to contacts with no number of ours to send from go through this service, and Twilio picks the sender.",
      placeholder: "MG…",
    }),
  validityPeriodSeconds: z.coerce
    .number()
    .int("Use whole seconds")
    .min(1, "Use at least 1 second")
    .max(36_000, "Twilio allows at most 36000 seconds (10 hours)")
    .optional()
    .meta({ label: "Validity period (seconds)", help: "Optional. Twilio drops a message still queued after this long instead of sending it late. Twilio's default is 36000 (10 hours)." }),
  apiBaseUrl: baseUrl("https://api.twilio.com", "API base URL", "Leave as is for Twilio. Tests and the local demo point it at the vendor simulator."),
  messagingBaseUrl: baseUrl("https://messaging.twilio.com", "Messaging Services base URL", "Leave as is for Twilio. Used to add numbers to a Messaging Service."),
  lookupBaseUrl: baseUrl("https://lookups.twilio.com", "Lookup base URL", "Leave as is for Twilio. Lookup v2 tells mobiles from landlines."),
});

export type TwilioConfig = z.infer<typeof twilioConfigSchema>;

/** A base URL as the owner typed it, without the trailing slash that would double up in paths. */
export function trimBase(url: string): string {
  return url.replace(/\/+$/, "");
}

/** Where the 2010-04-01 API keeps this account's resources, e.g. accountUrl(config, "/Messages.json"). */
export function accountUrl(config: TwilioConfig, path: string): string {
  return `${trimBase(config.apiBaseUrl)}/2010-04-01/Accounts/${config.accountSid}${path}`;
}
