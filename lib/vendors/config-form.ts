import { z } from "zod";
import type { AnyVendorAdapter, ConfigFieldMeta, DynamicConfigField } from "./types";

/** A settings field as the browser sees it: built from the adapter's configSchema, never holding a secret. */
export type ConfigFieldDescriptor = ConfigFieldMeta & {
  name: string;
  type: "text" | "url" | "number" | "boolean" | "select";
  required: boolean;
  options?: string[];
  defaultValue?: string | number | boolean;
  /** Set by Switchboard (OAuth2 tokens), never an input: see DynamicConfigField. */
  managed?: boolean;
  oauth2Connect?: boolean;
};

type JsonSchemaProperty = {
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  default?: unknown;
  anyOf?: JsonSchemaProperty[];
} & Partial<ConfigFieldMeta>;

export function describeConfig(adapter: AnyVendorAdapter): ConfigFieldDescriptor[] {
  const schema = z.toJSONSchema(adapter.configSchema, { io: "input", unrepresentable: "any" }) as {
    properties?: Record<string, JsonSchemaProperty>;
    required?: string[];
  };
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([name, prop]) => {
    const base = prop.anyOf?.find((p) => p.type !== "null") ?? prop;
    const meta = { ...base, ...prop };
    const field: ConfigFieldDescriptor = {
      name,
      label: meta.label ?? name,
      help: meta.help,
      secret: meta.secret ?? false,
      placeholder: meta.placeholder,
      showWhen: meta.showWhen,
      multiline: meta.multiline,
      type: fieldType(base),
      required: required.has(name) && prop.default === undefined,
    };
    if (meta.accept) field.accept = meta.accept;
    if (base.enum) field.options = base.enum.map(String);
    if (isScalar(prop.default)) field.defaultValue = prop.default;
    return field;
  });
}

/**
 * The schema's fields plus those the account's own settings add (the template vendor's
 * properties), given its non-secret config as saved or as submitted.
 */
export function describeAccountConfig(adapter: AnyVendorAdapter, config: Record<string, unknown>): ConfigFieldDescriptor[] {
  return [...describeConfig(adapter), ...describeDynamicFields(adapter, config)];
}

/** Only the fields the account's own settings add (none for most vendors). */
export function describeDynamicFields(adapter: AnyVendorAdapter, config: Record<string, unknown>): ConfigFieldDescriptor[] {
  return (adapter.dynamicFields?.(config) ?? []).map(toDescriptor);
}

/** Names of the fields an adapter marks secret. */
export function secretFieldNames(adapter: AnyVendorAdapter): string[] {
  return describeConfig(adapter)
    .filter((f) => f.secret)
    .map((f) => f.name);
}

function toDescriptor(field: DynamicConfigField): ConfigFieldDescriptor {
  return { ...field, secret: field.secret ?? false, type: "text", required: false };
}

function fieldType(prop: JsonSchemaProperty): ConfigFieldDescriptor["type"] {
  if (prop.enum) return "select";
  const type = Array.isArray(prop.type) ? prop.type.find((t) => t !== "null") : prop.type;
  if (type === "boolean") return "boolean";
  if (type === "number" || type === "integer") return "number";
  if (prop.format === "uri") return "url";
  return "text";
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean";
}
