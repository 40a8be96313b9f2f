import { z } from "zod";
import { readPublicKey } from "./signature";

/** An E.164 number, or a sender ID: an alpha tag or short code of 3 to 11 letters, digits, spaces, - and _. */
const SENDER = /^(\+[1-9]\d{5,14}|[A-Za-z0-9 _-]{3,11})$/;

export const messageMediaRestConfigSchema = z.object({
  username: z
    .string()
    .trim()
    .min(1, "Enter the API key")
    .max(100, "The API key is at most 100 characters")
    .regex(/^\S+$/, "The API key has no spaces")
    .meta({
      label: "API key",
      help: "MessageMedia's username for the REST API, from the API settings of the MessageMedia Hub. One interface per MessageMedia account: this account must be set up for REST, not SOAP (a SOAP account belongs under MessageMedia (SOAP)).",
      placeholder: "7EVUfEYzkBu69Uf1DHJO",
    }),
  password: z
    .string()
    .min(1, "Enter the API secret")
    .max(200, "The API secret is at most 200 characters")
    .meta({ label: "API secret", help: "Shown once, when the API key is created in the MessageMedia Hub.", secret: true }),
  auth: z.enum(["basic", "hmac"], { message: "Choose basic or hmac" }).default("basic").meta({
    label: "Authentication",
    help: "basic sends the key and secret in the Authorization header over HTTPS; hmac signs each request with the secret (HMAC-SHA256), so the secret itself never travels.",
  }),
  sourceNumber: z
    .string()
    .trim()
    .regex(SENDER, "Use a number in international format (+61491570156) or a sender ID of 3 to 11 letters and digits")
    .optional()
    .meta({
      label: "Sender",
      help: "Optional. Used when a message names no number of ours. It must be registered to the MessageMedia account; without one MessageMedia uses the account's default number.",
      placeholder: "+61491570156",
    }),
  receiveMode: z.enum(["webhook", "poll"], { message: "Choose webhook or poll" }).default("webhook").meta({
    label: "Replies and reports",
    help: "webhook: MessageMedia calls our callback URL below (sent with every message) with each reply and delivery report. poll: for accounts without webhooks, we fetch replies and reports every polling interval and confirm them once stored.",
  }),
  pollIntervalSeconds: z.coerce
    .number()
    .int("Use whole seconds")
    .min(15, "Poll at most every 15 seconds")
    .max(3600, "Poll at least once an hour (3600 seconds)")
    .default(60)
    .meta({
      label: "Polling interval (seconds)",
      help: "How often to fetch replies and delivery reports. MessageMedia returns at most 100 of each per request.",
      showWhen: { field: "receiveMode", equals: "poll" },
    }),
  publicKey: z
    .string()
    .trim()
    .max(10_000, "That is longer than any RSA public key")
    .refine(
      (text) => readPublicKey(text) !== null,
      "Paste the RSA public key MessageMedia returned for the signature key (PEM, or its base64 alone)",
    )
    .optional()
    .meta({
      label: "Webhook signature public key",
      help: "Optional. The public key of the signature key enabled on the MessageMedia account (Signature Key Management API). When set, webhooks must carry a valid X-Messagemedia-Signature; without it, the unguessable URL is the check.",
      placeholder: "-----BEGIN PUBLIC KEY-----",
      multiline: true,
    }),
  apiBaseUrl: z
    .url({ protocol: /^https?$/, message: "Use an http(s) URL" })
    .default("https://api.messagemedia.com/v1")
    .meta({
      label: "API base URL",
      help: "Leave as it is, except to point at the vendor simulator (or MessageMedia's EU instance).",
      placeholder: "https://api.messagemedia.com/v1",
    }),
});

export type MessageMediaRestConfig = z.infer<typeof messageMediaRestConfigSchema>;

/** A URL under the API base, e.g. apiUrl(config, "/messages"); the base keeps its /v1. */
export function apiUrl(config: Pick<MessageMediaRestConfig, "apiBaseUrl">, path: string): string {
  return `${config.apiBaseUrl.replace(/\/+$/, "")}${path}`;
}
