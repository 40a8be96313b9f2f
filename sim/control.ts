import { z } from "zod";
import { bandwidthInbound } from "./bandwidth";
import { SimInputError, type SimContext } from "./context";
import type { Fault, FaultInput } from "./faults";
import { json, type SimResponse } from "./http";
import { messagemediaRestInbound } from "./messagemedia-rest";
import { publicSigningKey, syncSigningKey } from "./messagemedia-rest-wire";
import { messagemediaSoapInbound } from "./messagemedia-soap";
import {
  accountInputSchema,
  accountKey,
  VENDORS,
  type Account,
  type AccountInput,
  type CallbackRecord,
  type PolledItem,
  type RecordedRequest,
  type ReportSettings,
  type SentMessage,
  type SimState,
  type Vendor,
} from "./state";
import { twilioInbound } from "./twilio-webhooks";
import { vonageInbound } from "./vonage";

/**
 * The control API: what a test or a person at the demo uses to set the simulator up and
 * to look inside it. The same operations in-process (`control`) and over HTTP (/_sim/...).
 */
const phone = z
  .string()
  .regex(/^\+?[1-9]\d{6,14}$/, "Use an E.164 number like +14155550123")
  .transform((n) => (n.startsWith("+") ? n : `+${n}`));

export const inboundInputSchema = z.object({
  vendor: z.enum(VENDORS),
  /** AccountSid, accountId or api key; else the owner of `to`, else the vendor's newest account. */
  account: z.string().optional(),
  from: phone,
  to: phone,
  body: z.string().max(10_000).default(""),
  /** Attachments: a content type ("image/jpeg") or { contentType, base64?, filename? }. */
  media: z
    .array(
      z.union([
        z.string().min(1),
        z.object({ contentType: z.string().min(1), base64: z.string().optional(), filename: z.string().optional() }),
      ]),
    )
    .default([]),
  /** How many parts the phone's network split it into (Vonage delivers each part separately). */
  parts: z.number().int().min(1).max(20).default(1),
  /** MessageMedia: the message this answers (its message_id, or for SOAP its id or recipient uid); else the latest to `from`. */
  inReplyTo: z.string().min(1).optional(),
});

const reportsInputSchema = z
  .object({ delayMs: z.number().int().min(0).max(600_000), duplicate: z.boolean(), reorder: z.boolean(), enabled: z.boolean() })
  .partial();

export type InboundRequest = z.input<typeof inboundInputSchema>;

/** An account as the control API shows it: a MessageMedia REST account that signs also shows its public key. */
export type AccountView = Account & { signingKey?: Record<string, unknown> };

export type SimControl = {
  addAccount: (input: AccountInput) => AccountView;
  accounts: () => AccountView[];
  injectFault: (input: FaultInput) => Fault;
  faults: () => Fault[];
  clearFaults: () => void;
  setReports: (input: Partial<ReportSettings>) => ReportSettings;
  requests: (filter?: { vendor?: Vendor }) => RecordedRequest[];
  clearRequests: () => void;
  callbacks: (filter?: { vendor?: Vendor; kind?: CallbackRecord["kind"] }) => CallbackRecord[];
  clearCallbacks: () => void;
  messages: (filter?: { vendor?: Vendor }) => SentMessage[];
  /** MessageMedia replies and reports still waiting to be polled and confirmed. */
  polled: (filter?: { vendor?: Vendor }) => PolledItem[];
  /** A phone texts one of our numbers; resolves with the hub's answer(s). */
  inbound: (input: InboundRequest) => Promise<CallbackRecord[]>;
  /** Resolves once every scheduled report has been sent. */
  flush: () => Promise<void>;
  /** Back to the demo accounts and nothing else. */
  reset: () => void;
};

export function createControl(ctx: SimContext): SimControl {
  const { state } = ctx;
  return {
    addAccount: (input) => {
      const account = state.addAccount(input);
      if (account.vendor === "messagemedia-rest") syncSigningKey(state, account);
      return view(state, account);
    },
    accounts: () => [...state.accounts.values()].map((account) => view(state, account)),
    injectFault: (input) => ctx.faults.add(input),
    faults: () => ctx.faults.all(),
    clearFaults: () => ctx.faults.clear(),
    setReports: (input) => (state.reports = { ...state.reports, ...reportsInputSchema.parse(input) }),
    requests: (filter = {}) => state.requests.filter((r) => !filter.vendor || r.vendor === filter.vendor),
    clearRequests: () => void (state.requests.length = 0),
    callbacks: (filter = {}) =>
      state.callbacks.filter((c) => (!filter.vendor || c.vendor === filter.vendor) && (!filter.kind || c.kind === filter.kind)),
    clearCallbacks: () => void (state.callbacks.length = 0),
    messages: (filter = {}) => state.messages.filter((m) => !filter.vendor || m.vendor === filter.vendor),
    polled: (filter = {}) => state.polled.filter((item) => !filter.vendor || item.vendor === filter.vendor),
    inbound: async (raw) => {
      const input = inboundInputSchema.parse(raw);
      const build = {
        twilio: twilioInbound,
        bandwidth: bandwidthInbound,
        vonage: vonageInbound,
        "messagemedia-rest": messagemediaRestInbound,
        "messagemedia-soap": messagemediaSoapInbound,
      }[input.vendor];
      return ctx.deliver.sendNow(build(ctx, input));
    },
    flush: () => ctx.deliver.flush(),
    reset: () => {
      state.reset();
      ctx.faults.clear();
    },
  };
}

/** /_sim/... over HTTP: JSON in, JSON out; bad input is a 400 naming the field. */
export async function handleControl(
  ctx: SimContext,
  control: SimControl,
  method: string,
  path: string,
  query: URLSearchParams,
  body: string,
): Promise<SimResponse> {
  try {
    const input = () => (body.trim() ? (JSON.parse(body) as unknown) : {});
    const vendor = query.get("vendor") ? z.enum(VENDORS).parse(query.get("vendor")) : undefined;
    const route = `${method} ${path.replace(/\/+$/, "")}`;
    switch (route) {
      case "GET /_sim":
        return json(200, describe(ctx));
      case "GET /_sim/accounts":
        return json(200, control.accounts());
      case "POST /_sim/accounts":
        return json(201, control.addAccount(accountInputSchema.parse(input())));
      case "GET /_sim/faults":
        return json(200, control.faults());
      case "POST /_sim/faults":
        return json(201, control.injectFault(input() as FaultInput));
      case "DELETE /_sim/faults":
        control.clearFaults();
        return { status: 204 };
      case "GET /_sim/reports":
        return json(200, ctx.state.reports);
      case "PUT /_sim/reports":
        return json(200, control.setReports(input() as Partial<ReportSettings>));
      case "GET /_sim/requests":
        return json(200, control.requests({ vendor }));
      case "DELETE /_sim/requests":
        control.clearRequests();
        return { status: 204 };
      case "GET /_sim/callbacks":
        return json(
          200,
          control.callbacks({
            vendor,
            kind: z
              .enum(["status", "inbound"])
              .optional()
              .parse(query.get("kind") ?? undefined),
          }),
        );
      case "DELETE /_sim/callbacks":
        control.clearCallbacks();
        return { status: 204 };
      case "GET /_sim/messages":
        return json(200, control.messages({ vendor }));
      case "POST /_sim/inbound":
        return json(200, await control.inbound(input() as InboundRequest));
      case "POST /_sim/flush":
        await control.flush();
        return { status: 204 };
      case "POST /_sim/reset":
        control.reset();
        return { status: 204 };
    }
    return json(404, { error: `No control route ${route}`, help: `GET ${ctx.baseUrl()}/_sim` });
  } catch (error) {
    if (error instanceof z.ZodError) return json(400, { error: "Invalid input", fieldErrors: fieldErrors(error) });
    if (error instanceof SyntaxError) return json(400, { error: `Malformed JSON: ${error.message}` });
    if (error instanceof SimInputError) return json(error.status, { error: error.message });
    throw error;
  }
}

function view(state: SimState, account: Account): AccountView {
  const key = state.signingKeys.get(accountKey(account));
  return key ? { ...account, signingKey: publicSigningKey(key) } : account;
}

function fieldErrors(error: z.ZodError): Record<string, string> {
  return Object.fromEntries(error.issues.map((issue) => [issue.path.join(".") || "(body)", issue.message]));
}

function describe(ctx: SimContext): Record<string, unknown> {
  const base = ctx.baseUrl();
  return {
    baseUrls: {
      "api.twilio.com": `${base}/twilio`,
      "messaging.twilio.com": `${base}/twilio-messaging`,
      "lookups.twilio.com": `${base}/twilio-lookup`,
      "messaging.bandwidth.com": `${base}/bandwidth`,
      "dashboard.bandwidth.com": `${base}/bandwidth-dashboard`,
      "rest.nexmo.com": `${base}/vonage`,
      "api.messagemedia.com": `${base}/messagemedia`,
      "soap.m4u.com.au": `${base}/messagemedia-soap`,
    },
    accounts: [...ctx.state.accounts.values()].map((account) => view(ctx.state, account)),
    reports: ctx.state.reports,
    control: [
      "GET|POST /_sim/accounts",
      "GET|POST|DELETE /_sim/faults",
      "GET|PUT /_sim/reports",
      "GET|DELETE /_sim/requests?vendor=",
      "GET|DELETE /_sim/callbacks?vendor=&kind=",
      "GET /_sim/messages?vendor=",
      "POST /_sim/inbound",
      "POST /_sim/flush",
      "POST /_sim/reset",
    ],
  };
}
