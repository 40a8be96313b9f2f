import { randomBytes, randomInt, type KeyObject } from "node:crypto";
import { z } from "zod";

/**
 * Everything the simulator remembers, in memory: accounts with their credentials and
 * webhook URLs, messages it accepted, numbers it sold, media it hosts, every request it
 * received and every callback it made. One instance per simulator, so tests that start
 * their own simulator never see each other's state.
 */
export const VENDORS = ["twilio", "bandwidth", "vonage", "messagemedia-rest", "messagemedia-soap"] as const;
export type Vendor = (typeof VENDORS)[number];

/** Which vendor host a path prefix stands for (see sim/README.md for the mapping). */
export type Api =
  | "twilio"
  | "twilio-messaging"
  | "twilio-lookup"
  | "bandwidth"
  | "bandwidth-dashboard"
  | "vonage"
  | "messagemedia"
  | "messagemedia-soap";

const url = z.url({ protocol: /^https?$/ });
const SIGNATURE_METHODS = ["md5hash", "md5", "sha1", "sha256", "sha512"] as const;

export const accountInputSchema = z.discriminatedUnion("vendor", [
  z.object({
    vendor: z.literal("twilio"),
    accountSid: z.string().regex(/^AC[0-9a-fA-F]{32}$/, "An AccountSid is AC followed by 32 hex digits"),
    authToken: z.string().min(1),
    /** Where texts to this account's numbers go when the number has no SmsUrl of its own. */
    inboundUrl: url.optional(),
    /** Used when a send has no StatusCallback (Twilio's messaging-service status callback). */
    statusCallbackUrl: url.optional(),
  }),
  z.object({
    vendor: z.literal("bandwidth"),
    accountId: z.string().min(1),
    username: z.string().min(1),
    password: z.string().min(1),
    /** When set, sends naming another application are refused. */
    applicationId: z.string().optional(),
    /** The messaging application's callback URL: delivery events and, unless inboundUrl is set, inbound. */
    callbackUrl: url.optional(),
    inboundUrl: url.optional(),
    /** The application's callback credentials: callbacks carry them as HTTP Basic. */
    callbackUsername: z.string().optional(),
    callbackPassword: z.string().optional(),
  }),
  z.object({
    vendor: z.literal("vonage"),
    apiKey: z.string().min(1),
    apiSecret: z.string().min(1),
    signatureSecret: z.string().optional(),
    signatureMethod: z.enum(SIGNATURE_METHODS).default("md5hash"),
    inboundUrl: url.optional(),
    dlrUrl: url.optional(),
    /** The Dashboard's "HTTP Method" for SMS webhooks. */
    webhookMethod: z.enum(["GET", "POST", "POST-JSON"]).default("POST"),
  }),
  z.object({
    vendor: z.literal("messagemedia-rest"),
    apiKey: z.string().min(1),
    apiSecret: z.string().min(1),
    /** An account webhook for replies (RECEIVED_SMS): used when the answered message named no callback_url. */
    replyUrl: url.optional(),
    /** Sign callbacks ("enterprise webhooks") with an RSA key pair the simulator makes; the answer carries the public key. */
    signing: z.boolean().default(false),
    signingDigest: z.enum(["SHA224", "SHA256", "SHA512"]).default("SHA224"),
  }),
  z.object({
    vendor: z.literal("messagemedia-soap"),
    userId: z.string().min(1),
    password: z.string().min(1),
    /** accountDetails creditLimit: messages a day; a send beyond what remains is a perDayMessageLimit fault. */
    creditLimit: z.number().int().min(0).default(10_000),
  }),
]);

export type AccountInput = z.input<typeof accountInputSchema>;
export type Account = z.infer<typeof accountInputSchema>;
export type TwilioAccount = Extract<Account, { vendor: "twilio" }>;
export type BandwidthAccount = Extract<Account, { vendor: "bandwidth" }>;
export type VonageAccount = Extract<Account, { vendor: "vonage" }>;
export type MessageMediaRestAccount = Extract<Account, { vendor: "messagemedia-rest" }>;
export type MessageMediaSoapAccount = Extract<Account, { vendor: "messagemedia-soap" }>;

/** Credentials that work out of the box for the local demo (documented in sim/README.md). */
export const DEMO_ACCOUNTS: Account[] = [
  { vendor: "twilio", accountSid: `AC${"5151".repeat(8)}`, authToken: "feed".repeat(8) },
  {
    vendor: "bandwidth",
    accountId: "9900000",
    username: "sim-bandwidth-user",
    password: "sim-bandwidth-password",
    applicationId: "93de2206-9669-4e07-948d-329f4b722ee2",
  },
  { vendor: "vonage", apiKey: "simkey01", apiSecret: "SimSecret0123456", signatureMethod: "md5hash", webhookMethod: "POST" },
  {
    vendor: "messagemedia-rest",
    apiKey: "SimMessageMediaKey01",
    apiSecret: "SimMessageMediaSecret0123456789",
    signing: false,
    signingDigest: "SHA224",
  },
  { vendor: "messagemedia-soap", userId: "sim-m4u-user", password: "sim-m4u-password", creditLimit: 10_000 },
];

export type SentMessage = {
  vendor: Vendor;
  /** The vendor's id for it (Twilio SM/MM sid, Bandwidth id, Vonage message-id). */
  id: string;
  account: string;
  from: string | null;
  to: string;
  body: string;
  media: string[];
  /** The vendor's word for where it is now: queued, sent, delivered, undelivered, ... */
  status: string;
  errorCode: string | null;
  segments: number;
  createdAt: Date;
  updatedAt: Date;
  /** What else the request carried that reports echo (tag, client-ref, MessagingServiceSid, ...). */
  extra: Record<string, string>;
};

/** Moves a message to the vendor's next status (with the error code of a failure, else null). */
export function setStatus(message: SentMessage, status: string, errorCode: string | null): void {
  message.status = status;
  message.errorCode = errorCode;
  message.updatedAt = new Date();
}

/** A text a phone sent us, as the simulator lists it (GET /_sim/messages): received, in one or more parts. */
export function receivedMessage(
  vendor: Vendor,
  id: string,
  account: string,
  input: { from: string; to: string; body: string; parts: number },
  extra: Record<string, string>,
  media: string[] = [],
): SentMessage {
  const now = new Date();
  return {
    vendor,
    id,
    account,
    from: input.from,
    to: input.to,
    body: input.body,
    media,
    status: "received",
    errorCode: null,
    segments: Math.max(input.parts, 1),
    createdAt: now,
    updatedAt: now,
    extra,
  };
}

export type TwilioNumber = {
  sid: string;
  accountSid: string;
  e164: string;
  smsUrl: string;
  smsMethod: string;
  friendlyName: string;
  messagingServiceSid: string | null;
  createdAt: Date;
  updatedAt: Date;
};

/** A Bandwidth number order or disconnect: it completes once the report delay has passed. */
export type BandwidthOrder = {
  id: string;
  kind: "order" | "disconnect";
  accountId: string;
  name: string;
  siteId: string;
  /** The request's order type element, echoed back as Bandwidth does. */
  requestXml: string;
  completed: string[];
  failed: string[];
  createdAt: Date;
};

export type RecordedRequest = {
  seq: number;
  at: string;
  vendor: Vendor;
  api: Api;
  method: string;
  /** The path as the vendor's own host would see it, without the simulator's prefix or query. */
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: string;
};

export type CallbackRecord = {
  seq: number;
  at: string;
  vendor: Vendor;
  kind: "status" | "inbound";
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  response: { status: number; headers: Record<string, string>; body: string } | null;
  error: string | null;
  /** What the vendor would make of the answer, e.g. Twilio's 11200 or 12300 debugger warnings. */
  notes: string[];
};

/** A MessageMedia reply or delivery report waiting to be polled: it comes back on every poll until confirmed. */
export type PolledItem = {
  vendor: "messagemedia-rest" | "messagemedia-soap";
  kind: "reply" | "report";
  account: string;
  /** reply_id / delivery_report_id (REST), receiptId (SOAP). */
  id: string;
  at: Date;
  data: Record<string, unknown>;
};

/** An account's callback-signing key pair (MessageMedia's signature keys); the private half never leaves the simulator. */
export type SigningKey = { keyId: string; digest: string; publicKeyPem: string; privateKey: KeyObject; createdAt: Date };

export type ReportSettings = { delayMs: number; duplicate: boolean; reorder: boolean; enabled: boolean };

export class SimState {
  readonly accounts = new Map<string, Account>();
  readonly messages: SentMessage[] = [];
  readonly twilioNumbers: TwilioNumber[] = [];
  /** Bandwidth numbers in service: ten digits, as the Numbers API writes them. */
  readonly bandwidthNumbers: { accountId: string; tn: string }[] = [];
  readonly bandwidthOrders: BandwidthOrder[] = [];
  readonly media = new Map<string, { contentType: string; data: Buffer }>();
  readonly requests: RecordedRequest[] = [];
  readonly callbacks: CallbackRecord[] = [];
  readonly polled: PolledItem[] = [];
  /** By accountKey(). */
  readonly signingKeys = new Map<string, SigningKey>();
  /** Messages sent today, by accountKey() (MessageMedia SOAP's daily credit). */
  readonly creditsUsed = new Map<string, number>();
  reports: ReportSettings;
  private seq = 0;

  constructor(delayMs: number) {
    this.reports = { delayMs, duplicate: false, reorder: false, enabled: true };
    for (const account of DEMO_ACCOUNTS) this.addAccount(account);
  }

  /** Registers or replaces an account; the newest account of a vendor is its default for inbound texts. */
  addAccount(input: AccountInput): Account {
    const account = accountInputSchema.parse(input);
    const key = accountKey(account);
    this.accounts.delete(key);
    this.accounts.set(key, account);
    return account;
  }

  findAccount<V extends Vendor>(vendor: V, id: string): Extract<Account, { vendor: V }> | undefined {
    return this.accounts.get(`${vendor}:${id}`) as Extract<Account, { vendor: V }> | undefined;
  }

  /** The account a vendor id names, or else the newest account of that vendor. */
  accountFor<V extends Vendor>(vendor: V, id?: string): Extract<Account, { vendor: V }> | undefined {
    if (id) return this.findAccount(vendor, id);
    const all = [...this.accounts.values()].filter((a) => a.vendor === vendor);
    return all.at(-1) as Extract<Account, { vendor: V }> | undefined;
  }

  nextSeq(): number {
    return ++this.seq;
  }

  findMessage(vendor: Vendor, id: string): SentMessage | undefined {
    return this.messages.find((m) => m.vendor === vendor && m.id === id);
  }

  reset(): void {
    this.accounts.clear();
    for (const account of DEMO_ACCOUNTS) this.addAccount(account);
    for (const list of [
      this.messages,
      this.twilioNumbers,
      this.bandwidthNumbers,
      this.bandwidthOrders,
      this.requests,
      this.callbacks,
      this.polled,
    ])
      list.length = 0;
    this.media.clear();
    this.signingKeys.clear();
    this.creditsUsed.clear();
  }
}

export function accountKey(account: Account): string {
  if (account.vendor === "twilio") return `twilio:${account.accountSid}`;
  if (account.vendor === "bandwidth") return `bandwidth:${account.accountId}`;
  if (account.vendor === "messagemedia-soap") return `messagemedia-soap:${account.userId}`;
  return `${account.vendor}:${account.apiKey}`;
}

/** A Twilio-style sid: two letters and 32 hex digits. */
export function twilioSid(prefix: string): string {
  return `${prefix}${randomBytes(16).toString("hex")}`;
}

/** Bandwidth message ids are a millisecond timestamp and 16 lowercase letters and digits. */
export function bandwidthId(): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  return `${Date.now()}${Array.from({ length: 16 }, () => alphabet[randomInt(alphabet.length)]).join("")}`;
}

/** Vonage message ids look like 0A0000000123ABCD1: 17 uppercase hex digits. */
export function vonageId(): string {
  return `0A${randomBytes(8).toString("hex").toUpperCase().slice(0, 15)}`;
}
