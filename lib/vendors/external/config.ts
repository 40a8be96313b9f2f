import { z } from "zod";
import { E164_PATTERN } from "@/lib/phone";
import { parseJsonPath } from "./json-path";
import { fillTemplate, SAMPLE_VARIABLES, unknownPlaceholders, VARIABLE_LIST } from "./template";

export const CONTENT_TYPES = {
  json: "application/json",
  form: "application/x-www-form-urlencoded",
  xml: "text/xml; charset=utf-8",
} as const;
export type ContentType = keyof typeof CONTENT_TYPES;

/**
 * What is sent when no body template is set. JSON is the seed's example, field for field;
 * form is RapidPro's own default body; XML has no RapidPro default, so it is ours.
 */
export const DEFAULT_BODIES: Record<ContentType, string> = {
  json: '{ "id": {{id}}, "text": {{text}}, "to": {{to}}, "to_no_plus": {{to_no_plus}}, "from": {{from}}, "from_no_plus": {{from_no_plus}}, "channel": {{channel}} }',
  form: "id={{id}}&text={{text}}&to={{to}}&to_no_plus={{to_no_plus}}&from={{from}}&from_no_plus={{from_no_plus}}&channel={{channel}}",
  xml: '<?xml version="1.0" encoding="UTF-8"?><message><id>{{id}}</id><text>{{text}}</text><to>{{to}}</to><to_no_plus>{{to_no_plus}}</to_no_plus><from>{{from}}</from><from_no_plus>{{from_no_plus}}</from_no_plus><channel>{{channel}}</channel></message>',
};

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export const externalConfigSchema = z
  .object({
    number: z.string().trim().regex(E164_PATTERN, "Use the number in E.164 format, like +250788123123").meta({
      label: "Our number",
      help: "The number the gateway sends from and receives on. External calls do not name it: incoming messages are filed under it, and it is {{from}} when a message names no number of ours.",
      placeholder: "+250788123123",
    }),
    sendUrl: z
      .string()
      .trim()
      .min(1, "Enter the URL we call to send a message")
      .max(2048, "The send URL is at most 2048 characters")
      .superRefine((url, ctx) => {
        const problem = templateProblem(url, "send URL") ?? urlProblem(url);
        if (problem) ctx.addIssue({ code: "custom", message: problem });
      })
      .meta({
        label: "Send URL",
        help: `The gateway's URL for sending. It may use variables, URL-encoded when filled in: ${VARIABLE_LIST}.`,
        placeholder: "https://gateway.example.com/send?to={{to_no_plus}}",
      }),
    method: z.enum(["POST", "GET", "PUT"], { message: "Choose POST, GET or PUT" }).default("POST").meta({
      label: "Method",
      help: "GET sends no body: put the variables in the send URL.",
    }),
    contentType: z.enum(["json", "form", "xml"], { message: "Choose json, form or xml" }).default("json").meta({
      label: "Content type",
      help: "json (application/json), form (application/x-www-form-urlencoded) or xml (text/xml). Variables in the body are escaped for it.",
    }),
    bodyTemplate: z
      .string()
      .max(4096, "The body template is at most 4096 characters")
      .superRefine((body, ctx) => {
        const problem = templateProblem(body, "body template");
        if (problem) ctx.addIssue({ code: "custom", message: problem });
      })
      .optional()
      .meta({
        label: "Body template",
        help: `Optional; for POST and PUT. Blank sends the id, text, to, to_no_plus, from, from_no_plus and channel in the content type chosen. In JSON, write variables without quotes, as RapidPro does ("text": {{text}}); inside a string they are escaped without quotes. Variables: ${VARIABLE_LIST}.`,
        placeholder: DEFAULT_BODIES.json,
        multiline: true,
      }),
    headers: z
      .string()
      .max(4096, "The headers are at most 4096 characters")
      .superRefine((text, ctx) => {
        const problem = templateProblem(text, "headers") ?? readHeaderLines(text).problem;
        if (problem) ctx.addIssue({ code: "custom", message: problem });
      })
      .optional()
      .meta({
        label: "Headers",
        help: "Optional. One per line, as Name: value; variables may be used. Shown on this page: put a credential in the Authorization header value below, which is stored encrypted.",
        placeholder: "X-Channel: {{channel}}",
        multiline: true,
      }),
    authorizationHeader: z
      .string()
      .max(2048, "The Authorization value is at most 2048 characters")
      .regex(/^[\u0020-\u007e]*$/, "The Authorization value is one line of plain ASCII characters")
      .optional()
      .meta({
        label: "Authorization header value",
        help: "Optional. Sent as the Authorization header of every send, e.g. Token abc123 or Bearer abc123.",
        secret: true,
      }),
    responseStatus: z
      .string()
      .trim()
      .default("2xx")
      .refine(
        (spec) => parseStatusSpec(spec) !== null,
        "Use status codes, classes or ranges separated by commas, like 2xx, 200 or 200-202",
      )
      .meta({
        label: "Expected HTTP status",
        help: "What the gateway answers when it accepted the message: 2xx, 200, 200-202, or several separated by commas. 429 and 5xx are retried; any other answer fails the message.",
        placeholder: "2xx",
      }),
    responseContains: z.string().max(2048, "The expected text is at most 2048 characters").optional().meta({
      label: "Answer must contain",
      help: "Optional. Text the gateway's answer must contain for a send to count, as RapidPro's MT response check.",
      placeholder: "SUCCESS",
    }),
    responseJsonPath: jsonPathField({
      label: "Answer JSON path to check",
      help: "Optional. A value in the gateway's JSON answer that says it accepted the message, like $.status. With an expected value below it must equal it; without one it must be present.",
      placeholder: "$.status",
    }),
    responseJsonValue: z
      .string()
      .trim()
      .max(500, "The expected value is at most 500 characters")
      .optional()
      .meta({ label: "Expected value at that path", help: "Optional, with the path above.", placeholder: "ok" }),
    vendorIdJsonPath: jsonPathField({
      label: "Answer JSON path to the gateway's id",
      help: "Optional. Where the gateway's answer gives its id for the message, like $.id or $.messages[0].id. Without it, or when the answer has none, our message id is the gateway's id: status callbacks send it back as id.",
      placeholder: "$.id",
    }),
    maxLength: z.coerce
      .number()
      .int("Use a whole number of characters")
      .min(60, "Use at least 60 characters")
      .max(6400, "Use at most 6400 characters")
      .optional()
      .meta({
        label: "Maximum length",
        help: "Optional. Longer texts are sent in several requests of at most this many characters, split at spaces, as RapidPro does (it suggests 160). Blank sends every text whole.",
        placeholder: "160",
      }),
    secret: z
      .string()
      .min(8, "Use at least 8 characters")
      .max(200, "The secret is at most 200 characters")
      .regex(/^[\u0020-\u007e]+$/, "The secret is plain ASCII characters")
      .optional()
      .meta({
        label: "Incoming secret",
        help: "Optional. When set, every call to our URLs below must carry it, in an X-Secret header (preferred: it is not stored with the request) or as a secret parameter in the query, form or JSON body. Without it the unguessable URL is the check, as in RapidPro.",
        secret: true,
      }),
  })
  .superRefine((config, ctx) => {
    if (config.bodyTemplate?.trim() && config.method === "GET") {
      ctx.addIssue({
        code: "custom",
        path: ["bodyTemplate"],
        message: "A GET request has no body: put the variables in the send URL, or choose POST or PUT",
      });
    }
    if (config.bodyTemplate?.trim() && config.contentType === "json" && !unknownPlaceholders(config.bodyTemplate).length) {
      try {
        JSON.parse(fillTemplate(config.bodyTemplate, SAMPLE_VARIABLES, "json"));
      } catch {
        ctx.addIssue({
          code: "custom",
          path: ["bodyTemplate"],
          message: "The body template is not JSON once its variables are filled in",
        });
      }
    }
    if (config.responseJsonValue !== undefined && !config.responseJsonPath) {
      ctx.addIssue({ code: "custom", path: ["responseJsonValue"], message: "Give the JSON path whose value this is" });
    }
  });

export type ExternalConfig = z.infer<typeof externalConfigSchema>;

/** The headers as name and value, or why a line is not one. */
export function readHeaderLines(text: string | undefined): { headers: [string, string][]; problem?: string } {
  const headers: [string, string][] = [];
  const lines = (text ?? "").split(/\r?\n/);
  for (const [i, line] of lines.entries()) {
    if (!line.trim()) continue;
    const colon = line.indexOf(":");
    const name = colon > 0 ? line.slice(0, colon).trim() : "";
    if (!HEADER_NAME.test(name)) return { headers, problem: `Line ${i + 1} of the headers is not Name: value` };
    // Kept out of a field shown on the page: the secret field is encrypted and redacted from logs.
    if (name.toLowerCase() === "authorization")
      return {
        headers,
        problem: "Put the Authorization value in the Authorization header value field, which is stored encrypted",
      };
    headers.push([name, line.slice(colon + 1).trim()]);
  }
  return { headers };
}

/** Whether an HTTP status is what the settings expect, from "2xx", "200", "200-202" or a list of them. */
export function parseStatusSpec(spec: string): ((status: number) => boolean) | null {
  const tests: ((status: number) => boolean)[] = [];
  for (const item of spec.split(",").map((s) => s.trim())) {
    const range = /^(\d{3})\s*-\s*(\d{3})$/.exec(item);
    if (/^\d{3}$/.test(item)) tests.push((status) => status === Number(item));
    else if (/^[1-5]xx$/i.test(item)) tests.push((status) => Math.floor(status / 100) === Number(item[0]));
    else if (range && Number(range[1]) <= Number(range[2]))
      tests.push((status) => status >= Number(range[1]) && status <= Number(range[2]));
    else return null;
  }
  return tests.length ? (status) => tests.some((test) => test(status)) : null;
}

function jsonPathField(meta: { label: string; help: string; placeholder: string }) {
  return z
    .string()
    .trim()
    .max(200, "The path is at most 200 characters")
    .refine((path) => parseJsonPath(path) !== null, "Use a path like $.status, $.data.id or $.messages[0].id")
    .optional()
    .meta(meta);
}

function templateProblem(template: string, where: string): string | null {
  const unknown = unknownPlaceholders(template);
  if (!unknown.length) return null;
  return `Unknown variable ${unknown[0]} in the ${where}; the variables are ${VARIABLE_LIST}`;
}

function urlProblem(template: string): string | null {
  let url: URL;
  try {
    url = new URL(fillTemplate(template, SAMPLE_VARIABLES, "url"));
  } catch {
    return "Use a full URL, like https://gateway.example.com/send";
  }
  return url.protocol === "http:" || url.protocol === "https:" ? null : "Use an http(s) URL";
}
