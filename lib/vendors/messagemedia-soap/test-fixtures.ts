import { XMLParser } from "fast-xml-parser";
import { expect } from "vitest";
import type { StubResponse } from "@/tests/helpers/vendor-harness";

/**
 * Answers as soap.m4u.com.au writes them (PHP's SoapServer: SOAP-ENV prefix, the response in a
 * default m4u namespace), after the samples in MessageMedia's own SDKs, and a request reader
 * that keeps prefixes and xmlns attributes, so tests see which namespace each element is in.
 */
// Written out, not imported from ./soap: a wrong namespace there must fail these tests.
const SOAP_ENV_NS = "http://schemas.xmlsoap.org/soap/envelope/";
const M4U_NS = "http://xml.m4u.com.au/2009";

export const USER = "mm-user";
export const PASSWORD = "hunter2-pass";

export function envelope(inner: string): string {
  return `<?xml version="1.0" encoding="utf-8"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="${SOAP_ENV_NS}" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:SOAP-ENC="http://schemas.xmlsoap.org/soap/encoding/"><SOAP-ENV:Body>${inner}</SOAP-ENV:Body></SOAP-ENV:Envelope>`;
}

export function response(operation: string, result: string): string {
  return envelope(`<${operation}Response xmlns="${M4U_NS}">\n  ${result}\n</${operation}Response>`);
}

export function fault(faultcode: string, faultstring: string, code?: string): string {
  const detail = code ? `<detail><faultResponse xmlns="${M4U_NS}"><error code="${code}"/></faultResponse></detail>` : "";
  return envelope(
    `<SOAP-ENV:Fault><faultcode>${faultcode}</faultcode><faultstring>${faultstring}</faultstring>${detail}</SOAP-ENV:Fault>`,
  );
}

export const xml = (status: number, body: string, headers: Record<string, string> = {}): StubResponse => ({
  status,
  body,
  headers: { "content-type": "text/xml; charset=utf-8", ...headers },
});

export const accountDetails = `<accountDetails type="daily" creditLimit="500" creditRemaining="496"/>`;

const reader = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@_", parseTagValue: false, trimValues: false });

/** What a request's XML says, prefixes and namespace declarations included. */
export function readRequest(body: string): unknown {
  return reader.parse(body);
}

/** The request we expect for an operation: SOAP 1.1 envelope, m4u body, the credentials first. */
export function expectedRequest(operation: string, requestBody?: unknown, password = PASSWORD): Record<string, unknown> {
  return {
    "?xml": { "@_version": "1.0", "@_encoding": "UTF-8" },
    "soap:Envelope": {
      "@_xmlns:soap": SOAP_ENV_NS,
      "@_xmlns:api": M4U_NS,
      "soap:Body": {
        [`api:${operation}`]: {
          "api:authentication": { "api:userId": USER, "api:password": password },
          ...(requestBody === undefined ? {} : { "api:requestBody": requestBody }),
        },
      },
    },
  };
}

export const soapHeaders = (operation: string) => ({
  "content-type": "text/xml; charset=utf-8",
  soapaction: `"http://xml.m4u.com.au/2009/${operation}"`,
});

export function expectRequest(
  got: { method: string; path: string; headers: Record<string, string>; body: string },
  operation: string,
  requestBody?: unknown,
) {
  expect(got.method).toBe("POST");
  expect(got.path).toBe("/soap/");
  expect(got.headers).toMatchObject(soapHeaders(operation));
  expect(readRequest(got.body)).toEqual(expectedRequest(operation, requestBody));
}
