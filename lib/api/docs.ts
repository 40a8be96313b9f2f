import type { JsonSchema, OpenApiDocument } from "./openapi";

/**
 * Turns the OpenAPI document into what the docs page shows: per endpoint its fields as
 * rows, its responses, a curl example and an example answer. Reading the document (not the
 * zod schemas) keeps the page exactly as true as /api/v1/openapi.json.
 */
export type DocField = { name: string; in?: string; type: string; required: boolean; description: string; constraints: string[] };
export type DocResponse = { status: string; description: string; schema: string | null };
export type DocEndpoint = {
  anchor: string;
  method: string;
  path: string;
  tag: string;
  summary: string;
  description: string;
  parameters: DocField[];
  body: { schema: string; fields: DocField[] } | null;
  responses: DocResponse[];
  curl: string;
  exampleResponse: { status: string; json: string } | null;
};

type Parameter = { name: string; in: string; required?: boolean; description?: string; schema: JsonSchema; example?: unknown };
type Operation = {
  operationId: string;
  tags: string[];
  summary: string;
  description: string;
  parameters?: Parameter[];
  requestBody?: { content: { "application/json": { schema: JsonSchema; example?: unknown } } };
  responses: Record<string, { description: string; content?: { "application/json": { schema: JsonSchema } } }>;
};

export function describeEndpoints(doc: OpenApiDocument): DocEndpoint[] {
  const schemas = doc.components.schemas;
  const base = doc.servers[0]!.url;
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, raw]) => {
      const op = raw as unknown as Operation;
      const bodyRef = op.requestBody?.content["application/json"].schema;
      const bodySchema = bodyRef ? refName(bodyRef) : null;
      // What a first call gets: 202 Accepted where an operation has it (a retry's 200 is the exception).
      const success = ["202", "201", "200"].find((status) => status in op.responses);
      const successRef = success ? op.responses[success]!.content?.["application/json"].schema : undefined;
      return {
        anchor: op.operationId,
        method: method.toUpperCase(),
        path,
        tag: op.tags[0] ?? "",
        summary: op.summary,
        description: op.description,
        parameters: (op.parameters ?? []).map((p) => field(p.name, p.schema, p.required ?? false, schemas, p.description, p.in)),
        body: bodySchema ? { schema: bodySchema, fields: objectFields(schemas[bodySchema] ?? {}, schemas) } : null,
        responses: Object.entries(op.responses)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([status, r]) => ({
            status,
            description: r.description,
            schema: r.content ? refName(r.content["application/json"].schema) : null,
          })),
        curl: curlFor(base, method, path, op),
        exampleResponse:
          success && successRef ? { status: success, json: JSON.stringify(sample(successRef, schemas, 0), null, 2) } : null,
      };
    }),
  );
}

export function objectFields(schema: JsonSchema, schemas: Record<string, JsonSchema>): DocField[] {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = (schema.required ?? []) as string[];
  return Object.entries(properties).map(([name, property]) => field(name, property, required.includes(name), schemas));
}

function field(
  name: string,
  schema: JsonSchema,
  required: boolean,
  schemas: Record<string, JsonSchema>,
  description?: string,
  location?: string,
): DocField {
  const resolved = resolve(schema, schemas);
  const constraints: string[] = [];
  if (typeof resolved.maxLength === "number") constraints.push(`max ${resolved.maxLength} chars`);
  if (typeof resolved.minimum === "number" && typeof resolved.maximum === "number")
    constraints.push(`${resolved.minimum}–${resolved.maximum}`);
  if (typeof resolved.maxItems === "number") constraints.push(`max ${resolved.maxItems} items`);
  if (
    resolved.default !== undefined &&
    !(Array.isArray(resolved.default) && resolved.default.length === 0) &&
    resolved.default !== ""
  ) {
    constraints.push(`default ${JSON.stringify(resolved.default)}`);
  }
  return {
    name,
    in: location,
    type: typeName(schema, schemas),
    required,
    description: description ?? (resolved.description as string | undefined) ?? "",
    constraints,
  };
}

function typeName(schema: JsonSchema, schemas: Record<string, JsonSchema>): string {
  if (typeof schema.$ref === "string") return refName(schema) ?? "object";
  // A long list (every error code) reads better in prose than as a union in a table cell.
  if (Array.isArray(schema.enum))
    return schema.enum.length <= 6 ? schema.enum.map((v) => JSON.stringify(v)).join(" | ") : String(schema.type ?? "string");
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (Array.isArray(schema.anyOf)) return (schema.anyOf as JsonSchema[]).map((s) => typeName(s, schemas)).join(" | ");
  const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string | undefined];
  return types
    .map((type) => {
      if (type === "array") return `${typeName((schema.items ?? {}) as JsonSchema, schemas)}[]`;
      if (type === "string" && typeof schema.format === "string") return `string (${schema.format})`;
      return type ?? "any";
    })
    .join(" | ");
}

function resolve(schema: JsonSchema, schemas: Record<string, JsonSchema>): JsonSchema {
  const name = refName(schema);
  return name ? (schemas[name] ?? {}) : schema;
}

function refName(schema: JsonSchema): string | null {
  return typeof schema.$ref === "string" ? schema.$ref.split("/").pop()! : null;
}

const SAMPLE_STRINGS: Record<string, string> = {
  uuid: "0b6f3a8e-6c1d-4c55-9a51-0a3c5d1e2f40",
  "date-time": "2025-06-14T09:30:00.000Z",
  uri: "https://example.com/roster.png",
};

/** A plausible value for a schema: its own example, else one made from its type. */
function sample(schema: JsonSchema, schemas: Record<string, JsonSchema>, depth: number): unknown {
  if (depth > 16) return null;
  const name = refName(schema);
  if (name) return sample(schemas[name] ?? {}, schemas, depth + 1);
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
  if (Array.isArray(schema.enum)) return schema.enum[0];
  if (schema.const !== undefined) return schema.const;
  if (Array.isArray(schema.anyOf))
    return sample((schema.anyOf as JsonSchema[]).find((s) => s.type !== "null") ?? {}, schemas, depth + 1);
  const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type];
  const type = types.find((t) => t !== "null") ?? types[0];
  if (type === "object") {
    const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set((schema.required ?? []) as string[]);
    return Object.fromEntries(
      Object.entries(properties)
        .filter(([key]) => required.has(key))
        .map(([key, value]) => [key, sample(value, schemas, depth + 1)]),
    );
  }
  if (type === "array") return [sample((schema.items ?? {}) as JsonSchema, schemas, depth + 1)];
  if (type === "integer" || type === "number") return typeof schema.minimum === "number" ? Math.max(1, schema.minimum) : 1;
  if (type === "boolean") return true;
  if (type === "string") return SAMPLE_STRINGS[schema.format as string] ?? "string";
  return null;
}

function curlFor(base: string, method: string, path: string, op: Operation): string {
  let url = `${base}${path}`;
  for (const p of op.parameters ?? []) {
    if (p.in === "path") url = url.replace(`{${p.name}}`, String(p.example ?? `<${p.name}>`));
  }
  const query = (op.parameters ?? []).filter((p) => p.in === "query" && p.name === "limit");
  if (query.length > 0) url += "?limit=25";
  const lines = [
    `curl${method === "get" ? "" : ` -X ${method.toUpperCase()}`} "${url}"`,
    `  -H "Authorization: Bearer $SWITCHBOARD_API_KEY"`,
  ];
  const example = op.requestBody?.content["application/json"].example;
  if (example !== undefined) {
    lines.push(`  -H "Content-Type: application/json"`);
    lines.push(`  -d '${JSON.stringify(example, null, 2).replace(/\n/g, "\n  ")}'`);
  }
  return lines.join(" \\\n");
}
