import { describe, expect, it } from "vitest";
import { readEnvelope, SoapFormatError } from "./soap";

const SOAP = "http://schemas.xmlsoap.org/soap/envelope/";
const M4U = "http://xml.m4u.com.au/2009";
const faultWith = (code: string, detail = "") =>
  `<e:Envelope xmlns:e="${SOAP}"><e:Body><e:Fault><faultcode>${code}</faultcode><faultstring> Busy </faultstring>${detail}</e:Fault></e:Body></e:Envelope>`;

describe("messagemedia-soap: reading envelopes", () => {
  it("resolves namespaces by URI, whatever the prefixes", () => {
    const answer = readEnvelope(
      `<Envelope xmlns="${SOAP}"><Body><x:checkUserResponse xmlns:x="${M4U}"><x:result/></x:checkUserResponse></Body></Envelope>`,
    );
    expect(answer).toMatchObject({ element: { ns: M4U, name: "checkUserResponse", children: [{ ns: M4U, name: "result" }] } });
  });

  it("reads a fault's code as a QName: a Server refinement is the server's, a Client one is not", () => {
    expect(readEnvelope(faultWith("e:Server.Busy"))).toEqual({
      fault: { faultcode: "Server.Busy", faultstring: "Busy", code: undefined, server: true },
    });
    expect(readEnvelope(faultWith("e:Client"))).toMatchObject({ fault: { faultcode: "Client", server: false } });
    // "Server" in some other namespace is not SOAP's Server fault.
    expect(readEnvelope(faultWith("o:Server", "").replace("<faultcode>", `<faultcode xmlns:o="urn:other">`))).toMatchObject({
      fault: { server: false },
    });
  });

  it("finds MessageMedia's error code in the detail, qualified or not", () => {
    const unqualified = faultWith(
      "e:Client",
      `<detail><faultResponse><error code="invalidDataFormat"/></faultResponse></detail>`,
    );
    expect(readEnvelope(unqualified)).toMatchObject({ fault: { code: "invalidDataFormat" } });
    const foreign = faultWith(
      "e:Client",
      `<detail><faultResponse xmlns="urn:other"><error code="authenticationFailed"/></faultResponse></detail>`,
    );
    expect(readEnvelope(foreign)).toMatchObject({ fault: { code: undefined } });
  });

  it.each([
    ["not XML", "Service Unavailable", /malformed XML|no XML element/],
    ["a root that is no envelope", `<sendMessagesResponse xmlns="${M4U}"/>`, /where a SOAP Envelope was expected/],
    ["an empty Body", `<e:Envelope xmlns:e="${SOAP}"><e:Body/></e:Envelope>`, /no Body content/],
    [
      "an undeclared prefix",
      `<e:Envelope xmlns:e="${SOAP}"><e:Body><m:x/></e:Body></e:Envelope>`,
      /malformed XML|prefix of <m:x> is not declared/,
    ],
  ])("refuses %s", (_label, body, reason) => {
    expect(() => readEnvelope(body)).toThrow(SoapFormatError);
    expect(() => readEnvelope(body)).toThrow(reason);
  });
});
