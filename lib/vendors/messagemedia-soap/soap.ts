import { XMLBuilder, XMLParser, XMLValidator } from "fast-xml-parser";

/**
 * MessageMedia's SOAP 1.1 envelopes, written and read with fast-xml-parser. Requests are
 * document/literal, every element qualified in the m4u namespace (the WSDL's
 * elementFormDefault="qualified"); answers are read with their namespace prefixes resolved,
 * so `<SOAP-ENV:Body>`, `<soap:Body>` and a default namespace all read alike, and an element
 * in the wrong namespace does not. Nothing here speaks HTTP.
 */
export const SOAP_ENV_NS = "http://schemas.xmlsoap.org/soap/envelope/";
export const M4U_NS = "http://xml.m4u.com.au/2009";

export type SoapOperation = "sendMessages" | "checkUser" | "checkReplies" | "checkReports" | "confirmReplies" | "confirmReports";

/** The WSDL's soapAction for an operation, quoted as SOAP 1.1 wants the header. */
export function soapAction(operation: SoapOperation): string {
  return `"${M4U_NS}/${operation}"`;
}

/** An element to send, named without its namespace (always m4u). */
export type RequestNode = {
  name: string;
  attrs?: Record<string, string>;
  text?: string;
  /** A secret: written byte for byte (CDATA where escaping would change it), so the request log finds and redacts it. */
  verbatim?: boolean;
  children?: RequestNode[];
};

export function node(name: string, content?: string | RequestNode[], attrs?: Record<string, string>): RequestNode {
  return typeof content === "string" ? { name, text: content, attrs } : { name, children: content, attrs };
}

/** The whole request: credentials go in every call's body, as the API has no SOAP header. */
export function buildEnvelope(
  operation: SoapOperation,
  credentials: { userId: string; password: string },
  requestBody?: RequestNode[],
): string {
  const call = node(operation, [
    node("authentication", [
      node("userId", credentials.userId),
      { name: "password", text: credentials.password, verbatim: true },
    ]),
    ...(requestBody ? [node("requestBody", requestBody)] : []),
  ]);
  return builder.build([
    { "?xml": [{ "#text": "" }], ":@": { "@_version": "1.0", "@_encoding": "UTF-8" } },
    { "soap:Envelope": [{ "soap:Body": [ordered(call)] }], ":@": { "@_xmlns:soap": SOAP_ENV_NS, "@_xmlns:api": M4U_NS } },
  ]);
}

/** An element of an answer, its name resolved to a namespace (null: none). */
export type XmlElement = {
  ns: string | null;
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
  /** Prefixes in scope, for QName values such as a fault's faultcode. */
  scope: ReadonlyMap<string, string>;
};

export type SoapFault = {
  /** faultcode's local name: Client, Server, or a dotted refinement of them. */
  faultcode: string;
  faultstring: string;
  /** The error code in MessageMedia's faultResponse detail (authenticationFailed, …), when given. */
  code?: string;
  server: boolean;
};

/** An answer that is not the SOAP envelope the API documents; `reason` says how. */
export class SoapFormatError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = "SoapFormatError";
  }
}

/** The element in an answer's Body, or its Fault. Throws SoapFormatError for anything else. */
export function readEnvelope(body: string): { element: XmlElement } | { fault: SoapFault } {
  const valid = XMLValidator.validate(body);
  if (valid !== true) throw new SoapFormatError(`malformed XML (${valid.err.msg}, line ${valid.err.line})`);
  let parsed: unknown;
  try {
    parsed = parser.parse(body);
  } catch (error) {
    throw new SoapFormatError(`unreadable XML (${error instanceof Error ? error.message : String(error)})`);
  }
  const root = elementsOf(parsed, new Map())[0];
  if (!root) throw new SoapFormatError("no XML element at all");
  if (root.name !== "Envelope") throw new SoapFormatError(`<${root.name}> where a SOAP Envelope was expected`);
  if (root.ns !== SOAP_ENV_NS)
    throw new SoapFormatError(`an Envelope in namespace ${root.ns ?? "(none)"}, not SOAP 1.1's ${SOAP_ENV_NS}`);
  const soapBody = root.children.find((c) => c.ns === SOAP_ENV_NS && c.name === "Body");
  const element = soapBody?.children[0];
  if (!element) throw new SoapFormatError("an Envelope with no Body content");
  if (element.ns === SOAP_ENV_NS && element.name === "Fault") return { fault: readFault(element) };
  return { element };
}

/** The first child of an m4u element with this local name. */
export function child(element: XmlElement | undefined, name: string): XmlElement | undefined {
  return element?.children.find((c) => c.ns === M4U_NS && c.name === name);
}

export function children(element: XmlElement | undefined, name: string): XmlElement[] {
  return element?.children.filter((c) => c.ns === M4U_NS && c.name === name) ?? [];
}

/** An element read back as XML on its own, its namespace declared on it, for keeping as the raw form. */
export function serializeElement(element: XmlElement): string {
  return builder.build([readBack(element, undefined)]);
}

type OrderedNode = Record<string, unknown>;

// Every value stays a string, whitespace included: a reply's text is kept exactly as sent.
const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: "",
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
});
const builder = new XMLBuilder({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  cdataPropName: "__cdata",
  suppressEmptyNode: false,
});

function ordered(request: RequestNode): OrderedNode {
  const content = request.children
    ? request.children.map(ordered)
    : request.text === undefined
      ? []
      : [request.verbatim && needsEscaping(request.text) ? { __cdata: [{ "#text": request.text }] } : { "#text": request.text }];
  const attrs = Object.entries(request.attrs ?? {}).filter(([, value]) => value !== undefined);
  return {
    [`api:${request.name}`]: content,
    ...(attrs.length ? { ":@": Object.fromEntries(attrs.map(([name, value]) => [`@_${name}`, value])) } : {}),
  };
}

function needsEscaping(text: string): boolean {
  return ["&", "<", ">", '"', "'"].some((c) => text.includes(c));
}

/** fast-xml-parser's ordered nodes to elements, namespace declarations applied as XML Namespaces define them. */
function elementsOf(nodes: unknown, scope: ReadonlyMap<string, string>): XmlElement[] {
  if (!Array.isArray(nodes)) return [];
  return nodes.flatMap((n: OrderedNode) => {
    const tag = Object.keys(n).find((key) => key !== ":@" && key !== "#text");
    return tag ? [elementOf(tag, n, scope)] : [];
  });
}

function elementOf(tag: string, n: OrderedNode, outer: ReadonlyMap<string, string>): XmlElement {
  const rawAttrs = (n[":@"] ?? {}) as Record<string, string>;
  let scope = outer;
  const attrs: Record<string, string> = {};
  for (const [name, value] of Object.entries(rawAttrs)) {
    if (name === "xmlns" || name.startsWith("xmlns:")) {
      if (scope === outer) scope = new Map(outer);
      (scope as Map<string, string>).set(name === "xmlns" ? "" : name.slice(6), value);
    } else if (!name.includes(":")) {
      attrs[name] = String(value);
    }
  }
  const [prefix, local] = tag.includes(":") ? [tag.slice(0, tag.indexOf(":")), tag.slice(tag.indexOf(":") + 1)] : ["", tag];
  const ns = scope.get(prefix) || null;
  if (prefix && !ns) throw new SoapFormatError(`the prefix of <${tag}> is not declared`);
  const content = n[tag] as OrderedNode[];
  const text = content.map((c) => (typeof c["#text"] === "string" ? c["#text"] : "")).join("");
  return { ns, name: local, attrs, children: elementsOf(content, scope), text, scope };
}

/** SOAP 1.1's Fault: faultcode and faultstring unqualified; MessageMedia's faultResponse in the detail. */
function readFault(fault: XmlElement): SoapFault {
  // Unqualified, as SOAP 1.1 has them; a server that put the envelope's namespace on them is read too.
  const part = (name: string) => fault.children.find((c) => (c.ns === null || c.ns === SOAP_ENV_NS) && c.name === name);
  const faultcode = part("faultcode");
  const qname = faultcode?.text.trim() ?? "";
  const [prefix, local] = qname.includes(":")
    ? [qname.slice(0, qname.indexOf(":")), qname.slice(qname.indexOf(":") + 1)]
    : ["", qname];
  const codeNs = faultcode?.scope.get(prefix) || null;
  // The detail's own elements are the service's to qualify; PHP's SoapServer has written them both ways.
  const response = part("detail")?.children.find((c) => c.name === "faultResponse" && (c.ns === M4U_NS || c.ns === null));
  const error = response?.children.find((c) => c.name === "error" && (c.ns === M4U_NS || c.ns === null));
  const isServer = (local === "Server" || local.startsWith("Server.")) && (codeNs === SOAP_ENV_NS || codeNs === null);
  return {
    faultcode: local || "(none)",
    faultstring: part("faultstring")?.text.trim() || "no faultstring",
    code: error?.attrs.code?.trim() || undefined,
    server: isServer,
  };
}

function readBack(element: XmlElement, parentNs: string | null | undefined): OrderedNode {
  const attrs: Record<string, string> = {};
  if (element.ns !== parentNs) attrs["@_xmlns"] = element.ns ?? "";
  for (const [name, value] of Object.entries(element.attrs)) attrs[`@_${name}`] = value;
  const content = element.children.length
    ? element.children.map((c) => readBack(c, element.ns))
    : element.text
      ? [{ "#text": element.text }]
      : [];
  return { [element.name]: content, ...(Object.keys(attrs).length ? { ":@": attrs } : {}) };
}
