import { z } from "zod";
import { errorTableEntry } from "../errors";
import type { StatusUpdate, VendorErrorInfo, VendorEvent } from "../types";
import errorTable from "./errors.json";

/**
 * Delivery reports and replies, in the one shape MessageMedia uses for both its callbacks and
 * its check endpoints (GET /v1/delivery_reports, GET /v1/replies). Fields we do not read
 * (callback_url, vendor_account_id, billing_units, delay, ...) and new ones are ignored.
 */
const str = () => z.string({ error: (issue) => (issue.input === undefined ? "missing" : "expected a string") });
const id = str().trim().min(1, "missing").max(200, "longer than 200 characters");
const text = str().max(200).optional();
const metadata = z.record(z.string(), z.unknown()).optional();

export const deliveryReport = z.object({
  delivery_report_id: id,
  message_id: id,
  status: str().trim().min(1, "missing").max(50),
  error_code: z.union([z.string().max(20), z.number().int()]).nullish(),
  date_received: text.nullable(),
  metadata: metadata.nullable(),
});
export type DeliveryReport = z.infer<typeof deliveryReport>;

export const reply = z
  .object({
    reply_id: id,
    message_id: id.nullish(),
    source_number: str().trim().min(1, "missing").max(30),
    destination_number: str().trim().max(30).nullish(),
    content: str().max(20_000),
    date_received: text.nullable(),
  })
  // With neither, nothing says which of our numbers or conversations the reply belongs to.
  .refine((r) => Boolean(r.destination_number || r.message_id), {
    path: ["destination_number"],
    message: "missing, and no message_id says which message this answers",
  });
export type Reply = z.infer<typeof reply>;

/**
 * The report statuses MessageMedia documents. enroute and submitted (and queued, processed,
 * scheduled) mean the message is on its way; undeliverable and cancelled are final failures
 * as much as rejected is. Anything else gives no event: the raw report is kept, never guessed at.
 */
const STATUS: Record<string, StatusUpdate> = {
  queued: "SENT",
  scheduled: "SENT",
  processed: "SENT",
  enroute: "SENT",
  submitted: "SENT",
  delivered: "DELIVERED",
  expired: "FAILED",
  rejected: "FAILED",
  failed: "FAILED",
  undeliverable: "FAILED",
  cancelled: "FAILED",
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function reportEvents(report: DeliveryReport): VendorEvent[] {
  const vendorStatus = report.status;
  const status = STATUS[vendorStatus.toLowerCase()];
  if (!status) return [];
  const code =
    report.error_code === undefined || report.error_code === null ? undefined : String(report.error_code).trim() || undefined;
  const failed = status === "FAILED";
  const ours = report.metadata?.switchboard_id;
  return [
    {
      type: "status",
      vendorMessageId: report.message_id,
      status,
      vendorStatus,
      errorCode: failed ? code : undefined,
      errorDescription: failed
        ? (describeError(code)?.description ??
          `MessageMedia reported the message ${vendorStatus}${code ? ` (error code ${code})` : ""}.`)
        : undefined,
      occurredAt: readTime(report.date_received),
      // Our id, echoed from the metadata we sent: finds the message even before its vendor id is stored.
      messageId: typeof ours === "string" && UUID.test(ours) ? ours : undefined,
    },
  ];
}

/**
 * A reply. MessageMedia leaves destination_number out when the message it answers had no
 * source number (the account's default sender was used): `to` is then "", and lib/messaging
 * finds the conversation by `inReplyTo`, the id MessageMedia gave our message.
 */
export function replyEvents(r: Reply): VendorEvent[] {
  return [
    {
      type: "inbound",
      from: phone(r.source_number),
      to: r.destination_number ? phone(r.destination_number) : "",
      body: r.content,
      media: [],
      vendorMessageId: r.reply_id,
      receivedAt: readTime(r.date_received),
      inReplyTo: r.message_id ?? undefined,
    },
  ];
}

export function describeError(code: string | undefined): VendorErrorInfo | undefined {
  return code ? errorTableEntry(errorTable, code) : undefined;
}

/** MessageMedia writes E.164 with its +; digits alone are given one, sender IDs are left as they are. */
function phone(value: string): string {
  const compact = value.replace(/[\s-]/g, "");
  return /^\d{7,15}$/.test(compact) ? `+${compact}` : compact;
}

/** An unreadable time is left out rather than refusing the whole report over it. */
function readTime(value: string | null | undefined): Date | undefined {
  const at = value ? new Date(value) : undefined;
  return at && !Number.isNaN(at.getTime()) ? at : undefined;
}
