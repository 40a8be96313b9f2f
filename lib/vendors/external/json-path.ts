/**
 * The small part of JSONPath a gateway's answer needs: `$.status`, `$.data.id`,
 * `$.messages[0].id`, `$['message-id']`. A path without the leading `$` is read as if it had one.
 */
export type JsonPath = (string | number)[];

const SEGMENT = /\.([A-Za-z_$][\w$-]*)|\[(\d+)\]|\['([^'\\]*)'\]|\["([^"\\]*)"\]/y;

/** The path's steps, or null when it is not one we can follow. */
export function parseJsonPath(input: string): JsonPath | null {
  let path = input.trim();
  if (!path.startsWith("$")) path = path.startsWith("[") ? `$${path}` : `$.${path}`;
  const steps: JsonPath = [];
  let i = 1;
  while (i < path.length) {
    SEGMENT.lastIndex = i;
    const m = SEGMENT.exec(path);
    if (!m) return null;
    steps.push(m[2] !== undefined ? Number(m[2]) : (m[1] ?? m[3] ?? m[4])!);
    i = SEGMENT.lastIndex;
  }
  return steps;
}

/** What the path points at; undefined when any step is missing. */
export function readJsonPath(data: unknown, path: JsonPath): unknown {
  let at = data;
  for (const step of path) {
    if (typeof step === "number") {
      if (!Array.isArray(at)) return undefined;
      at = at[step];
    } else {
      if (!at || typeof at !== "object" || Array.isArray(at) || !Object.hasOwn(at, step)) return undefined;
      at = (at as Record<string, unknown>)[step];
    }
  }
  return at;
}

/** A found value as text, to compare with what the settings expect or to keep as an id. */
export function jsonValueText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === "string" ? value : JSON.stringify(value);
}
