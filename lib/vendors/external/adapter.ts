import type { VendorAdapter } from "../types";
import { externalConfigSchema } from "./config";
import { probeGateway, sendExternal } from "./send";
import { externalWebhooks } from "./webhooks";

/**
 * RapidPro's External channel: any HTTP gateway, built from settings alone. We call its send
 * URL with the method, content type, headers and body template configured, {{variables}}
 * escaped for where they go, and judge its answer by the configured check. It calls us at
 * /c/ex/<token>/receive with texts and /c/ex/<token>/sent|delivered|failed with the id we sent.
 */
export const externalAdapter = {
  kind: "external",
  displayName: "External (RapidPro)",
  description:
    "Any HTTP SMS gateway, the way RapidPro's External channel connects one: a send URL with {{variables}}, JSON, form or XML bodies, a response check, and incoming texts and status callbacks at RapidPro's /c/ex/ URLs.",
  capabilities: {
    inboundWebhook: true,
    inboundPolling: false,
    devicePull: false,
    deliveryReports: true,
    mms: false,
    numberInventory: false,
    lookup: false,
    messagingServices: false,
  },
  configSchema: externalConfigSchema,
  webhooks: externalWebhooks,
  fullyConfigured: (config) => Boolean(config.sendUrl && config.number),
  verifyCredentials: probeGateway,
  send: sendExternal,
  // A gateway has no error codes of its own. Each failure's words say what was expected and
  // what came back; the send worker prefers a table entry, which would replace them.
  errorDescription: () => undefined,
} satisfies VendorAdapter<typeof externalConfigSchema>;
