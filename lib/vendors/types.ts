import type { z } from "zod";
import type { VendorHttp } from "./http";

/**
 * The contract every SMS vendor implements. An adapter speaks its vendor's protocol and
 * nothing else: no database, no Next.js. What it needs from storage or the app comes in
 * through VendorContext; what it learns goes out as VendorEvents.
 */

/** Every vendor kind; the registry must list an adapter for each (lib/vendors/registry.ts). */
export type VendorKind = "fake" | "bandwidth" | "vonage" | "twilio" | "messagemedia-rest" | "messagemedia-soap" | "external" | "smssync" | "template";

export type VendorCapabilities = {
  /** Vendor calls our webhook with inbound messages. */
  inboundWebhook: boolean;
  /** We must poll the vendor for replies and reports (poll()). */
  inboundPolling: boolean;
  /** A device pulls its outbound queue from us (SMSsync). */
  devicePull: boolean;
  deliveryReports: boolean;
  mms: boolean;
  numberInventory: boolean;
  lookup: boolean;
  messagingServices: boolean;
};

/** Metadata each config field carries with zod's .meta(): the settings form is built from it. */
export type ConfigFieldMeta = {
  label: string;
  help?: string;
  /** Encrypted at rest, never sent to the browser, shown as <Encrypted> once set. */
  secret?: boolean;
  placeholder?: string;
  /** Where a field is only for one mode of the vendor, e.g. { field: "auth", equals: "hmac" }. */
  showWhen?: { field: string; equals: string };
  multiline?: boolean;
  /** File types the owner may upload into a multiline field instead of pasting, e.g. ".json,application/json". */
  accept?: string;
};

/**
 * A settings field that exists only because of another setting (the template vendor's
 * definition declares its own properties). Stored and encrypted exactly as a schema field.
 */
export type DynamicConfigField = ConfigFieldMeta & {
  name: string;
  /**
   * Set by Switchboard, not typed by the owner (OAuth2 tokens): kept across saves whatever
   * the form sends, and never shown as an input.
   */
  managed?: boolean;
  /** The form offers a "Connect" button that starts the OAuth2 web-server flow for this account. */
  oauth2Connect?: boolean;
};

export type AccountRef = {
  id: string;
  orgId: string;
  kind: VendorKind;
  name: string;
  webhookToken: string;
};

/** What an adapter gets for each call: its parsed config (secrets decrypted), HTTP with logging, URLs. */
export type VendorContext<C = Record<string, unknown>> = {
  account: AccountRef;
  config: C;
  http: VendorHttp;
  /** Our public URL for one of this account's webhook actions, e.g. webhookUrl("status"). */
  webhookUrl: (action: string) => string;
  /** The org's default country for reading numbers without a +country code (ISO 3166 alpha-2). */
  defaultCountry: string;
  /** PHONE_NUMBER_COUNTRY, when set: lookups of numbers elsewhere answer status -3. */
  requiredCountry?: string;
  now: () => Date;
  /**
   * Stores secrets the adapter obtained itself (refreshed OAuth2 tokens), encrypted like the
   * owner's; absent where nothing can be stored (tests, previews).
   */
  saveSecrets?: (values: Record<string, string>) => Promise<void>;
  /** Device-pull accounts (SMSsync): when the phone last contacted us, null if never; undefined where not loaded. */
  lastDeviceContactAt?: Date | null;
};

export type OutboundMessage = {
  /** Our message id: vendors that echo a client reference get it. */
  id: string;
  to: string;
  /** Our number, or undefined when sending through a messaging service. */
  from?: string;
  messagingServiceId?: string;
  body: string;
  mediaUrls: string[];
  validityPeriodSeconds?: number;
  /**
   * A positive 31-bit number unique to this message, for vendors whose message reference is
   * an integer they echo in reports and replies (MessageMedia SOAP's recipient uid).
   */
  numericId: number;
};

export type SendResult = {
  /** The vendor's id(s) for what it accepted; several when it split the message into parts. */
  vendorMessageIds: string[];
  segments?: number;
};

export type StatusUpdate = "SENT" | "DELIVERED" | "FAILED";

export type VendorEvent =
  | {
      type: "inbound";
      from: string;
      to: string;
      body: string;
      media: string[];
      vendorMessageId?: string;
      receivedAt?: Date;
      /**
       * One part of a long message the vendor delivers in pieces (Vonage "concat"): adapters
       * cannot store, so lib/messaging holds parts with the same (from, to, ref) until all
       * `total` have come and joins their bodies in `index` order (1-based).
       */
      parts?: { ref: string; total: number; index: number };
      /**
       * The vendor's id for our message this answers, where the vendor links replies to
       * messages (MessageMedia): the reply joins that message's conversation, and `to` may
       * be left "" when the vendor does not say which of our numbers was texted.
       */
      inReplyTo?: string;
    }
  | {
      type: "status";
      vendorMessageId: string;
      status: StatusUpdate;
      /** The vendor's own word for the status ("delivered", "undelivered", "DELIVRD"). */
      vendorStatus: string;
      errorCode?: string;
      errorDescription?: string;
      occurredAt?: Date;
      /** Our message id, where the vendor echoes it (Bandwidth tag, Vonage client-ref): finds a message whose vendor id is not stored. */
      messageId?: string;
    };

/** A webhook request as received: raw body, so signatures can be checked over exact bytes. */
export type WebhookRequest = {
  method: string;
  /** The URL the vendor called, as PUBLIC_URL spells it (signatures cover it). */
  url: string;
  headers: Record<string, string>;
  query: Record<string, string>;
  body: string;
};

export type WebhookResponse = { status: number; headers?: Record<string, string>; body: string };

export type WebhookHandler<C> = {
  methods: ("GET" | "POST")[];
  /** null when the request is genuine; otherwise why it is not (answered 403, logged). */
  verify: (ctx: VendorContext<C>, request: WebhookRequest) => string | null;
  /** Throws WebhookParseError for a malformed body (answered 400). */
  parse: (ctx: VendorContext<C>, request: WebhookRequest) => VendorEvent[];
  /** The exact answer the vendor expects once the request is stored. */
  respond: (ctx: VendorContext<C>, events: VendorEvent[]) => WebhookResponse;
  /** A key that is the same when the vendor retries the same request; null when it has none. */
  dedupeKey?: (request: WebhookRequest) => string | null;
};

export type VerifyResult = { ok: boolean; detail: string };

export type AvailableNumber = { e164: string; locality?: string; region?: string; capabilities: { sms: boolean; mms: boolean; voice: boolean } };
export type OwnedNumber = AvailableNumber & { vendorNumberId: string; messagingServiceId?: string; senderType?: "LONG_CODE" | "TOLL_FREE" | "SHORT_CODE" | "ALPHANUMERIC" };

export type NumberInventory<C> = {
  search: (ctx: VendorContext<C>, query: { areaCode: string; limit: number }) => Promise<AvailableNumber[]>;
  buy: (ctx: VendorContext<C>, e164: string) => Promise<OwnedNumber>;
  release: (ctx: VendorContext<C>, number: { e164: string; vendorNumberId: string | null }) => Promise<void>;
  list: (ctx: VendorContext<C>) => Promise<OwnedNumber[]>;
  addToMessagingService?: (ctx: VendorContext<C>, number: { e164: string; vendorNumberId: string | null }, messagingServiceId: string) => Promise<void>;
};

/** Spoke's status_code: >= 0 textable; -1 landline, -2 invalid or unserviced, -3 wrong country, -4 lookup error. */
export type LookupResult = { statusCode: number; carrier?: string; lineType?: "mobile" | "landline" | "voip" | "unknown"; name?: string };

/** Where a crash left a send unknown: what the vendor knows of our message, if it can say. */
export type MessageLookup = { found: false } | { found: true; vendorMessageId: string; status: StatusUpdate | "QUEUED" };

/** One thing a poll fetched (a reply, a delivery report), as the vendor identifies it. */
export type PolledItem = {
  /** The vendor's id for it, stable across polls (e.g. "reply:<receiptId>"): stored once per key. */
  key: string;
  /** Its raw form (an XML element, a JSON object), kept as a webhook's body is. */
  raw: string;
  events: VendorEvent[];
};

export type PollResult = {
  items: PolledItem[];
  /**
   * Tells the vendor these items are stored, so it stops returning them. Called only with
   * keys whose items are committed; an item never confirmed comes back on the next poll.
   */
  confirm: (keys: string[]) => Promise<void>;
};

export type VendorErrorInfo = { code: string; description: string; link?: string; retryable?: boolean; optOut?: boolean };

export type VendorAdapter<S extends z.ZodObject = z.ZodObject> = {
  kind: VendorKind;
  displayName: string;
  /** One line for the "add an account" chooser. */
  description: string;
  capabilities: VendorCapabilities;
  /** Settings and secrets in one schema; each field has ConfigFieldMeta via .meta(). */
  configSchema: S;
  /** Webhook actions whose URLs the owner copies into the vendor's console. */
  webhooks: Record<string, WebhookHandler<z.infer<S>>>;
  fullyConfigured: (config: z.infer<S>) => boolean;
  verifyCredentials: (ctx: VendorContext<z.infer<S>>) => Promise<VerifyResult>;
  /** Sends one message, or throws VendorError. */
  send: (ctx: VendorContext<z.infer<S>>, message: OutboundMessage) => Promise<SendResult>;
  /**
   * Sends several in one request where the vendor takes batches (MessageMedia REST, up to
   * `maxBatch`): results in the order given, or throws VendorError for the whole batch.
   */
  sendBatch?: (ctx: VendorContext<z.infer<S>>, messages: OutboundMessage[]) => Promise<SendResult[]>;
  maxBatch?: number;
  /** The vendor's own error table. */
  errorDescription: (code: string) => VendorErrorInfo | undefined;

  // Optional capabilities.
  /** Looks up a message we may have sent before a crash, by our id. */
  findMessage?: (ctx: VendorContext<z.infer<S>>, messageId: string) => Promise<MessageLookup>;
  /** Fetches replies and reports the vendor holds for us (no webhooks); run by the poll-vendor job. */
  poll?: (ctx: VendorContext<z.infer<S>>) => Promise<PollResult>;
  /** Seconds between polls for this account (default 60); undefined or 0 when it does not poll. */
  pollIntervalSeconds?: (config: z.infer<S>) => number | undefined;
  inventory?: NumberInventory<z.infer<S>>;
  lookup?: (ctx: VendorContext<z.infer<S>>, e164: string) => Promise<LookupResult>;
  freeLookup?: (ctx: VendorContext<z.infer<S>>, e164: string) => Promise<LookupResult>;
  /**
   * Settings fields that depend on the account's other settings (the template vendor's
   * properties), after the schema's own; given the saved or submitted non-secret config.
   */
  dynamicFields?: (config: Record<string, unknown>) => DynamicConfigField[];
  /** Registers our webhook URLs with the vendor, where its API allows. */
  subscribe?: (ctx: VendorContext<z.infer<S>>) => Promise<void>;
  /** A messaging service for this contact, where the vendor has them. */
  messagingServiceFor?: (ctx: VendorContext<z.infer<S>>, contact: { e164: string }) => string | undefined;
};

/** Any adapter, whatever its config: for the registry, where each keeps its own types. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- variance: each adapter's config type differs
export type AnyVendorAdapter = VendorAdapter<any>;
