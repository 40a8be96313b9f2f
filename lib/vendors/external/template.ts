/**
 * The External channel's {{variables}}, as RapidPro's courier fills them: in the send URL
 * (URL-encoded), in headers, and in the body escaped for its content type. A JSON variable
 * outside a string becomes a whole JSON string (RapidPro's templates write `"text": {{text}}`);
 * one inside a string is escaped without quotes, so `"text": "{{text}}"` works as well.
 */
export const VARIABLES = ["id", "uuid", "text", "to", "to_no_plus", "from", "from_no_plus", "channel", "session_status"] as const;
export type Variable = (typeof VARIABLES)[number];
export type Variables = Record<Variable, string>;
export type Encoding = "url" | "header" | "json" | "form" | "xml";

/** Everything between {{ and }}: a name we know, or one refused when the config is saved. */
const PLACEHOLDER = /\{\{([^{}]*)\}\}/y;
const PLACEHOLDERS = /\{\{([^{}]*)\}\}/g;

export const VARIABLE_LIST = VARIABLES.map((name) => `{{${name}}}`).join(", ");

/** Sample values for checking a template when the config is saved. */
export const SAMPLE_VARIABLES: Variables = {
  id: "00000000-0000-4000-8000-000000000000",
  uuid: "00000000-0000-4000-8000-000000000000",
  text: 'Sample "text" & <more>\nline two',
  to: "+250788123123",
  to_no_plus: "250788123123",
  from: "+15005550001",
  from_no_plus: "15005550001",
  channel: "00000000-0000-4000-8000-000000000001",
  session_status: "",
};

/** The placeholders in a template that are not variables, as written ("{{txt}}"). */
export function unknownPlaceholders(template: string): string[] {
  return [...template.matchAll(PLACEHOLDERS)].filter((m) => !isVariable(m[1]!.trim())).map((m) => m[0]);
}

export function fillTemplate(template: string, variables: Variables, encoding: Encoding): string {
  let out = "";
  let inString = false;
  let escaped = false;
  for (let i = 0; i < template.length;) {
    PLACEHOLDER.lastIndex = i;
    const match = template.startsWith("{{", i) ? PLACEHOLDER.exec(template) : null;
    if (match) {
      const name = match[1]!.trim();
      // The config schema refuses unknown names; this guards a config stored before a rename.
      if (!isVariable(name)) throw new Error(`unknown variable {{${name}}}`);
      out += encode(variables[name], encoding, inString);
      i += match[0].length;
      continue;
    }
    const c = template[i]!;
    if (encoding === "json") {
      if (escaped) escaped = false;
      else if (inString && c === "\\") escaped = true;
      else if (c === '"') inString = !inString;
    }
    out += c;
    i++;
  }
  return out;
}

function encode(raw: string, encoding: Encoding, inJsonString: boolean): string {
  // A lone surrogate cannot be URL-encoded or sent as UTF-8: it becomes U+FFFD, as it would on the wire.
  const value = raw.replace(/[\ud800-\udfff]/gu, "\ufffd");
  switch (encoding) {
    case "url":
      return encodeURIComponent(value);
    case "form":
      return new URLSearchParams([["", value]]).toString().slice(1);
    case "json":
      return inJsonString ? JSON.stringify(value).slice(1, -1) : JSON.stringify(value);
    case "xml":
      return escapeXml(value);
    case "header":
      // A header is one line of bytes: control characters would end it, and fetch refuses
      // anything beyond Latin-1, so those travel percent-encoded.
      return value.replace(/[\u0000-\u001f\u007f]/g, " ").replace(/[^\u0020-\u007e]/gu, (c) => encodeURIComponent(c));
  }
}

/**
 * Text and attribute safe: quotes, and newlines as character references, so an attribute
 * keeps them too. Characters XML 1.0 cannot carry at all become U+FFFD, as Go's xml.EscapeText does.
 */
function escapeXml(value: string): string {
  return value.replace(/[&<>"'\n\r\t]|[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff\ud800-\udfff]/gu, (c) => {
    const named: Record<string, string> = {
      "&": "&amp;",
      "<": "&lt;",
      ">": "&gt;",
      '"': "&quot;",
      "'": "&apos;",
      "\n": "&#10;",
      "\r": "&#13;",
      "\t": "&#9;",
    };
    return named[c] ?? "\ufffd";
  });
}

function isVariable(name: string): name is Variable {
  return (VARIABLES as readonly string[]).includes(name);
}

/**
 * A long text in parts of at most `max` characters (code points, so an emoji is never cut
 * in two), broken at the last space where there is one, as courier splits External sends.
 */
export function splitText(text: string, max: number | undefined): string[] {
  const chars = [...text];
  if (!max || chars.length <= max) return [text];
  const parts: string[] = [];
  let rest = chars;
  while (rest.length > max) {
    let cut = rest.lastIndexOf(" ", max);
    if (cut <= 0) cut = max;
    parts.push(rest.slice(0, cut).join("").trimEnd());
    rest = rest.slice(cut);
    while (rest[0] === " ") rest = rest.slice(1);
  }
  if (rest.length) parts.push(rest.join(""));
  return parts;
}
