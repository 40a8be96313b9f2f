import { XMLBuilder, XMLParser, XMLValidator } from "fast-xml-parser";
import { VendorError } from "../errors";

/**
 * Reading and writing the XML of Bandwidth's Numbers API with fast-xml-parser, and the
 * error shapes it answers with. Nothing here speaks HTTP.
 */
export type BandwidthErrorItem = { code?: string; description: string; tn?: string };

// Every value is a string (a number like 0123 keeps its zero); lists are arrays even with one item.
const parser = new XMLParser({
  parseTagValue: false,
  ignoreDeclaration: true,
  isArray: (name) => name === "TelephoneNumber" || name === "Error",
});
const builder = new XMLBuilder({ ignoreAttributes: false });

/** Bandwidth's error shapes: <ResponseStatus><ErrorCode/><Description/>, and <Error><Code/><Description/> alone or in an <ErrorList>. */
export function errorsIn(node: unknown, depth = 0): BandwidthErrorItem[] {
  if (depth > 10 || !node || typeof node !== "object") return [];
  if (Array.isArray(node)) return node.flatMap((n) => errorsIn(n, depth + 1));
  return Object.entries(node).flatMap(([name, value]) => {
    if (name !== "ResponseStatus" && name !== "Error") return errorsIn(value, depth + 1);
    return (Array.isArray(value) ? value : [value]).flatMap((e) => {
      const description = text(child(e, "Description"));
      const tn = telephoneNumbers(e)[0];
      return description ? [{ code: text(child(e, "ErrorCode")) ?? text(child(e, "Code")), description, tn }] : [];
    });
  });
}

/** Bandwidth's own words, for the end of a description. */
export function saying(errors: BandwidthErrorItem[]): string {
  const said = [...new Set(errors.map((e) => (e.code ? `${e.code} ${e.description}` : e.description)))].join("; ");
  return said ? `: ${said.slice(0, 300)}` : "";
}

/** The document's root element, or a clear error for an answer that is not the XML we asked for. */
export function readXml(body: string, root: string, what: string): Record<string, unknown> {
  const valid = XMLValidator.validate(body);
  if (valid !== true)
    throw refusal("bad_response", `Bandwidth answered ${what} with malformed XML (${valid.err.msg}, line ${valid.err.line}).`);
  const doc = parseLoosely(body);
  const element = doc?.[root];
  if (element === "") return {};
  if (element && typeof element === "object" && !Array.isArray(element)) return element as Record<string, unknown>;
  throw refusal("bad_response", `Bandwidth answered ${what} without the <${root}> element it documents.`);
}

export function parseLoosely(body: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = parser.parse(body);
    return parsed && typeof parsed === "object" ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    // The parser refuses some hostile names outright; for us that is an unreadable answer.
    return undefined;
  }
}

export function xmlDocument(content: Record<string, unknown>): string {
  return builder.build({ "?xml": { "@_version": "1.0", "@_encoding": "UTF-8", "@_standalone": "yes" }, ...content });
}

/** The 10-digit numbers in a list's <TelephoneNumber> elements (or their `field`), skipping anything else. */
export function telephoneNumbers(list: unknown, field?: string): string[] {
  const items = child(list, "TelephoneNumber");
  if (!Array.isArray(items)) return [];
  return items.map((item) => text(field ? child(item, field) : item)).filter((tn): tn is string => !!tn && /^\d{10}$/.test(tn));
}

export function child(node: unknown, name: string): unknown {
  return node && typeof node === "object" && !Array.isArray(node) ? (node as Record<string, unknown>)[name] : undefined;
}

export function text(node: unknown): string | undefined {
  return typeof node === "string" && node.trim() ? node.trim() : undefined;
}

export function refusal(code: string, description: string): VendorError {
  return new VendorError({ code, retryable: false, description });
}
