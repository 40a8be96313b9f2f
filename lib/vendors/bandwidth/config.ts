import { z } from "zod";

const id = (label: string) => z.string().trim().min(1, `Enter the ${label}`).max(100, `The ${label} is at most 100 characters`);

// Bandwidth's sub-account and location IDs are numbers; a pasted name is the usual mistake.
const numericId = (label: string) =>
  z
    .string()
    .trim()
    .regex(/^\d{1,20}$/, `The ${label} is digits only, as the Bandwidth App shows it next to the name`);

export const bandwidthConfigSchema = z.object({
  accountId: id("account ID")
    .regex(/^[\w-]+$/, "The account ID has only letters, digits, - and _ (usually 7 digits)")
    .meta({
      label: "Account ID",
      help: "Your Bandwidth account ID, as the Bandwidth App shows it (usually 7 digits).",
      placeholder: "9900000",
    }),
  username: id("API username").meta({
    label: "API username",
    help: "The API user Bandwidth gave you (HTTP Basic), for the Messaging API and, to buy numbers here, the Numbers API.",
  }),
  password: z
    .string()
    .min(1, "Enter the API password")
    .max(200, "The API password is at most 200 characters")
    .meta({ label: "API password", secret: true }),
  applicationId: id("application ID")
    .regex(/^[\w-]+$/, "The application ID looks like 93de2206-9669-4e07-948d-329f4b722ee2")
    .meta({
      label: "Messaging application ID",
      help: "The messaging application your numbers belong to. Its callback URL is this account's callbacks URL below.",
      placeholder: "93de2206-9669-4e07-948d-329f4b722ee2",
    }),
  callbackUsername: z
    .string()
    .trim()
    .min(1, "Enter the callback username")
    .max(100, "The callback username is at most 100 characters")
    .optional()
    .meta({
      label: "Callback username",
      help: "The HTTP Basic username you set on the Bandwidth application for its callbacks. Callbacks without it are refused.",
    }),
  callbackPassword: z
    .string()
    .min(8, "Use a callback password of at least 8 characters")
    .max(200, "The callback password is at most 200 characters")
    .optional()
    .meta({
      label: "Callback password",
      help: "The HTTP Basic password you set on the Bandwidth application for its callbacks.",
      secret: true,
    }),
  apiBaseUrl: z
    .url({ protocol: /^https?$/, message: "Use an http(s) URL" })
    .default("https://messaging.bandwidth.com/api/v2")
    .meta({
      label: "Messaging API base URL",
      help: "Leave as it is, except to point at the vendor simulator.",
      placeholder: "https://messaging.bandwidth.com/api/v2",
    }),
  // Buying numbers goes through Bandwidth's separate Numbers (Dashboard) API, which files them under a sub-account.
  siteId: numericId("Site ID").optional().meta({
    label: "Site ID (sub-account)",
    help: "Needed to buy numbers here: the sub-account new numbers are ordered into. The Bandwidth App lists each sub-account's ID (digits, not its name).",
    placeholder: "12345",
  }),
  peerId: numericId("Location ID").optional().meta({
    label: "Location ID (SIP peer)",
    help: "Optional. The location in that sub-account for new numbers; Bandwidth uses the sub-account's default location otherwise. Choose the location linked to the messaging application above, or new numbers cannot text.",
    placeholder: "518824",
  }),
  numbersBaseUrl: z
    .url({ protocol: /^https?$/, message: "Use an http(s) URL" })
    .default("https://dashboard.bandwidth.com/api")
    .meta({
      label: "Numbers API base URL",
      help: "Leave as it is, except to point at the vendor simulator.",
      placeholder: "https://dashboard.bandwidth.com/api",
    }),
});

export type BandwidthConfig = z.infer<typeof bandwidthConfigSchema>;
