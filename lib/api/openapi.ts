import { z } from "zod";
import { OPERATIONS, type Operation } from "./operations";
import { apiRateLimits } from "./rate-limit";
import { requestSchemas, responseSchemas } from "./schemas";

export type JsonSchema = { [key: string]: unknown };

export type OpenApiDocument = {
  openapi: "3.1.0";
  info: { title: string; version: string; description: string };
  servers: { url: string }[];
  security: { bearerAuth: [] }[];
  tags: { name: string }[];
  paths: Record<string, Record<string, JsonSchema>>;
  components: { schemas: Record<string, JsonSchema>; securitySchemes: Record<string, JsonSchema> };
};

const REF_PREFIX = "#/components/schemas/";

/** The OpenAPI 3.1 document, generated from the zod schemas the handlers validate with. */
export function buildOpenApiDocument(baseUrl: string): OpenApiDocument {
  const limits = apiRateLimits();
  const paths: OpenApiDocument["paths"] = {};
  for (const op of OPERATIONS) {
    paths[op.path] ??= {};
    paths[op.path]![op.method] = operationObject(op);
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Switchboard REST API",
      version: "1.0.0",
      description:
        "Send SMS, one-time passcodes and shift offers through your organization's vendor accounts, and read the replies. " +
        `Authenticate with an API key from the API keys page (\`Authorization: Bearer sb_live_…\`). Each key may make ${limits.perSecond} requests per second, ` +
        `in bursts of up to ${limits.burst}; beyond that the answer is 429 with \`Retry-After\`. Errors are JSON: \`{ "error": { "code", "message", "field" } }\`.`,
    },
    servers: [{ url: `${baseUrl}/api/v1` }],
    security: [{ bearerAuth: [] }],
    tags: [...new Set(OPERATIONS.map((op) => op.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas: { ...componentSchemas(requestSchemas, "input"), ...componentSchemas(responseSchemas, "output") },
      securitySchemes: {
        bearerAuth: { type: "http", scheme: "bearer", description: "An API key (sb_live_…). `X-Api-Key: <key>` works too." },
      },
    },
  };
}

function operationObject(op: Operation): JsonSchema {
  const parameters = [
    ...(op.pathParams ?? []).map((p) => ({
      name: p.name,
      in: "path",
      required: true,
      description: p.description,
      schema: { type: "string", format: "uuid" },
      example: p.example,
    })),
    ...(op.query ? queryParameters(op.query) : []),
    ...(op.headers ?? []).map((h) => ({
      name: h.name,
      in: "header",
      required: false,
      description: h.description,
      schema: { type: "string" },
      example: h.example,
    })),
  ];
  return {
    operationId: op.operationId,
    tags: [op.tag],
    summary: op.summary,
    description: op.description,
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(op.requestBody
      ? {
          requestBody: {
            required: true,
            content: {
              "application/json": { schema: { $ref: `${REF_PREFIX}${op.requestBody.schema}` }, example: op.requestBody.example },
            },
          },
        }
      : {}),
    responses: Object.fromEntries(
      Object.entries(op.responses).map(([status, response]) => [
        status,
        {
          description: response.description,
          ...(response.headers
            ? {
                headers: Object.fromEntries(
                  Object.entries(response.headers).map(([name, description]) => [
                    name,
                    { description, schema: { type: "integer" } },
                  ]),
                ),
              }
            : {}),
          ...(response.schema
            ? { content: { "application/json": { schema: { $ref: `${REF_PREFIX}${response.schema}` } } } }
            : {}),
        },
      ]),
    ),
  };
}

function queryParameters(schema: z.ZodObject): JsonSchema[] {
  const json = z.toJSONSchema(schema, { io: "input", override: tidy("input") }) as {
    properties?: Record<string, JsonSchema>;
    required?: string[];
  };
  return Object.entries(json.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: "query",
      required: json.required?.includes(name) ?? false,
      ...(description ? { description } : {}),
      schema: rest,
    };
  });
}

function componentSchemas(registry: typeof requestSchemas, io: "input" | "output"): Record<string, JsonSchema> {
  const { schemas } = z.toJSONSchema(registry, { io, uri: (id) => `${REF_PREFIX}${id}`, override: tidy(io) });
  return Object.fromEntries(
    Object.entries(schemas).map(([id, schema]) => {
      // Components live inside the document: no $id of their own, and OpenAPI 3.1's dialect is the default.
      const { $id: _id, $schema: _schema, ...rest } = schema as JsonSchema;
      return [id, rest];
    }),
  );
}

/**
 * Readability over zod's literal output: no long regex beside a `format` (uuid, date-time),
 * no ±2^53 bounds on every integer, and responses open to new fields (a client validating
 * strictly must not break when v1 gains a property; requests stay strict).
 */
function tidy(io: "input" | "output") {
  return ({ jsonSchema }: { jsonSchema: JsonSchema }): void => {
    if (typeof jsonSchema.format === "string" && "pattern" in jsonSchema) delete jsonSchema.pattern;
    if (jsonSchema.type === "integer" && jsonSchema.minimum === Number.MIN_SAFE_INTEGER) delete jsonSchema.minimum;
    if (jsonSchema.type === "integer" && jsonSchema.maximum === Number.MAX_SAFE_INTEGER) delete jsonSchema.maximum;
    if (io === "output" && jsonSchema.additionalProperties === false) delete jsonSchema.additionalProperties;
  };
}
