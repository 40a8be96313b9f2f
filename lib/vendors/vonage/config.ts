import { z } from "zod";

export const SIGNATURE_METHODS = ["md5hash", "md5", "sha1", "sha256", "sha512"] as const;

export const vonageConfigSchema = z.object({
  apiKey: z
    .string()
    .trim()
    .min(1, "Enter the API key")
    .max(64, "The API key is at most 64 characters")
    .regex(/^[\w-]+$/, "The API key has only letters and digits, like a1b2c3d4")
    .meta({ label: "API key", help: "From the Vonage API Dashboard.", placeholder: "a1b2c3d4" }),
  apiSecret: z
    .string()
    .min(1, "Enter the API secret")
    .max(200, "The API secret is at most 200 characters")
    .meta({ label: "API secret", secret: true }),
  signatureSecret: z
    .string()
    .min(8, "Use the signature secret from the Dashboard (at least 8 characters)")
    .max(200, "The signature secret is at most 200 characters")
    .optional()
    .meta({
      label: "Signature secret",
      help: "Optional. When set, webhooks without a valid Vonage signature (sig) are refused. Enable signed webhooks in the Dashboard's API settings.",
      secret: true,
    }),
  signatureMethod: z
    .enum(SIGNATURE_METHODS, { message: "Choose md5hash, md5, sha1, sha256 or sha512" })
    .default("md5hash")
    .meta({
      label: "Signature method",
      help: "As chosen in the Dashboard: md5hash (MD5 hash, Vonage's default) or an HMAC (md5, sha1, sha256, sha512).",
    }),
  apiBaseUrl: z
    .url({ protocol: /^https?$/, message: "Use an http(s) URL" })
    .default("https://rest.nexmo.com")
    .meta({
      label: "SMS API base URL",
      help: "Leave as it is, except to point at the vendor simulator.",
      placeholder: "https://rest.nexmo.com",
    }),
});

export type VonageConfig = z.infer<typeof vonageConfigSchema>;
