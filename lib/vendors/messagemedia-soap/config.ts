import { z } from "zod";

/** An E.164 number, or a sender ID: an alpha tag or short code of 3 to 11 letters, digits, spaces, - and _. */
const SENDER = /^(\+[1-9]\d{5,14}|[A-Za-z0-9 _-]{3,11})$/;

export const DEFAULT_POLL_INTERVAL_SECONDS = 60;

export const messageMediaSoapConfigSchema = z.object({
  username: z.string().trim().min(1, "Enter the user ID").max(100, "The user ID is at most 100 characters").meta({
    label: "User ID",
    help: "The user ID MessageMedia gave you for the SOAP API (userId). One interface per MessageMedia account: this account must be set up for SOAP, not REST (a REST account belongs under MessageMedia (REST)).",
  }),
  password: z
    .string()
    // The request log hides secrets by their exact text; it leaves anything shorter than 4 characters alone.
    .min(4, "Enter the password (at least 4 characters)")
    .max(200, "The password is at most 200 characters")
    // Nothing in an XML text can spell "]]>", so such a password could not be hidden in the request log.
    .refine((password) => !password.includes("]]>"), "The password cannot contain ]]>")
    .meta({
      label: "Password",
      help: "Stored encrypted, and sent only inside the HTTPS request's XML.",
      secret: true,
    }),
  sourceNumber: z
    .string()
    .trim()
    .regex(SENDER, "Use a number in international format (+61491570156) or a sender ID of 3 to 11 letters and digits")
    .optional()
    .meta({
      label: "Source number",
      help: "Optional. MessageMedia's origin for messages that name no number of ours, and the number replies are filed under. Without one MessageMedia sends from its shared numbers, and replies join the conversation of the message they answer.",
      placeholder: "+61491570156",
    }),
  pollIntervalSeconds: z.coerce
    .number()
    .int("Use whole seconds")
    .min(15, "Poll at most every 15 seconds")
    .max(3600, "Poll at least once an hour (3600 seconds)")
    .default(DEFAULT_POLL_INTERVAL_SECONDS)
    .meta({
      label: "Polling interval (seconds)",
      help: "How often the poll-vendor job checks MessageMedia for replies and delivery reports. SOAP has no webhooks: replies and reports arrive only this way, up to 100 of each per check.",
    }),
  soapUrl: z
    .url({ protocol: /^https?$/, message: "Use an http(s) URL" })
    .default("https://soap.m4u.com.au/")
    .meta({
      label: "SOAP endpoint",
      help: "Leave as it is, except to point at the vendor simulator.",
      placeholder: "https://soap.m4u.com.au/",
    }),
});

export type MessageMediaSoapConfig = z.infer<typeof messageMediaSoapConfigSchema>;
