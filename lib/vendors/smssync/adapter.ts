import { errorTableEntry, VendorError } from "../errors";
import type { VendorAdapter, VendorContext, VendorErrorInfo, WebhookHandler } from "../types";
import { smssyncConfigSchema, type SmssyncConfig } from "./config";
import errorTable from "./errors.json";
import { incomingDedupeKey, parseIncoming, parseResults, successAnswer, taskOf, verifySecret } from "./protocol";

/**
 * SMSsync (Ushahidi's Android app) turns a phone into a gateway. Nothing here calls out: the
 * phone calls us, at its "Sync URL", which is this account's `sync` webhook URL
 * (/api/webhooks/smssync/<token>/sync, served by its own route because the protocol needs
 * answers from the database). It posts each SMS it receives, polls `?task=send` for texts to send,
 * acknowledges them with `?task=sent` and reports results with `?task=result`. Outbound messages
 * wait in our queue until the phone takes them (lib/messaging/device.ts).
 */
const sync: WebhookHandler<SmssyncConfig> = {
  methods: ["GET", "POST"],
  verify: (ctx, request) => verifySecret(ctx.config.secret, request),
  // The stored request is re-read here by the processing job: incoming SMS and delivery results carry events; the other tasks none.
  parse(ctx, request) {
    const task = taskOf(request);
    if (task === null && request.method === "POST")
      return [parseIncoming(request, { number: ctx.config.number, defaultCountry: ctx.defaultCountry })];
    if (task === "result" && request.method === "POST") return parseResults(request.body);
    return [];
  },
  respond: () => successAnswer(),
  dedupeKey: incomingDedupeKey,
};

export const smssyncAdapter = {
  kind: "smssync",
  displayName: "SMSsync",
  description:
    "An Android phone running the SMSsync app sends and receives through its own SIM; it fetches messages from Switchboard.",
  capabilities: {
    inboundWebhook: true,
    inboundPolling: false,
    devicePull: true,
    deliveryReports: true,
    mms: false,
    numberInventory: false,
    lookup: false,
    messagingServices: false,
  },
  configSchema: smssyncConfigSchema,
  webhooks: { sync },
  fullyConfigured: (config) => Boolean(config.secret && config.number),

  async verifyCredentials(ctx) {
    return describeLastContact(ctx);
  },

  /** Never called: deliverMessage leaves device-pull messages for the phone to fetch. Reaching here is our bug, not a send to retry. */
  async send() {
    throw new VendorError({
      code: "smssync_device_pull",
      retryable: false,
      description: "SMSsync phones fetch their messages from Switchboard; nothing can be pushed to them.",
    });
  },

  errorDescription: (code) => describeError(code),
} satisfies VendorAdapter<typeof smssyncConfigSchema>;

/** The phone cannot be reached from here, so "Test connection" reports the last time it reached us. */
function describeLastContact(ctx: VendorContext<SmssyncConfig>): { ok: boolean; detail: string } {
  const at = ctx.lastDeviceContactAt;
  if (at === undefined)
    return {
      ok: true,
      detail: "Switchboard cannot call the phone; the phone calls Switchboard. Its last contact is shown under Activity.",
    };
  if (at === null)
    return {
      ok: false,
      detail: `The phone has not synced yet. In SMSsync, add the Sync URL from the Webhooks tab with the same secret, and turn it on.`,
    };
  const minutes = Math.max(0, Math.round((ctx.now().getTime() - at.getTime()) / 60_000));
  const ago =
    minutes === 0
      ? "less than a minute ago"
      : minutes < 120
        ? `${minutes} minute${minutes === 1 ? "" : "s"} ago`
        : `${Math.round(minutes / 60)} hours ago`;
  return { ok: true, detail: `The phone last synced ${ago} (${at.toISOString()}).` };
}

function describeError(code: string): VendorErrorInfo | undefined {
  const entry = errorTableEntry(errorTable, code);
  return entry && { ...entry, retryable: false };
}
