import type { ApiRequest } from "./definition";

/**
 * Turns one of the definition's request descriptions into an HTTP request, each
 * placeholder escaped for where it lands: percent-encoded in a URL's path and query, as a
 * JSON string in a JSON body, form-encoded in a form body, and without line breaks in a header.
 */
export type Values = Record<string, string>;
export type RenderedRequest = {
  method: ApiRequest["request_method"];
  url: string;
  headers: Record<string, string>;
  body?: string;
};

const PLACEHOLDER = /\$([^$\r\n]+)\$/g;
const WHOLE = /^\$([^$\r\n]+)\$$/;

export function renderRequest(
  request: ApiRequest | Omit<ApiRequest, "response_map">,
  values: Values,
  originOverride?: string,
): RenderedRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.request_headers ?? {}))
    headers[name] = substitute(value, values, stripLineBreaks);
  let url = renderUrl(request.request_url, values, originOverride);
  const parameters = request.request_parameters ? substituteJson(request.request_parameters, values) : undefined;
  if (request.request_method === "GET" || request.request_method === "DELETE") {
    const query = parameters ? formEncode(parameters) : "";
    if (query) url += (url.includes("?") ? "&" : "?") + query;
    return { method: request.request_method, url, headers };
  }
  const contentType = request.request_content_type;
  headers["content-type"] ??= contentType;
  const body = !parameters ? "" : /json/i.test(contentType) ? JSON.stringify(parameters) : formEncode(parameters);
  return { method: request.request_method, url, headers, body };
}

/**
 * A placeholder before the URL's path (`https://$Server$/api`, `$Base URL$/messages`) is the
 * host or base the owner configured and goes in as typed; one in the path or query is data
 * and is percent-encoded, so a "/" or "&" in it cannot change where the request goes.
 */
export function renderUrl(template: string, values: Values, originOverride?: string): string {
  let out = "";
  let last = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    const before = template.slice(0, match.index).replace("://", "");
    const raw = !/[/?#]/.test(before);
    out += template.slice(last, match.index) + valueOf(match[1]!, values, raw ? (v) => v : encodeURIComponent);
    last = match.index + match[0].length;
  }
  out += template.slice(last);
  return originOverride ? withOrigin(out, originOverride) : out;
}

export function substitute(template: string, values: Values, escape: (v: string) => string = (v) => v): string {
  return template.replace(PLACEHOLDER, (_, name: string) => valueOf(name, values, escape));
}

/** A string that is exactly one placeholder becomes that value; others have their placeholders replaced. */
export function substituteJson(value: unknown, values: Values): unknown {
  if (typeof value === "string") {
    const whole = WHOLE.exec(value);
    return whole ? (values[whole[1]!] ?? "") : substitute(value, values);
  }
  if (Array.isArray(value)) return value.map((v) => substituteJson(v, values));
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteJson(v, values)]));
  return value;
}

/** Nested objects as PHP and Rails read them: `params[from]=…`, arrays as `media[]=…`. */
export function formEncode(value: unknown): string {
  const form = new URLSearchParams();
  for (const [key, leaf] of flatten(value, "")) form.append(key, leaf);
  return form.toString();
}

/** The flat `key -> value` pairs of a form body, in the same naming formEncode uses. */
export function flatten(value: unknown, prefix: string): [string, string][] {
  if (Array.isArray(value)) return value.flatMap((v) => flatten(v, `${prefix}[]`));
  if (value && typeof value === "object")
    return Object.entries(value).flatMap(([k, v]) => flatten(v, prefix ? `${prefix}[${k}]` : k));
  return value === null || value === undefined ? [[prefix, ""]] : [[prefix, String(value)]];
}

/**
 * Reads `$messageid$` out of a response the way response_map draws it: the map mirrors the
 * response's shape, and the leaf holding the placeholder marks where the id is.
 */
export function readResponseMap(map: unknown, response: unknown, name = "messageid"): string | undefined {
  if (typeof map === "string") {
    if (!map.includes(`$${name}$`)) return undefined;
    return typeof response === "string" || typeof response === "number" ? String(response) : undefined;
  }
  if (Array.isArray(map)) {
    if (!Array.isArray(response)) return undefined;
    for (const [i, m] of map.entries()) {
      const found = readResponseMap(m, response[i], name);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (map && typeof map === "object") {
    if (!response || typeof response !== "object") return undefined;
    for (const [key, m] of Object.entries(map)) {
      const found = readResponseMap(m, (response as Record<string, unknown>)[key], name);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** Points a URL at another origin, keeping its path and query: how tests reach a definition written for the real host. */
export function withOrigin(url: string, origin: string): string {
  try {
    const parsed = new URL(url);
    return `${origin.replace(/\/+$/, "")}${parsed.pathname}${parsed.search}`;
  } catch {
    return url;
  }
}

function valueOf(name: string, values: Values, escape: (v: string) => string): string {
  return escape(values[name] ?? "");
}

function stripLineBreaks(value: string): string {
  return value.replace(/[\r\n]+/g, " ");
}
