import { countSegments } from "../lib/segments";
import type { SimContext } from "./context";
import type { SimResponse } from "./http";
import { inStep, pushPolled } from "./messagemedia-common";
import {
  child,
  children,
  required,
  SoapFault,
  soapResponse,
  throwQueuedFault,
  unsignedInt,
  type XmlElement,
} from "./messagemedia-soap-xml";
import { accountKey, setStatus, type MessageMediaSoapAccount, type SentMessage } from "./state";

/**
 * sendMessages (SendMessages.xsd / ResponseTypes.xsd): every message-recipient pair is sent,
 * scheduled or failed with a MessageErrorCodeType; the daily credit is spent on the ones sent.
 */
const VENDOR = "messagemedia-soap";
/** MessageErrorCodeType: per-recipient errors in a sendMessages result. */
const MESSAGE_ERROR_CODES = ["invalidRecipient", "recipientBlocked", "emptyMessageContent", "messageLengthLimit", "other"];
const SEND_MODES = ["normal", "dropAll", "dropAllWithErrors", "dropAllWithSuccess"];
/** Not published; an account-level setting in practice. The simulator's choice: 10 SMS parts. */
const MAX_SEGMENTS = 10;

type Recipient = { uid: string; number: string };
type ParsedMessage = {
  sequenceNumber: number;
  format: string;
  origin?: string;
  recipients: Recipient[];
  content: string;
  deliveryReport: boolean;
  validityPeriod: number;
  scheduled?: Date;
  tags: Record<string, string>;
};
type Outcome = { kind: "sent" | "scheduled" } | { kind: "failed"; code: string };

export async function sendMessages(
  ctx: SimContext,
  account: MessageMediaSoapAccount,
  operation: XmlElement,
): Promise<SimResponse> {
  const list = required(required(operation, "requestBody"), "messages");
  const sendMode = list.attrs.sendMode ?? "normal";
  if (!SEND_MODES.includes(sendMode)) throw new SoapFault("Client", `Unknown sendMode ${sendMode}`, "invalidDataFormat");
  const messages = children(list, "message").map(parseMessage);
  if (messages.length === 0) throw new SoapFault("Client", "messages holds no message", "invalidDataFormat");

  const outcomes: Outcome[][] = [];
  const reportFailures = new Map<Recipient, string>();
  let index = 0;
  for (const message of messages) {
    const row: Outcome[] = [];
    for (const recipient of message.recipients) {
      row.push(await outcomeFor(ctx, message, recipient, sendMode, index++, reportFailures));
    }
    outcomes.push(row);
  }

  const sending = sendMode === "normal" ? outcomes.flat().filter((o) => o.kind !== "failed").length : 0;
  const used = ctx.state.creditsUsed.get(accountKey(account)) ?? 0;
  if (used + sending > account.creditLimit) throw new SoapFault("Client", "Daily message limit reached", "perDayMessageLimit");
  ctx.state.creditsUsed.set(accountKey(account), used + sending);

  if (sendMode === "normal") {
    const steps: (() => void)[][] = [];
    messages.forEach((message, i) =>
      message.recipients.forEach((recipient, j) => {
        if (outcomes[i]![j]!.kind !== "failed")
          steps.push([store(ctx, account, message, recipient, reportFailures.get(recipient))]);
      }),
    );
    ctx.deliver.progress(inStep(steps));
  }
  const flat = outcomes.flat();
  return soapResponse("sendMessages", {
    "@_sent": String(flat.filter((o) => o.kind === "sent").length),
    "@_scheduled": String(flat.filter((o) => o.kind === "scheduled").length),
    "@_failed": String(flat.filter((o) => o.kind === "failed").length),
    accountDetails: accountDetails(ctx, account),
    ...errorList(messages, outcomes),
  });
}

/** One message-recipient pair: checked, then any fault a test queued for its number, then the send mode. */
async function outcomeFor(
  ctx: SimContext,
  message: ParsedMessage,
  recipient: Recipient,
  sendMode: string,
  index: number,
  reportFailures: Map<Recipient, string>,
): Promise<Outcome> {
  const problem = !/^\+?\d{6,15}$/.test(recipient.number)
    ? "invalidRecipient"
    : message.content.trim() === ""
      ? "emptyMessageContent"
      : countSegments(message.content).segments > MAX_SEGMENTS
        ? "messageLengthLimit"
        : undefined;
  if (problem) return { kind: "failed", code: problem };
  const fault = await ctx.faults.apply(VENDOR, "send", recipient.number, ctx.signal);
  throwQueuedFault(fault);
  if (fault.kind === "code" && MESSAGE_ERROR_CODES.includes(fault.code)) return { kind: "failed", code: fault.code };
  if (fault.kind === "code" || fault.kind === "report") reportFailures.set(recipient, fault.code);
  // dropAll "fails at random": here every second recipient, so tests can count on it.
  if (sendMode === "dropAllWithErrors" || (sendMode === "dropAll" && index % 2 === 1)) return { kind: "failed", code: "other" };
  return { kind: message.scheduled && message.scheduled.getTime() > Date.now() ? "scheduled" : "sent" };
}

function parseMessage(element: XmlElement): ParsedMessage {
  const where = `message ${element.attrs.sequenceNumber ?? "0"}`;
  const format = element.attrs.format ?? "SMS";
  if (format !== "SMS" && format !== "voice")
    throw new SoapFault("Client", `${where}: format must be SMS or voice`, "invalidDataFormat");
  const recipients = children(required(element, "recipients"), "recipient").map((r) => ({
    uid: String(unsignedInt(r.attrs.uid, `${where} recipient uid`, 0)),
    number: r.text.trim(),
  }));
  if (recipients.length === 0) throw new SoapFault("Client", `${where}: recipients holds no recipient`, "invalidDataFormat");
  const scheduledText = child(element, "scheduled")?.text.trim();
  const scheduled = scheduledText ? new Date(scheduledText) : undefined;
  if (scheduled && Number.isNaN(scheduled.getTime()))
    throw new SoapFault("Client", `${where}: scheduled must be an xsd:dateTime`, "invalidDataFormat");
  const deliveryReport = child(element, "deliveryReport")?.text.trim() ?? "false";
  if (!["true", "false", "1", "0"].includes(deliveryReport))
    throw new SoapFault("Client", `${where}: deliveryReport must be true or false`, "invalidDataFormat");
  const validityPeriod = unsignedInt(child(element, "validityPeriod")?.text, `${where} validityPeriod`, 169);
  if (validityPeriod > 255) throw new SoapFault("Client", `${where}: validityPeriod is 0 to 255`, "invalidDataFormat");
  const tags = Object.fromEntries(children(child(element, "tags") ?? element, "tag").map((t) => [t.attrs.name ?? "", t.text]));
  return {
    sequenceNumber: unsignedInt(element.attrs.sequenceNumber, `${where} sequenceNumber`, 0),
    format,
    origin: child(element, "origin")?.text.trim() || undefined,
    recipients,
    content: required(element, "content").text,
    deliveryReport: deliveryReport === "true" || deliveryReport === "1",
    validityPeriod,
    scheduled,
    tags: child(element, "tags") ? tags : {},
  };
}

/** MessageErrorType: one error per message and code, listing its recipients (and the content for content errors). */
function errorList(messages: ParsedMessage[], outcomes: Outcome[][]): Record<string, unknown> {
  const errors: Record<string, unknown>[] = [];
  messages.forEach((message, i) => {
    const byCode = new Map<string, Recipient[]>();
    outcomes[i]!.forEach((outcome, j) => {
      if (outcome.kind === "failed") byCode.set(outcome.code, [...(byCode.get(outcome.code) ?? []), message.recipients[j]!]);
    });
    for (const [code, recipients] of byCode)
      errors.push({
        "@_code": code,
        "@_sequenceNumber": String(message.sequenceNumber),
        recipients: { recipient: recipients.map((r) => ({ "#text": r.number, "@_uid": r.uid })) },
        ...(code === "emptyMessageContent" || code === "messageLengthLimit" ? { content: message.content } : {}),
      });
  });
  return errors.length ? { errors: { error: errors } } : {};
}

/** A sent message-recipient pair; its step, one report delay later, delivers (or fails) it and queues a report when asked for. */
function store(
  ctx: SimContext,
  account: MessageMediaSoapAccount,
  message: ParsedMessage,
  recipient: Recipient,
  failCode?: string,
): () => void {
  const now = new Date();
  const record: SentMessage = {
    vendor: VENDOR,
    id: `m4u-${ctx.state.nextSeq()}`,
    account: account.userId,
    from: message.origin ?? null,
    to: recipient.number,
    body: message.content,
    media: [],
    status: "sent",
    errorCode: null,
    segments: Math.max(countSegments(message.content).segments, 1),
    createdAt: now,
    updatedAt: now,
    extra: {
      uid: recipient.uid,
      sequenceNumber: String(message.sequenceNumber),
      format: message.format,
      deliveryReport: String(message.deliveryReport),
      validityPeriod: String(message.validityPeriod),
      ...(message.scheduled ? { scheduled: message.scheduled.toISOString() } : {}),
      ...(Object.keys(message.tags).length ? { tags: JSON.stringify(message.tags) } : {}),
    },
  };
  ctx.state.messages.push(record);
  return () => {
    const status = failCode ? "failed" : "delivered";
    setStatus(record, status, failCode ?? null);
    if (!message.deliveryReport) return;
    const receiptId = receiptIdFor(ctx);
    pushPolled(ctx, VENDOR, "report", account.userId, receiptId, {
      "@_uid": recipient.uid,
      "@_receiptId": receiptId,
      "@_status": status,
      recipient: recipient.number,
      timestamp: xsdDateTime(new Date()),
    });
  };
}

export function accountDetails(ctx: SimContext, account: MessageMediaSoapAccount): Record<string, string> {
  const used = ctx.state.creditsUsed.get(accountKey(account)) ?? 0;
  return {
    "@_type": "daily",
    "@_creditLimit": String(account.creditLimit),
    "@_creditRemaining": String(Math.max(account.creditLimit - used, 0)),
  };
}

/** receiptIds are xsd:unsignedLong. */
export function receiptIdFor(ctx: SimContext): string {
  return String(1_000_000_000 + ctx.state.nextSeq());
}

/** xsd:dateTime in UTC, whole seconds. */
export function xsdDateTime(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}
