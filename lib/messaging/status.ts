import type { MessageStatus } from "@/db/schema/messages";

/**
 * The forward-only order of an outbound message: QUEUED < SENDING < SENT < DELIVERED, with
 * FAILED and DELIVERED final. A report may only move a message forward, so duplicated
 * and out-of-order reports change nothing they should not.
 */
const RANK: Record<MessageStatus, number> = { QUEUED: 0, SENDING: 1, SENT: 2, DELIVERED: 3, FAILED: 3, RECEIVED: 3 };

export function isFinal(status: MessageStatus): boolean {
  return status === "DELIVERED" || status === "FAILED" || status === "RECEIVED";
}

export function canAdvance(from: MessageStatus, to: MessageStatus): boolean {
  return !isFinal(from) && RANK[to] > RANK[from];
}

/** Statuses a message may be in for a report of `to` to apply: every earlier, non-final one. */
export function statusesBefore(to: MessageStatus): MessageStatus[] {
  return (Object.keys(RANK) as MessageStatus[]).filter((from) => canAdvance(from, to));
}
