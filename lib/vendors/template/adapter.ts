import { z } from "zod";
import { httpFailure, VendorError } from "../errors";
import { basicAuthHeader } from "../http";
import type { DynamicConfigField, OutboundMessage, VendorAdapter, VendorContext } from "../types";
import { retryAfterSeconds, safeJson } from "../vendor-response";
import { parseDefinition, type ApiRequest, type TemplateDefinition } from "./definition";
import { parseTemplateEvent } from "./events";
import { accessToken, TOKEN_FIELDS } from "./oauth2";
import { readResponseMap, renderRequest, substitute, type Values } from "./render";

/**
 * A vendor built from a Ringotel-style JSON definition (lib/vendors/template/examples/):
 * its properties become this account's settings, API.SendMessage and API.SendFile send,
 * the Webhook event models read what the vendor posts to our "events" URL, and Subscribe
 * gives the vendor that URL when the account is enabled.
 */
const PROPERTY_PREFIX = "property:";
/** Property names that hold credentials are encrypted and never shown again, like other vendors' secret fields. */
const SECRET_NAME = /key|secret|passw|token|credential|pin\b/i;

const schema = z.looseObject({
  definition: z
    .string({ error: "Paste or upload the integration's JSON definition" })
    .min(1, "Paste or upload the integration's JSON definition")
    .superRefine((source, ctx) => {
      const parsed = parseCached(source);
      // One message, every problem in it: the form shows one error per field.
      if (!parsed.ok) ctx.addIssue({ code: "custom", message: parsed.errors.join("; ") });
    })
    .meta({
      label: "Integration definition (JSON)",
      help: "The vendor's API described as a Ringotel custom integration template: properties, auth or OAuth2, API.SendMessage, API.SendFile, Webhook models and Subscribe. Its properties appear below once saved.",
      multiline: true,
      accept: ".json,application/json",
      placeholder: '{ "properties": [...], "auth": {...}, "API": { "SendMessage": {...} }, "Webhook": [...] }',
    }),
  originOverride: z.url({ error: "Use a full URL, e.g. http://127.0.0.1:4010" }).optional().meta({
    label: "Send requests to (testing)",
    help: "Leave blank in production. When set, every request the definition describes goes to this origin instead, path and query kept: for a simulator or test server.",
  }),
});
type Config = z.infer<typeof schema>;
type Ctx = VendorContext<Config>;

export const templateAdapter = {
  kind: "template",
  displayName: "Custom integration (JSON template)",
  description: "Any HTTP SMS API, described in a Ringotel-style JSON definition: auth, send, webhooks, subscribe.",
  capabilities: {
    inboundWebhook: true,
    inboundPolling: false,
    devicePull: false,
    deliveryReports: true,
    mms: true,
    numberInventory: false,
    lookup: false,
    messagingServices: false,
  },
  configSchema: schema,
  webhooks: {
    // The unguessable token in the URL is the only credential: the template has no signature scheme.
    events: {
      methods: ["GET", "POST"],
      verify: () => null,
      parse: (ctx, request) => parseTemplateEvent(definitionOf(ctx.config), request, ctx.defaultCountry),
      respond: () => ({ status: 200, headers: { "content-type": "application/json" }, body: '{"result":"ok"}' }),
    },
  },
  dynamicFields,
  fullyConfigured: (config) => missingSettings(config).length === 0,
  verifyCredentials: async (ctx) => {
    const missing = missingSettings(ctx.config);
    if (missing.length > 0) return { ok: false, detail: `Not ready to send: ${missing.join(", ")}.` };
    const definition = definitionOf(ctx.config);
    if (definition.OAuth2)
      await accessToken(ctx, definition.OAuth2, valuesOf(ctx), { originOverride: ctx.config.originOverride });
    // A definition describes sends and subscriptions only; there is no request that checks credentials without acting.
    return {
      ok: true,
      detail:
        "The definition is valid and every property it uses is set. Send a test message to check the vendor accepts the credentials.",
    };
  },
  send: async (ctx, message) => {
    const definition = definitionOf(ctx.config);
    const { SendMessage, SendFile } = definition.API;
    if (message.mediaUrls.length > 0 && !SendFile) {
      throw new VendorError({
        code: "no_send_file",
        retryable: false,
        description: "This integration's definition has no API.SendFile, so it cannot send pictures or files.",
      });
    }
    const ids: string[] = [];
    // Ringotel sends a file per request, as its own message; the text goes first, on its own.
    if (message.body || message.mediaUrls.length === 0)
      ids.push(...(await call(ctx, definition, SendMessage, sendValues(ctx, message, message.body))));
    for (const url of message.mediaUrls) ids.push(...(await call(ctx, definition, SendFile!, sendValues(ctx, message, url))));
    return { vendorMessageIds: ids };
  },
  subscribe: async (ctx) => {
    const definition = definitionOf(ctx.config);
    if (!definition.Subscribe) return;
    await call(ctx, definition, definition.Subscribe, { ...valuesOf(ctx), webhook_url: ctx.webhookUrl("events") });
  },
  errorDescription: () => undefined,
} satisfies VendorAdapter<typeof schema>;

/** The property's settings field name: properties are free text ("API key"), so they get a prefix of their own. */
export function propertyField(name: string): string {
  return `${PROPERTY_PREFIX}${name}`;
}

export function definitionOf(config: Pick<Config, "definition">): TemplateDefinition {
  const parsed = parseCached(config.definition);
  if (!parsed.ok)
    throw new VendorError({
      code: "invalid_definition",
      retryable: false,
      description: `The integration's definition is invalid: ${parsed.errors.join("; ")}`,
    });
  return parsed.definition;
}

/** The property values by property name, as placeholders use them. */
export function valuesOf(ctx: { config: Record<string, unknown> }): Values {
  const out: Values = {};
  for (const [key, value] of Object.entries(ctx.config)) {
    if (key.startsWith(PROPERTY_PREFIX) && typeof value === "string") out[key.slice(PROPERTY_PREFIX.length)] = value;
  }
  return out;
}

function dynamicFields(config: Record<string, unknown>): DynamicConfigField[] {
  const parsed = typeof config.definition === "string" ? parseCached(config.definition) : undefined;
  if (!parsed?.ok) return [];
  const fields: DynamicConfigField[] = parsed.definition.properties.map((name) => ({
    name: propertyField(name),
    label: name,
    secret: SECRET_NAME.test(name),
    help: `The definition's "${name}" property, used as $${name}$.`,
  }));
  if (parsed.definition.OAuth2) {
    fields.push(
      { name: TOKEN_FIELDS.accessToken, label: "OAuth2 connection", secret: true, managed: true, oauth2Connect: true },
      { name: TOKEN_FIELDS.refreshToken, label: "OAuth2 refresh token", secret: true, managed: true },
      { name: TOKEN_FIELDS.expiresAt, label: "OAuth2 token expiry", secret: true, managed: true },
    );
  }
  return fields;
}

/** What still has to be filled in before the account can send, in words. */
function missingSettings(config: Record<string, unknown>): string[] {
  const parsed = typeof config.definition === "string" ? parseCached(config.definition) : undefined;
  if (!parsed?.ok) return ["a valid definition"];
  const missing = parsed.definition.properties
    .filter((name) => !config[propertyField(name)])
    .map((name) => `the "${name}" property`);
  if (parsed.definition.OAuth2 && !config[TOKEN_FIELDS.accessToken]) missing.push("an OAuth2 connection");
  return missing;
}

function sendValues(ctx: Ctx, message: OutboundMessage, content: string): Values {
  return {
    ...valuesOf(ctx),
    from: message.from ?? "",
    to: message.to,
    content,
    // Ringotel's user extension has no counterpart here; $domain$ is the host the vendor reaches us at.
    extension: "",
    domain: new URL(ctx.webhookUrl("events")).host,
    reference: message.id,
    webhook_url: ctx.webhookUrl("events"),
  };
}

/** One request the definition describes, authenticated as it says; the vendor's ids from its response_map. */
async function call(
  ctx: Ctx,
  definition: TemplateDefinition,
  request: ApiRequest | Omit<ApiRequest, "response_map">,
  values: Values,
): Promise<string[]> {
  const rendered = renderRequest(request, values, ctx.config.originOverride);
  const send = async (force: boolean) => {
    const headers = { accept: "application/json", ...rendered.headers, ...(await authorization(ctx, definition, force)) };
    return ctx.http.request({ method: rendered.method, url: rendered.url, headers, body: rendered.body });
  };
  let response = await send(false);
  // An access token can be revoked or expire early: one refresh and one retry, then the 401 stands.
  if (response.status === 401 && definition.OAuth2 && ctx.config[TOKEN_FIELDS.refreshToken]) response = await send(true);
  if (response.status >= 400) {
    throw httpFailure(
      response.status,
      `The vendor answered HTTP ${response.status}${response.body ? `: ${response.body.slice(0, 200)}` : ""}`,
      retryAfterSeconds(response, ctx.now()),
    );
  }
  const map = "response_map" in request ? request.response_map : undefined;
  if (!map) return [];
  const id = readResponseMap(map, safeJson(response.body));
  if (!id) {
    // Accepted but unidentifiable: sending again could text the person twice, so this is final.
    throw new VendorError({
      code: "no_message_id",
      retryable: false,
      description: `The vendor accepted the message but its answer has no $messageid$ where response_map says: ${response.body.slice(0, 200)}`,
    });
  }
  return [id];
}

async function authorization(ctx: Ctx, definition: TemplateDefinition, force: boolean): Promise<Record<string, string>> {
  const values = valuesOf(ctx);
  if (definition.OAuth2)
    return {
      authorization: `Bearer ${await accessToken(ctx, definition.OAuth2, values, { force, originOverride: ctx.config.originOverride })}`,
    };
  const auth = definition.auth;
  if (!auth) return {};
  if (auth.type === "Bearer") return { authorization: `Bearer ${substitute(auth.token ?? "", values)}` };
  return { authorization: basicAuthHeader(substitute(auth.username ?? "", values), substitute(auth.password ?? "", values)) };
}

/** Parsed once per distinct definition text: sends and account pages are frequent, definitions rarely change. */
const parsedDefinitions = new Map<string, ReturnType<typeof parseDefinition>>();

function parseCached(source: string): ReturnType<typeof parseDefinition> {
  const cached = parsedDefinitions.get(source);
  if (cached) return cached;
  const parsed = parseDefinition(source);
  if (parsedDefinitions.size >= 100) parsedDefinitions.clear();
  parsedDefinitions.set(source, parsed);
  return parsed;
}
