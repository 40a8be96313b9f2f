import { WebhookParseError } from "../errors";
import type { VendorEvent, WebhookRequest } from "../types";
import { webhookPhone } from "../webhook-phone";
import { eventModels, type EventModel, type TemplateDefinition } from "./definition";

/**
 * Reads a vendor's webhook request against the definition's event models. A model is
 * recognised by its event_key at the place its `$event_key$` stands; its other placeholders
 * say where from, to, content and the message id are in the request.
 */
export function parseTemplateEvent(
  definition: TemplateDefinition,
  request: WebhookRequest,
  defaultCountry: string | undefined,
): VendorEvent[] {
  const body = readBody(request);
  const models = eventModels(definition).filter((m) => m.request_method === request.method.toUpperCase());
  const model =
    models.length === 1 && !hasEventKey(models[0]!) ? models[0] : models.find((m) => extract(m, body).event_key === m.event_key);
  if (!model)
    throw new WebhookParseError("The request matches none of the definition's Webhook event models (by event_key)", "event_key");
  const values = extract(model, body);
  const need = (name: string) => {
    const value = values[name];
    if (value === undefined || value === "") throw new WebhookParseError(`The ${model.event_key} event has no $${name}$`, name);
    return value;
  };
  // Numbers as the vendor writes them, read as phone numbers: anything else is refused here, not stored.
  const phone = (name: "from" | "to") =>
    webhookPhone(need(name), name, name === "from" ? "the sender's phone number" : "our number", defaultCountry, { unlisted: true });
  const to = () => (values.to ? phone("to") : "");

  switch (model.event_type) {
    case "message":
      return [
        {
          type: "inbound",
          from: phone("from"),
          to: to(),
          body: values.content ?? "",
          media: [],
          vendorMessageId: values.messageid || undefined,
        },
      ];
    case "mms":
      return [
        {
          type: "inbound",
          from: phone("from"),
          to: to(),
          body: values.text ?? "",
          media: [need("url")],
          vendorMessageId: values.messageid || undefined,
        },
      ];
    case "messageDelivered":
      return [{ type: "status", vendorMessageId: need("messageid"), status: "DELIVERED", vendorStatus: model.event_key }];
  }
}

/** The placeholder values a request carries, read where the model puts each placeholder. */
export function extract(model: EventModel, body: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const visit = (template: unknown, actual: unknown) => {
    if (typeof template === "string") {
      const name = /^\$([^$\r\n]+)\$$/.exec(template)?.[1];
      if (name && (typeof actual === "string" || typeof actual === "number" || typeof actual === "boolean"))
        out[name] = String(actual);
      return;
    }
    if (Array.isArray(template)) return template.forEach((t, i) => visit(t, Array.isArray(actual) ? actual[i] : undefined));
    if (template && typeof template === "object" && actual && typeof actual === "object") {
      for (const [key, t] of Object.entries(template)) visit(t, (actual as Record<string, unknown>)[key]);
    }
  };
  visit(model.request_parameters, body);
  return out;
}

function hasEventKey(model: EventModel): boolean {
  return JSON.stringify(model.request_parameters).includes("$event_key$");
}

/**
 * JSON as the seed shows it; a form body or a GET's query is turned into the same nested
 * shape (`params[from]` → params.from), so one model reads any of them. The objects have no
 * prototype: a field named __proto__ or constructor is a field, not a way into every object
 * of the process. A name that is both a value and a group of fields (a=1&a[b]=2) is refused.
 */
function readBody(request: WebhookRequest): unknown {
  if (request.method.toUpperCase() === "GET") return unflatten(Object.entries(request.query));
  const contentType = request.headers["content-type"] ?? "";
  const trimmed = request.body.trim();
  if (/json/i.test(contentType) || (!/form-urlencoded/i.test(contentType) && /^[[{]/.test(trimmed))) {
    try {
      return JSON.parse(trimmed);
    } catch {
      throw new WebhookParseError("The body is not valid JSON", "body");
    }
  }
  return unflatten([...new URLSearchParams(request.body).entries()]);
}

function unflatten(pairs: [string, string][]): Record<string, unknown> {
  const group = (): Record<string, unknown> => Object.create(null) as Record<string, unknown>;
  const out = group();
  for (const [key, value] of pairs) {
    const parts = key.replace(/\]/g, "").split("[");
    const last = parts.pop()!;
    let node = out;
    for (const part of parts) {
      const next = (node[part] ??= group());
      if (typeof next !== "object") throw mixed(key);
      node = next as Record<string, unknown>;
    }
    if (typeof node[last] === "object") throw mixed(key);
    node[last] = value;
  }
  return out;
}

function mixed(key: string): WebhookParseError {
  return new WebhookParseError(`${key}: a field is both a value and a group of fields`, key);
}
