/**
 * PostgreSQL text cannot hold the NUL character (U+0000), so a value carrying one fails at
 * the insert, long after it was accepted. No person or vendor means to send one; it arrives
 * escaped (JSON's \u0000, a form's %00) past any check of the raw bytes. Parsed input is
 * checked with this before it is accepted.
 *
 * Returns the path of the first string (or object key) holding a NUL, "" for the value
 * itself, or null when there is none.
 */
export function nulPath(value: unknown, path: readonly (string | number)[] = []): string | null {
  if (typeof value === "string") return value.includes("\u0000") ? path.join(".") : null;
  if (value === null || typeof value !== "object") return null;
  const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  for (const [key, child] of entries) {
    if (typeof key === "string" && key.includes("\u0000")) return [...path, key.replaceAll("\u0000", "\\u0000")].join(".");
    const found = nulPath(child, [...path, key]);
    if (found !== null) return found;
  }
  return null;
}

export const NUL_MESSAGE = "contains a NUL character (\\u0000), which cannot be stored";

/**
 * Where a webhook request carries a NUL, named as the vendor wrote it: the body itself, a
 * query parameter, or a field of its JSON or form body once decoded. Null when nowhere.
 */
export function nulInRequest(request: {
  body: string;
  query: Record<string, string>;
  headers: Record<string, string>;
}): string | null {
  if (request.body.includes("\u0000")) return "the body";
  for (const [name, value] of Object.entries(request.query)) {
    if (name.includes("\u0000") || value.includes("\u0000")) return `the query parameter ${JSON.stringify(name)}`;
  }
  const body = request.body.trim();
  if (!body.includes("\\u0000") && !/%00/i.test(body)) return null;
  try {
    const path = nulPath(JSON.parse(body));
    return path === null ? null : path === "" ? "the body" : path;
  } catch {
    // Not JSON: perhaps a form. XML and text keep "%00" as it is written.
  }
  const type = request.headers["content-type"] ?? "";
  if (!type.includes("form-urlencoded") && (type !== "" || body.startsWith("<"))) return null;
  for (const [name, value] of new URLSearchParams(body)) {
    if (name.includes("\u0000") || value.includes("\u0000")) return JSON.stringify(name);
  }
  return null;
}
