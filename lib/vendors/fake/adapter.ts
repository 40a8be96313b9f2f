import { createHash, randomUUID } from "node:crypto";
import { parsePhoneNumberFromString } from "libphonenumber-js";
import { errorTableEntry, httpFailure, knownError, VendorError } from "../errors";
import type { AvailableNumber, LookupResult, OutboundMessage, OwnedNumber, VendorAdapter, VendorContext } from "../types";
import { fakeConfigSchema, type FakeConfig } from "./config";
import errorTable from "./errors.json";
import { fakeWebhooks, signFakeBody, SIGNATURE_HEADER } from "./webhooks";

/**
 * The vendor for demos, development and tests, like Spoke's fakeservice but complete.
 * Sends succeed with a vendor id and are reported delivered a moment later through our
 * own status webhook; "autorespond" gets a reply through the inbound webhook; recipients
 * ending in 13 fail, and those ending in 21 fail as opted out (like Twilio 21610); numbers and lookups are deterministic so tests can rely on them.
 */
export const fakeAdapter = {
  kind: "fake",
  displayName: "Fake vendor",
  description: "For demos and development: sends nothing, reports deliveries and replies as a real vendor would.",
  capabilities: {
    inboundWebhook: true,
    inboundPolling: false,
    devicePull: false,
    deliveryReports: true,
    mms: true,
    numberInventory: true,
    lookup: true,
    messagingServices: false,
  },
  configSchema: fakeConfigSchema,
  webhooks: fakeWebhooks,
  fullyConfigured: () => true,

  async verifyCredentials(ctx) {
    return { ok: true, detail: `The fake vendor is ready. Deliveries are reported ${ctx.config.deliveryDelayMs} ms after each send.` };
  },

  async send(ctx, message) {
    if (message.to.endsWith("13")) throw fakeError("FAKE-13");
    if (message.to.endsWith("21")) throw fakeError("FAKE-21610");
    const vendorMessageId = ctx.config.ledgerUrl ? await recordInLedger(ctx, message) : `FK${randomUUID().replace(/-/g, "")}`;
    later(ctx, () => callback(ctx, "status", { vendorMessageId, status: "delivered", at: ctx.now().toISOString() }));
    if (/autorespond/i.test(message.body) && message.from) {
      const reply = { id: `FKIN${randomUUID().replace(/-/g, "")}`, from: message.to, to: message.from, body: `Automatic reply to: ${message.body}`.slice(0, 1600), media: [] };
      later(ctx, () => callback(ctx, "inbound", reply));
    }
    return { vendorMessageIds: [vendorMessageId] };
  },

  errorDescription: (code) => errorTableEntry(errorTable, code),

  /** Only a fake vendor with a ledger remembers what it was sent; without one it cannot say. */
  async findMessage(ctx, messageId) {
    if (!ctx.config.ledgerUrl) throw new VendorError({ code: "FAKE-NO-LEDGER", retryable: false, description: "The fake vendor keeps no record of sends without a ledger URL." });
    const response = await ctx.http.request({ method: "GET", url: `${ctx.config.ledgerUrl}/messages/${encodeURIComponent(messageId)}` });
    if (response.status === 404) return { found: false };
    if (response.status !== 200) throw httpFailure(response.status, `The fake vendor's ledger answered ${response.status}`);
    const { id } = JSON.parse(response.body) as { id: string };
    return { found: true, vendorMessageId: id, status: "SENT" };
  },

  inventory: {
    async search(_ctx, { areaCode, limit }) {
      if (!/^[2-9]\d{2}$/.test(areaCode)) throw fakeError("FAKE-AREA");
      // 555-0100 to 555-0199 are reserved for fiction: no real phone rings.
      return Array.from({ length: Math.min(limit, 100) }, (_, i) => fakeNumber(`+1${areaCode}55501${String(i).padStart(2, "0")}`));
    },
    async buy(_ctx, e164) {
      if (!/^\+1[2-9]\d{9}$/.test(e164)) throw fakeError("FAKE-AREA");
      return { ...fakeNumber(e164), vendorNumberId: numberId(e164) };
    },
    async release() {},
    async list(ctx) {
      // Two numbers every fake account "already owns", so importing has something to find.
      const seed = parseInt(hash(ctx.account.id).slice(0, 4), 16) % 90;
      return [0, 1].map((n): OwnedNumber => {
        const e164 = `+120155501${String(seed + n).padStart(2, "0")}`;
        return { ...fakeNumber(e164), vendorNumberId: numberId(e164) };
      });
    },
  },

  freeLookup: async (ctx, e164) => fakeLookup(ctx, e164),
} satisfies VendorAdapter<typeof fakeConfigSchema>;

/** The remote half of the fake vendor: the ledger records the send and names it. */
async function recordInLedger(ctx: VendorContext<FakeConfig>, message: OutboundMessage): Promise<string> {
  const response = await ctx.http.request({
    method: "POST",
    url: `${ctx.config.ledgerUrl}/messages`,
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ clientRef: message.id, to: message.to, from: message.from, body: message.body, media: message.mediaUrls }),
  });
  if (response.status < 200 || response.status > 299) throw httpFailure(response.status, `The fake vendor's ledger answered ${response.status}`);
  return (JSON.parse(response.body) as { id: string }).id;
}

/** Deterministic by the last digit, so every status_code has a number that produces it. */
export function fakeLookup(ctx: VendorContext<FakeConfig>, e164: string): LookupResult {
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed || !parsed.isValid()) return { statusCode: -2, lineType: "unknown" };
  if (ctx.requiredCountry && parsed.country !== ctx.requiredCountry) return { statusCode: -3, lineType: "unknown" };
  const last = Number(e164.at(-1));
  if (last === 7) return { statusCode: -1, carrier: "Fake Landline Co", lineType: "landline" };
  if (last === 8) return { statusCode: -2, lineType: "unknown" };
  if (last === 9) return { statusCode: -4, lineType: "unknown" };
  return { statusCode: 0, carrier: "Fake Mobile", lineType: "mobile" };
}

function fakeError(code: string): VendorError {
  return knownError(errorTableEntry(errorTable, code)!);
}

function fakeNumber(e164: string): AvailableNumber {
  return { e164, locality: "Fakeville", region: "FK", capabilities: { sms: true, mms: true, voice: false } };
}

function numberId(e164: string): string {
  return `PNFAKE${hash(e164).slice(0, 24)}`;
}

function hash(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

function later(ctx: VendorContext<FakeConfig>, run: () => Promise<void>): void {
  const timer = setTimeout(() => void run().catch(() => {}), ctx.config.deliveryDelayMs);
  timer.unref?.();
}

/** The fake vendor calls our webhook exactly as a real one would, signed and logged. */
async function callback(ctx: VendorContext<FakeConfig>, action: "status" | "inbound", payload: object): Promise<void> {
  const body = JSON.stringify(payload);
  await ctx.http.request({
    method: "POST",
    url: ctx.webhookUrl(action),
    headers: { "content-type": "application/json", [SIGNATURE_HEADER]: signFakeBody(ctx, body) },
    body,
  });
}
