import { SimInputError, type SimContext } from "./context";
import type { InboundInput } from "./twilio-webhooks";
import { receivedMessage, type PolledItem, type SentMessage } from "./state";

/** What both MessageMedia interfaces need to answer "a phone replies". */
export type MessageMediaInbound = InboundInput & { inReplyTo?: string };

type MessageMediaVendor = PolledItem["vendor"];
type PolledKind = PolledItem["kind"];

/**
 * The message a reply answers: the one `inReplyTo` names (its id, or for SOAP its recipient
 * uid), else the latest message this vendor sent to the phone. MessageMedia matches replies
 * the same way: to the last message sent to that number from the number it was sent from.
 */
export function answeredMessage(
  ctx: SimContext,
  vendor: MessageMediaVendor,
  input: MessageMediaInbound,
): SentMessage | undefined {
  const outbound = ctx.state.messages.filter(
    (m) => m.vendor === vendor && m.status !== "received" && (!input.account || m.account === input.account),
  );
  if (input.inReplyTo) {
    const found =
      outbound.find((m) => m.id === input.inReplyTo) ??
      outbound.findLast((m) => m.extra.uid === input.inReplyTo && sameNumber(m.to, input.from));
    if (!found) throw new SimInputError(`No ${vendor} message ${input.inReplyTo} to reply to`, 404);
    return found;
  }
  return outbound.findLast((m) => sameNumber(m.to, input.from));
}

/** Numbers compared by their digits: SOAP recipients come with or without the +. */
export function sameNumber(a: string, b: string): boolean {
  return digits(a) !== "" && digits(a) === digits(b);
}

function digits(number: string): string {
  return number.replace(/\D/g, "");
}

/** Records a phone's reply among the simulator's messages (GET /_sim/messages). */
export function recordReply(
  ctx: SimContext,
  vendor: MessageMediaVendor,
  account: string,
  id: string,
  input: MessageMediaInbound,
  answered: SentMessage | undefined,
): SentMessage {
  const record = receivedMessage(vendor, id, account, input, answered ? { inReplyTo: answered.id } : {});
  ctx.state.messages.push(record);
  return record;
}

/** Keeps a reply or delivery report for the account's next polls, until it is confirmed. */
export function pushPolled(
  ctx: SimContext,
  vendor: MessageMediaVendor,
  kind: PolledKind,
  account: string,
  id: string,
  data: Record<string, unknown>,
): void {
  ctx.state.polled.push({ vendor, kind, account, id, at: new Date(), data });
}

/** The account's unconfirmed replies or reports, oldest first. */
export function waitingPolled(ctx: SimContext, vendor: MessageMediaVendor, kind: PolledKind, account: string): PolledItem[] {
  return ctx.state.polled.filter((item) => item.vendor === vendor && item.kind === kind && item.account === account);
}

/** Drops the account's items with these ids; returns how many there were. */
export function confirmPolled(
  ctx: SimContext,
  vendor: MessageMediaVendor,
  kind: PolledKind,
  account: string,
  ids: Set<string>,
): number {
  const before = ctx.state.polled.length;
  const keep = ctx.state.polled.filter(
    (item) => !(item.vendor === vendor && item.kind === kind && item.account === account && ids.has(item.id)),
  );
  ctx.state.polled.splice(0, ctx.state.polled.length, ...keep);
  return before - keep.length;
}

/** One progress chain for a whole request: step k of every message runs together (a batch of 100 is one timer, not 100). */
export function inStep(chains: (() => void)[][]): (() => void)[] {
  const length = Math.max(0, ...chains.map((chain) => chain.length));
  return Array.from({ length }, (_, k) => () => chains.forEach((chain) => chain[k]?.()));
}
