import { z } from "zod";

/**
 * A Ringotel-style custom integration definition: the owner describes the vendor's HTTP API
 * in JSON and this vendor speaks it. Everything here is checked when the definition is
 * saved, so a mistake is named by its JSON path (`API.SendMessage.request_url: Required`)
 * then, not discovered by the first send.
 */

const JSON_TYPE = /^application\/json\b/i;
const FORM_TYPE = /^application\/x-www-form-urlencoded\b/i;

/**
 * Placeholders Switchboard fills in for an outgoing message; everything else must be a declared
 * property. `reference` (our message id) and `webhook_url` (for per-message status callbacks)
 * are Switchboard's additions to Ringotel's set.
 */
export const SEND_PLACEHOLDERS = ["from", "to", "content", "extension", "domain", "reference", "webhook_url"] as const;
export const SUBSCRIBE_PLACEHOLDERS = ["webhook_url"] as const;
export const EVENT_TYPES = ["message", "mms", "messageDelivered"] as const;
/** What each kind of event may carry; whole-value placeholders only, since they are read back out of the vendor's request. */
export const EVENT_PLACEHOLDERS: Record<(typeof EVENT_TYPES)[number], string[]> = {
  message: ["event_key", "from", "to", "content", "messageid"],
  mms: ["event_key", "from", "to", "text", "url", "messageid"],
  messageDelivered: ["event_key", "messageid"],
};
const BUILT_IN = new Set<string>([...SEND_PLACEHOLDERS, ...SUBSCRIBE_PLACEHOLDERS, "messageid", "event_key", "text", "url"]);

const PLACEHOLDER = /\$([^$\r\n]+)\$/g;

const required = (what: string) => ({
  // Only the type message is ours; other issues (unknown keys) keep zod's own words.
  error: (issue: { code?: string; input?: unknown }) =>
    issue.code !== "invalid_type" ? undefined : issue.input === undefined ? "Required" : `Expected ${what}`,
});
const text = () => z.string(required("a string")).min(1, "Must not be empty");
const method = z.enum(["GET", "POST", "PUT", "PATCH", "DELETE"], { error: "Use GET, POST, PUT, PATCH or DELETE" });
const contentType = z
  .string(required("a string"))
  .refine((t) => JSON_TYPE.test(t) || FORM_TYPE.test(t), "Use application/json or application/x-www-form-urlencoded");
const jsonObject = z.record(z.string(), z.json(), required("a JSON object"));

const apiRequest = z.strictObject(
  {
    request_method: method.default("POST"),
    request_url: text(),
    request_content_type: contentType.default("application/json"),
    /** A Switchboard addition: extra headers, with placeholders (an API key header, say). */
    request_headers: z.record(z.string(), z.string(), required("an object of strings")).optional(),
    request_parameters: jsonObject.optional(),
    response_map: jsonObject.optional(),
  },
  required("an object"),
);

const eventModel = z.strictObject(
  {
    event_key: text(),
    event_type: z.enum(EVENT_TYPES, { error: `Use one of: ${EVENT_TYPES.join(", ")}` }),
    request_method: z.enum(["GET", "POST"], { error: "Use GET or POST" }).default("POST"),
    request_parameters: jsonObject,
  },
  required("an object"),
);

const definitionShape = z.strictObject(
  {
    name: z.string().optional(),
    properties: z.array(text(), required("an array of names")).default([]),
    auth: z
      .strictObject(
        {
          type: z.enum(["Basic", "Bearer"], { error: "Use Basic or Bearer" }),
          username: z.string().optional(),
          password: z.string().optional(),
          token: z.string().optional(),
        },
        required("an object"),
      )
      .optional(),
    OAuth2: z
      .strictObject(
        {
          client_id: text(),
          client_secret: text(),
          flow_type: z
            .strictObject({ default: z.literal("0", { error: 'Only the web server flow ("0") is supported' }) })
            .optional(),
          authorization_endpoint: text(),
          authorization_parameters: z.strictObject({ default: z.string() }).optional(),
          token_endpoint: text(),
          token_parameters: z.strictObject({ content_type: contentType }).optional(),
          request_auth: z.literal("Bearer", { error: "Only Bearer is supported" }).default("Bearer"),
        },
        required("an object"),
      )
      .optional(),
    API: z.strictObject({ SendMessage: apiRequest, SendFile: apiRequest.optional() }, required("an object")),
    // The seed shows the models one by one; a list or an object keyed by name both read naturally.
    Webhook: z.union([z.array(eventModel), z.record(z.string(), eventModel)], required("a list of event models")).optional(),
    Subscribe: apiRequest.omit({ response_map: true }).optional(),
  },
  required("a JSON object"),
);

export const definitionSchema = definitionShape.superRefine(checkPlaceholders);

export type TemplateDefinition = z.infer<typeof definitionSchema>;
export type ApiRequest = z.infer<typeof apiRequest>;
export type EventModel = z.infer<typeof eventModel>;

/** The definition, or each problem as "json.path: message". */
export function parseDefinition(source: string): { ok: true; definition: TemplateDefinition } | { ok: false; errors: string[] } {
  let json: unknown;
  try {
    json = JSON.parse(source);
  } catch (error) {
    return { ok: false, errors: [`Not valid JSON: ${error instanceof Error ? error.message : String(error)}`] };
  }
  const parsed = definitionSchema.safeParse(json);
  if (parsed.success) return { ok: true, definition: parsed.data };
  return {
    ok: false,
    errors: flattenIssues(parsed.error.issues).map(({ path, message }) =>
      path.length ? `${jsonPath(path)}: ${message}` : message,
    ),
  };
}

/** The event models as a list, however the definition wrote them. */
export function eventModels(definition: TemplateDefinition): EventModel[] {
  const webhook = definition.Webhook;
  if (!webhook) return [];
  return Array.isArray(webhook) ? webhook : Object.values(webhook);
}

/** Every $name$ in a string, in order. */
export function placeholdersIn(value: string): string[] {
  return [...value.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

/** `API.SendMessage.request_parameters["media url"]`, `Webhook[1].event_key`. */
export function jsonPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, i) => {
      if (typeof part === "number") return `[${part}]`;
      const name = String(part);
      if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return i === 0 ? name : `.${name}`;
      return `[${JSON.stringify(name)}]`;
    })
    .join("");
}

type Issue = z.core.$ZodIssue;

/** Unions report every branch; show the branch the owner evidently meant (the one whose shape matched). */
function flattenIssues(issues: readonly Issue[], prefix: PropertyKey[] = []): { path: PropertyKey[]; message: string }[] {
  return issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path];
    if (issue.code === "invalid_union" && issue.errors.length > 0) {
      const branch =
        issue.errors.find((b) => !b.some((i) => i.path.length === 0 && i.code === "invalid_type")) ?? issue.errors[0]!;
      return flattenIssues(branch, path);
    }
    return [{ path, message: issue.message }];
  });
}

function checkPlaceholders(definition: z.infer<typeof definitionShape>, ctx: z.RefinementCtx): void {
  const properties = new Set(definition.properties);
  const issue = (path: PropertyKey[], message: string) => ctx.addIssue({ code: "custom", path, message });
  definition.properties.forEach((name, i) => {
    if (BUILT_IN.has(name)) issue(["properties", i], `"${name}" is a built-in placeholder; name the property differently`);
    else if (name.includes("$")) issue(["properties", i], "A property name cannot contain $");
    else if (definition.properties.indexOf(name) !== i) issue(["properties", i], `"${name}" is declared twice`);
  });
  const known = (extra: readonly string[]) => new Set([...properties, ...extra]);
  const checkStrings = (value: unknown, path: PropertyKey[], allowed: Set<string>) =>
    walkStrings(value, path, (s, at) => {
      for (const name of placeholdersIn(s)) {
        if (!allowed.has(name))
          issue(
            at,
            `unknown placeholder $${name}$ (declare it in "properties", or use one of: ${[...allowed].map((n) => `$${n}$`).join(", ") || "none"})`,
          );
      }
    });

  if (definition.auth && definition.OAuth2) issue(["OAuth2"], 'Use either "auth" or "OAuth2", not both');
  if (definition.auth) {
    const needs = definition.auth.type === "Basic" ? (["username", "password"] as const) : (["token"] as const);
    for (const field of needs)
      if (!definition.auth[field]) issue(["auth", field], `Required for ${definition.auth.type} authentication`);
    checkStrings(definition.auth, ["auth"], known([]));
  }
  if (definition.OAuth2) checkStrings(definition.OAuth2, ["OAuth2"], known([]));

  const api = definition.API;
  for (const name of ["SendMessage", "SendFile"] as const) {
    const request = api[name];
    if (!request) continue;
    const { response_map: responseMap, ...rest } = request;
    checkStrings(rest, ["API", name], known(SEND_PLACEHOLDERS));
    if (responseMap) {
      checkStrings(responseMap, ["API", name, "response_map"], new Set(["messageid"]));
      let found = 0;
      walkStrings(responseMap, [], (s) => (found += placeholdersIn(s).length));
      if (found === 0) issue(["API", name, "response_map"], "Say where the vendor's message id is, with $messageid$");
    }
  }
  if (definition.Subscribe) checkStrings(definition.Subscribe, ["Subscribe"], known(SUBSCRIBE_PLACEHOLDERS));

  const webhook = definition.Webhook;
  if (!webhook) return;
  const entries: [PropertyKey, EventModel][] = Array.isArray(webhook) ? webhook.map((m, i) => [i, m]) : Object.entries(webhook);
  const keys = new Map<string, PropertyKey>();
  for (const [at, model] of entries) {
    const base: PropertyKey[] = ["Webhook", at];
    if (keys.has(model.event_key)) issue([...base, "event_key"], `"${model.event_key}" is used by another model too`);
    keys.set(model.event_key, at);
    const allowed = new Set(EVENT_PLACEHOLDERS[model.event_type]);
    const seen = new Set<string>();
    walkStrings(model.request_parameters, [...base, "request_parameters"], (s, path) => {
      const names = placeholdersIn(s);
      if (names.length === 0) return;
      // Values are read back out of the vendor's request, so a placeholder must be the whole value.
      if (names.length > 1 || s !== `$${names[0]}$`)
        return issue(path, `A placeholder must be the whole value here, not part of "${s}"`);
      if (!allowed.has(names[0]!))
        issue(
          path,
          `unknown placeholder $${names[0]}$ for a ${model.event_type} event (use one of: ${[...allowed].map((n) => `$${n}$`).join(", ")})`,
        );
      seen.add(names[0]!);
    });
    if (entries.length > 1 && !seen.has("event_key"))
      issue([...base, "request_parameters"], "Say where the event's key is, with $event_key$, so events can be told apart");
    const needed =
      model.event_type === "messageDelivered"
        ? ["messageid"]
        : model.event_type === "mms"
          ? ["from", "url"]
          : ["from", "content"];
    for (const name of needed)
      if (!seen.has(name)) issue([...base, "request_parameters"], `A ${model.event_type} event needs $${name}$`);
  }
}

function walkStrings(value: unknown, path: PropertyKey[], visit: (s: string, path: PropertyKey[]) => void): void {
  if (typeof value === "string") visit(value, path);
  else if (Array.isArray(value)) value.forEach((v, i) => walkStrings(v, [...path, i], visit));
  else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) walkStrings(v, [...path, k], visit);
}
