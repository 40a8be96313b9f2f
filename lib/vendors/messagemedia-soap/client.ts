import { errorTableEntry, httpFailure, VendorError } from "../errors";
import type { VendorContext, VendorErrorInfo } from "../types";
import { retryAfterSeconds } from "../vendor-response";
import type { MessageMediaSoapConfig } from "./config";
import errorTable from "./errors.json";
import {
  buildEnvelope,
  child,
  M4U_NS,
  readEnvelope,
  soapAction,
  SoapFormatError,
  type RequestNode,
  type SoapFault,
  type SoapOperation,
  type XmlElement,
} from "./soap";

/** An answer we could not read: the request may still have been carried out. */
export const UNREADABLE = "messagemedia-soap-unreadable";

/**
 * One SOAP call through ctx.http (which logs it, the password redacted): the `result` element
 * of the operation's response, or a VendorError. A SOAP Fault is read whatever the HTTP status
 * (SOAP 1.1 answers faults with 500); only a Server fault is worth retrying, as the request
 * itself was fine. Other 5xx and 429 answers, and network failures, are retried.
 */
export async function callSoap(
  ctx: VendorContext<MessageMediaSoapConfig>,
  operation: SoapOperation,
  requestBody?: RequestNode[],
): Promise<XmlElement> {
  const response = await ctx.http.request({
    method: "POST",
    url: ctx.config.soapUrl,
    headers: { "content-type": "text/xml; charset=utf-8", soapaction: soapAction(operation), accept: "text/xml" },
    body: buildEnvelope(operation, { userId: ctx.config.username, password: ctx.config.password }, requestBody),
  });
  const retryAfter = retryAfterSeconds(response, ctx.now());
  let answer: ReturnType<typeof readEnvelope>;
  try {
    answer = readEnvelope(response.body);
  } catch (error) {
    if (!(error instanceof SoapFormatError)) throw error;
    if (response.status !== 200) throw transportError(response.status, retryAfter);
    throw unreadable(`MessageMedia answered ${operation} with ${error.reason}.`);
  }
  if ("fault" in answer) throw faultError(answer.fault, response.status, retryAfter);
  if (response.status !== 200) throw transportError(response.status, retryAfter);
  const { element } = answer;
  if (element.ns !== M4U_NS || element.name !== `${operation}Response`)
    throw unreadable(
      `MessageMedia answered ${operation} with <${element.name}>${element.ns === M4U_NS ? "" : ` in namespace ${element.ns ?? "(none)"}`}, not ${operation}Response in ${M4U_NS}.`,
    );
  const result = child(element, "result");
  if (!result) throw unreadable(`MessageMedia answered ${operation} without the <result> element its WSDL requires.`);
  return result;
}

export function describeError(code: string | undefined): VendorErrorInfo | undefined {
  return code ? errorTableEntry(errorTable, code) : undefined;
}

/** An attribute that must be an xsd:unsignedInt, as a number; undefined when absent or not one. */
export function unsignedInt(element: XmlElement | undefined, name: string): number | undefined {
  const value = element?.attrs[name]?.trim();
  if (!value || !/^\d{1,10}$/.test(value)) return undefined;
  const n = Number(value);
  return n <= 4_294_967_295 ? n : undefined;
}

/**
 * A receipt id or uid as a canonical digit string. The WSDL says unsignedInt, but an id is
 * only compared and echoed back, so a longer one is taken rather than left unconfirmable.
 */
export function idAttr(element: XmlElement | undefined, name: string): string | undefined {
  const value = element?.attrs[name]?.trim();
  if (!value || !/^\d{1,20}$/.test(value)) return undefined;
  return value.replace(/^0+(?=\d)/, "");
}

export function unreadable(description: string): VendorError {
  return new VendorError({ code: UNREADABLE, retryable: false, description });
}

/**
 * MessageMedia's faultResponse code decides. Without one, a Server fault is retried (the request
 * was fine), as is one a 429 or 503 carries; a Client fault is final.
 */
function faultError(fault: SoapFault, status: number, retryAfter: number | undefined): VendorError {
  const info = describeError(fault.code);
  const said = `${fault.faultstring}${fault.code ? ` (${fault.code})` : ""}`;
  const description =
    fault.code === "authenticationFailed"
      ? `MessageMedia refused the user ID or password: ${said}. Check them, and that this MessageMedia account is set up for the SOAP API, not REST.`
      : `MessageMedia answered with a SOAP ${fault.faultcode} fault: ${said}.`;
  const retryable = info ? (info.retryable ?? false) : fault.server || status === 429 || status === 503;
  return new VendorError({
    code: fault.code ?? `soap-${fault.server ? "server" : "client"}-fault`,
    vendorCode: fault.code,
    retryable,
    description,
    link: info?.link,
    retryAfterSeconds: retryable ? retryAfter : undefined,
  });
}

function transportError(status: number, retryAfter: number | undefined): VendorError {
  const what =
    status === 401 || status === 403
      ? "; check the user ID and password, and that the account is set up for SOAP"
      : status === 404
        ? "; check the SOAP endpoint"
        : "";
  return httpFailure(status, `MessageMedia answered HTTP ${status} without a SOAP envelope${what}.`, retryAfter);
}
