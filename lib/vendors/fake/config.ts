import { z } from "zod";

export const fakeConfigSchema = z.object({
  deliveryDelayMs: z.coerce
    .number()
    .int("Use whole milliseconds")
    .min(0, "Use 0 or more")
    .max(60_000, "Use at most 60000 (one minute)")
    .default(1500)
    .meta({ label: "Delivery report delay (ms)", help: "How long after a send the fake vendor reports it delivered, and sends any automatic reply." }),
  ledgerUrl: z
    .url({ protocol: /^https?$/, message: "Use an http(s) URL" })
    .optional()
    .meta({
      label: "Ledger URL (tests)",
      help: "Optional. When set, the fake vendor records each send at this URL and can be asked later whether a message arrived, as a real vendor can. Leave blank for the demo.",
      placeholder: "http://127.0.0.1:4010",
    }),
  webhookSecret: z
    .string()
    .min(8, "Use at least 8 characters")
    .max(200)
    .optional()
    .meta({ label: "Webhook signing secret", help: "Signs the fake vendor's callbacks (X-Fake-Signature). Until one is set, callbacks are signed with the account's webhook token.", secret: true }),
});

export type FakeConfig = z.infer<typeof fakeConfigSchema>;
