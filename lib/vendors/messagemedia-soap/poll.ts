import { toE164 } from "@/lib/phone";
import type { PolledItem, PollResult, StatusUpdate, VendorContext, VendorEvent } from "../types";
import { callSoap, describeError, idAttr } from "./client";
import type { MessageMediaSoapConfig } from "./config";
import { child, children, node, serializeElement, type RequestNode, type XmlElement } from "./soap";

/**
 * Replies and delivery reports, fetched with checkReplies and checkReports and confirmed with
 * confirmReplies and confirmReports once stored. MessageMedia returns an unconfirmed item on
 * every check, so nothing is confirmed here until lib/messaging says it is committed.
 * Receipt ids of replies and of reports are separate sequences, hence the prefixed keys.
 */
export const MAX_PER_CHECK = 100;
const REPLY = "reply:";
const REPORT = "report:";

/**
 * The WSDL's DeliveryStatusType is delivered, pending or failed; submitted, expired, rejected
 * and undeliverable are MessageMedia's words for the same stages elsewhere. Anything else gives
 * no event: the raw report is kept and confirmed, never guessed at.
 */
const REPORT_STATUS: Record<string, StatusUpdate> = {
  pending: "SENT",
  submitted: "SENT",
  delivered: "DELIVERED",
  failed: "FAILED",
  expired: "FAILED",
  rejected: "FAILED",
  undeliverable: "FAILED",
};

export async function pollMessageMedia(ctx: VendorContext<MessageMediaSoapConfig>): Promise<PollResult> {
  const replies = await callSoap(ctx, "checkReplies", [node("maximumReplies", String(MAX_PER_CHECK))]);
  const reports = await callSoap(ctx, "checkReports", [node("maximumReports", String(MAX_PER_CHECK))]);
  const items = [
    ...children(child(replies, "replies"), "reply").flatMap((reply) => replyItem(ctx, reply)),
    ...children(child(reports, "reports"), "report").flatMap((report) => reportItem(report)),
  ];
  return { items, confirm: (keys) => confirmItems(ctx, keys) };
}

/** Confirms exactly these keys, replies and reports each in one call (or none), 100 at a time. */
export async function confirmItems(ctx: VendorContext<MessageMediaSoapConfig>, keys: string[]): Promise<void> {
  for (const batch of chunks(receiptIds(keys, REPLY), MAX_PER_CHECK))
    await callSoap(ctx, "confirmReplies", [receipts("replies", "reply", batch)]);
  for (const batch of chunks(receiptIds(keys, REPORT), MAX_PER_CHECK))
    await callSoap(ctx, "confirmReports", [receipts("reports", "report", batch)]);
}

/**
 * A reply: `uid` is the recipient uid we sent (our message's numericId), 0 or absent when
 * the reply answers none of ours. MessageMedia does not say which of our numbers was texted,
 * so `to` is the configured source number, or "" for lib/messaging to find by `inReplyTo`.
 * Its vendor id keeps the "reply:" prefix: our sent messages' ids are bare uids, and both
 * share one per-account namespace of vendor ids.
 */
function replyItem(ctx: VendorContext<MessageMediaSoapConfig>, reply: XmlElement): PolledItem[] {
  const receiptId = idAttr(reply, "receiptId");
  // Without a receipt id it can be neither stored once nor confirmed.
  if (receiptId === undefined) return [];
  const key = `${REPLY}${receiptId}`;
  const from = phone(child(reply, "origin")?.text ?? "", ctx.defaultCountry);
  const uid = idAttr(reply, "uid");
  const source = ctx.config.sourceNumber;
  const events: VendorEvent[] = from
    ? [
        {
          type: "inbound",
          from,
          to: source?.startsWith("+") ? source : "",
          body: child(reply, "content")?.text ?? "",
          media: [],
          vendorMessageId: key,
          receivedAt: readTime(child(reply, "received")?.text),
          ...(uid && uid !== "0" ? { inReplyTo: uid } : {}),
        },
      ]
    : [];
  return [{ key, raw: serializeElement(reply), events }];
}

/** A delivery report of the recipient whose uid we sent: that uid is our message's vendor id. */
function reportItem(report: XmlElement): PolledItem[] {
  const receiptId = idAttr(report, "receiptId");
  if (receiptId === undefined) return [];
  const uid = idAttr(report, "uid");
  const vendorStatus = report.attrs.status?.trim() ?? "";
  const status = REPORT_STATUS[vendorStatus.toLowerCase()];
  const failed = status === "FAILED";
  const events: VendorEvent[] =
    status && uid && uid !== "0"
      ? [
          {
            type: "status",
            vendorMessageId: uid,
            status,
            vendorStatus,
            errorCode: failed ? vendorStatus.toLowerCase() : undefined,
            errorDescription: failed ? describeError(vendorStatus.toLowerCase())?.description : undefined,
            occurredAt: readTime(child(report, "timestamp")?.text),
          },
        ]
      : [];
  return [{ key: `${REPORT}${receiptId}`, raw: serializeElement(report), events }];
}

/**
 * MessageMedia writes numbers in international format, with or without the +; a national
 * number (leading 0) is read in the org's country. Anything else, a sender ID, is left alone.
 */
function phone(value: string, defaultCountry: string): string {
  const compact = value.replace(/[\s()-]/g, "");
  if (/^\+?[1-9]\d{6,14}$/.test(compact)) return compact.startsWith("+") ? compact : `+${compact}`;
  const national = compact.startsWith("0") ? toE164(compact, defaultCountry) : undefined;
  return national?.ok ? national.e164 : compact;
}

/** xsd:dateTime; one without a zone is taken as UTC. An unreadable time is left out, not fatal. */
function readTime(value: string | undefined): Date | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  const zoned = /(Z|[+-]\d{2}:\d{2})$/.test(text) ? text : `${text}Z`;
  const at = new Date(zoned);
  return Number.isNaN(at.getTime()) ? undefined : at;
}

/** The receipt ids of our own keys of one kind, each once; anything else is not ours to confirm. */
function receiptIds(keys: string[], prefix: string): string[] {
  const ids = keys.filter((key) => key.startsWith(prefix)).map((key) => key.slice(prefix.length));
  return [...new Set(ids)].filter((id) => /^\d{1,20}$/.test(id));
}

/** <replies><reply receiptId="…"/>…</replies>, and the same for reports. */
function receipts(list: string, item: string, ids: string[]): RequestNode {
  const items = ids.map((receiptId) => node(item, [], { receiptId }));
  return node(list, items);
}

function chunks<T>(list: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}
