import { XMLBuilder, XMLParser, XMLValidator } from "fast-xml-parser";
import type { FaultOutcome } from "./faults";
import type { SimResponse } from "./http";

/**
 * SOAP 1.1 envelopes for soap.m4u.com.au, read and written with fast-xml-parser. Requests are
 * read with their namespaces resolved (any prefix may stand for http://xml.m4u.com.au/2009);
 * answers look like the service's: SOAP-ENV prefixed envelope, the response element with a
 * default xmlns (see the SDKs' recorded responses, e.g. messagemedia-soap-api-nodejs-sdk
 * test/misc/parsetest.js), faults as SOAP-ENV:Fault with detail/faultResponse/error@code (WSDL).
 */
export const M4U_NS = "http://xml.m4u.com.au/2009";
const SOAP11_NS = "http://schemas.xmlsoap.org/soap/envelope/";
const SOAP12_NS = "http://www.w3.org/2003/05/soap-envelope";

export type XmlElement = { ns: string; name: string; attrs: Record<string, string>; children: XmlElement[]; text: string };

/** FaultErrorCodeType in the WSDL's ResponseTypes.xsd. */
export type FaultErrorCode = "authenticationFailed" | "invalidDataFormat" | "perDayMessageLimit" | "requestSizeLimit";
const FAULT_ERROR_CODES: readonly string[] = [
  "authenticationFailed",
  "invalidDataFormat",
  "perDayMessageLimit",
  "requestSizeLimit",
];

export class SoapFault extends Error {
  constructor(
    readonly faultcode: "Client" | "Server" | "VersionMismatch",
    message: string,
    readonly errorCode?: FaultErrorCode,
    readonly status = 500,
  ) {
    super(message);
  }
}

/** A fault a test queued, as the service answers it: an HTTP status as a Server fault, a FaultErrorCodeType as a Client fault. */
export function throwQueuedFault(outcome: FaultOutcome): void {
  if (outcome.kind === "http") throw new SoapFault("Server", `Simulated HTTP ${outcome.status}`, undefined, outcome.status);
  if (outcome.kind === "code" && FAULT_ERROR_CODES.includes(outcome.code))
    throw new SoapFault("Client", `Simulated ${outcome.code}`, outcome.code as FaultErrorCode);
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: "",
  removeNSPrefix: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // Decodes numeric character references (&#233;); HTML's named entities come along, leniently.
  htmlEntities: true,
});

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: "@_", suppressEmptyNode: true, format: false });

/** The operation element inside soap:Body, or a fault saying what is wrong with the envelope. */
export function readOperation(xml: string): XmlElement {
  const valid = XMLValidator.validate(xml);
  if (valid !== true)
    throw new SoapFault("Client", `Malformed XML: ${valid.err.msg} (line ${valid.err.line})`, "invalidDataFormat");
  const roots = toElements(parser.parse(xml) as OrderedNode[], new Map());
  const envelope = roots[0];
  if (!envelope || envelope.name !== "Envelope") throw new SoapFault("Client", "The request is not a SOAP envelope");
  if (envelope.ns === SOAP12_NS) throw new SoapFault("VersionMismatch", "SOAP 1.2 is not supported: use a SOAP 1.1 envelope");
  if (envelope.ns !== SOAP11_NS) throw new SoapFault("VersionMismatch", `Unknown envelope namespace ${envelope.ns || "(none)"}`);
  const body = envelope.children.find((c) => c.ns === SOAP11_NS && c.name === "Body");
  const operation = body?.children[0];
  if (!operation) throw new SoapFault("Client", "The SOAP Body holds no operation");
  return operation;
}

export function child(element: XmlElement, name: string): XmlElement | undefined {
  return element.children.find((c) => c.ns === M4U_NS && c.name === name);
}

export function children(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((c) => c.ns === M4U_NS && c.name === name);
}

/** A required element, or the invalidDataFormat fault naming it. */
export function required(element: XmlElement, name: string): XmlElement {
  const found = child(element, name);
  if (!found) throw new SoapFault("Client", `Missing element ${name} in ${element.name}`, "invalidDataFormat");
  return found;
}

/** An xsd:unsignedInt, or the invalidDataFormat fault naming where it was. */
export function unsignedInt(value: string | undefined, where: string, fallback: number): number {
  if (value === undefined || value.trim() === "") return fallback;
  const number = Number(value.trim());
  if (!Number.isInteger(number) || number < 0 || number > 4_294_967_295 || !/^\+?\d+$/.test(value.trim()))
    throw new SoapFault("Client", `${where} must be an unsigned integer, not "${value}"`, "invalidDataFormat");
  return number;
}

/** The answer: `<SOAP-ENV:Envelope ...><SOAP-ENV:Body><{operation}Response xmlns="...2009"><result .../>`. */
export function soapResponse(operation: string, result: Record<string, unknown>): SimResponse {
  return envelope({ [`${operation}Response`]: { "@_xmlns": M4U_NS, result } }, 200);
}

export function faultResponse(fault: SoapFault): SimResponse {
  const body: Record<string, unknown> = { faultcode: `SOAP-ENV:${fault.faultcode}`, faultstring: fault.message };
  if (fault.errorCode) body.detail = { faultResponse: { "@_xmlns": M4U_NS, error: { "@_code": fault.errorCode } } };
  return envelope({ "SOAP-ENV:Fault": body }, fault.status);
}

function envelope(content: Record<string, unknown>, status: number): SimResponse {
  const document = {
    "?xml": { "@_version": "1.0", "@_encoding": "utf-8" },
    "SOAP-ENV:Envelope": {
      "@_xmlns:SOAP-ENV": SOAP11_NS,
      "@_xmlns:xsd": "http://www.w3.org/2001/XMLSchema",
      "@_xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
      "@_xmlns:SOAP-ENC": "http://schemas.xmlsoap.org/soap/encoding/",
      "SOAP-ENV:Body": content,
    },
  };
  return { status, headers: { "content-type": "text/xml; charset=utf-8" }, body: builder.build(document) as string };
}

/** fast-xml-parser's ordered output: { tag: children, ":@": attributes } or { "#text": text }. */
type OrderedNode = Record<string, unknown>;

function toElements(nodes: OrderedNode[], scope: Map<string, string>): XmlElement[] {
  const elements: XmlElement[] = [];
  for (const node of nodes) {
    const tag = Object.keys(node).find((key) => key !== ":@" && key !== "#text");
    if (tag) elements.push(toElement(tag, node, scope));
  }
  return elements;
}

function toElement(tag: string, node: OrderedNode, outer: Map<string, string>): XmlElement {
  const scope = new Map(outer);
  const raw = (node[":@"] ?? {}) as Record<string, string>;
  const attrs: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (name === "xmlns") scope.set("", value);
    else if (name.startsWith("xmlns:")) scope.set(name.slice(6), value);
    // Attributes are unqualified in this schema (attributeFormDefault="unqualified").
    else attrs[name.includes(":") ? name.slice(name.indexOf(":") + 1) : name] = value;
  }
  const colon = tag.indexOf(":");
  const prefix = colon < 0 ? "" : tag.slice(0, colon);
  const ns = scope.get(prefix);
  if (prefix && ns === undefined)
    throw new SoapFault("Client", `Undeclared namespace prefix ${prefix} on ${tag}`, "invalidDataFormat");
  const content = (node[tag] ?? []) as OrderedNode[];
  const text = content.map((c) => (typeof c["#text"] === "string" ? c["#text"] : "")).join("");
  return { ns: ns ?? "", name: colon < 0 ? tag : tag.slice(colon + 1), attrs, children: toElements(content, scope), text };
}
