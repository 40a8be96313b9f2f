import { SimInputError, type SimContext } from "./context";
import type { OutgoingCallback } from "./deliver";
import { sameSecret, text, type SimRequest, type SimResponse } from "./http";
import {
  answeredMessage,
  confirmPolled,
  pushPolled,
  recordReply,
  waitingPolled,
  type MessageMediaInbound,
} from "./messagemedia-common";
import { accountDetails, receiptIdFor, sendMessages, xsdDateTime } from "./messagemedia-soap-send";
import {
  child,
  children,
  faultResponse,
  M4U_NS,
  readOperation,
  required,
  SoapFault,
  soapResponse,
  throwQueuedFault,
  unsignedInt,
  type XmlElement,
} from "./messagemedia-soap-xml";
import type { MessageMediaSoapAccount } from "./state";

/**
 * soap.m4u.com.au, MessageMedia's SOAP API (namespace http://xml.m4u.com.au/2009): one
 * endpoint, the operation named by the element in soap:Body, credentials in
 * authentication/userId and password. No webhooks: replies and delivery reports wait for
 * checkReplies / checkReports and stay until confirmReplies / confirmReports. Shapes follow the
 * WSDL and XSDs MessageMedia published (messagemedia-soap-api-csharp-sdk, Service References).
 */
const VENDOR = "messagemedia-soap";

type Handler = (ctx: SimContext, account: MessageMediaSoapAccount, operation: XmlElement) => Promise<SimResponse>;

const OPERATIONS: Record<string, Handler> = {
  checkUser: async (ctx, account) => {
    await applyFault(ctx, "account");
    return soapResponse("checkUser", { accountDetails: accountDetails(ctx, account) });
  },
  sendMessages: (ctx, account, operation) => sendMessages(ctx, account, operation),
  checkReplies: (ctx, account, operation) => check(ctx, account, operation, "reply"),
  checkReports: (ctx, account, operation) => check(ctx, account, operation, "report"),
  confirmReplies: (ctx, account, operation) => confirm(ctx, account, operation, "reply"),
  confirmReports: (ctx, account, operation) => confirm(ctx, account, operation, "report"),
};
/** In the WSDL but not simulated. */
const UNSIMULATED = ["deleteScheduledMessages", "blockNumbers", "unblockNumbers", "getBlockedNumbers"];

export async function handleMessageMediaSoap(ctx: SimContext, request: SimRequest): Promise<SimResponse> {
  if (request.path !== "/") return text(404, "Not Found");
  if (request.method !== "POST") return text(405, "Method Not Allowed", { allow: "POST" });
  try {
    // Dispatch is by the Body's element, as the service does: the SDKs send different SOAPAction values, or none.
    const operation = readOperation(request.body);
    const handler = operation.ns === M4U_NS ? OPERATIONS[operation.name] : undefined;
    if (!handler) {
      const known = UNSIMULATED.includes(operation.name);
      throw new SoapFault(
        known ? "Server" : "Client",
        known ? `${operation.name} is not simulated` : `Unknown operation ${operation.name}`,
      );
    }
    return await handler(ctx, authenticate(ctx, operation), operation);
  } catch (error) {
    if (error instanceof SoapFault) return faultResponse(error);
    throw error;
  }
}

function authenticate(ctx: SimContext, operation: XmlElement): MessageMediaSoapAccount {
  const authentication = required(operation, "authentication");
  const userId = required(authentication, "userId").text.trim();
  const password = required(authentication, "password").text;
  const account = ctx.state.findAccount(VENDOR, userId);
  if (!account || !sameSecret(account.password, password))
    throw new SoapFault("Client", "Authentication failed", "authenticationFailed");
  return account;
}

async function check(
  ctx: SimContext,
  account: MessageMediaSoapAccount,
  operation: XmlElement,
  kind: "reply" | "report",
): Promise<SimResponse> {
  const body = required(operation, "requestBody");
  const field = kind === "reply" ? "maximumReplies" : "maximumReports";
  const max = unsignedInt(child(body, field)?.text, field, Number.MAX_SAFE_INTEGER);
  await applyFault(ctx, "fetch");
  const waiting = waitingPolled(ctx, VENDOR, kind, account.userId);
  const items = waiting.slice(0, max).map((item) => item.data);
  const list = kind === "reply" ? { replies: { reply: items } } : { reports: { report: items } };
  return soapResponse(kind === "reply" ? "checkReplies" : "checkReports", {
    "@_returned": String(items.length),
    "@_remaining": String(waiting.length - items.length),
    ...list,
  });
}

async function confirm(
  ctx: SimContext,
  account: MessageMediaSoapAccount,
  operation: XmlElement,
  kind: "reply" | "report",
): Promise<SimResponse> {
  const list = required(required(operation, "requestBody"), kind === "reply" ? "replies" : "reports");
  const ids = new Set(
    children(list, kind)
      .map((item) => item.attrs.receiptId?.trim() ?? "")
      // The nodejs SDK confirms an empty list as one receiptId="": nothing to confirm, not an error.
      .filter((id) => id !== "")
      .map((id) => String(unsignedInt(id, "receiptId", 0))),
  );
  await applyFault(ctx, "confirm");
  const confirmed = confirmPolled(ctx, VENDOR, kind, account.userId, ids);
  return soapResponse(kind === "reply" ? "confirmReplies" : "confirmReports", { "@_confirmed": String(confirmed) });
}

/** A phone replies: queued for checkReplies, with the uid of the message it answers (0 when none is known). */
export function messagemediaSoapInbound(ctx: SimContext, input: MessageMediaInbound): OutgoingCallback[] {
  if (input.media.length) throw new SimInputError("MessageMedia's SOAP API carries no media");
  const answered = answeredMessage(ctx, VENDOR, input);
  const account = ctx.state.accountFor(VENDOR, input.account ?? answered?.account);
  if (!account) throw new SimInputError(`No MessageMedia SOAP account ${input.account ?? ""} is registered`, 404);
  const receiptId = receiptIdFor(ctx);
  recordReply(ctx, VENDOR, account.userId, receiptId, input, answered);
  pushPolled(ctx, VENDOR, "reply", account.userId, receiptId, {
    "@_uid": answered?.extra.uid ?? "0",
    "@_receiptId": receiptId,
    "@_format": "SMS",
    origin: input.from,
    received: xsdDateTime(new Date()),
    content: input.body,
  });
  return [];
}

async function applyFault(ctx: SimContext, operation: "account" | "fetch" | "confirm"): Promise<void> {
  throwQueuedFault(await ctx.faults.apply(VENDOR, operation, undefined, ctx.signal));
}
