import { SimInputError, type SimContext } from "./context";
import type { InboundInput } from "./twilio-webhooks";
import { receivedMessage, type SentMessage } from "./state";

/** What both MessageMedia interfaces need to answer "a phone replies". */
export type MessageMediaInbound = InboundInput & { inReplyTo?: string };

type MessageMediaVendor = "messagemedia-rest" | "messagemedia-soap";

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

/** One progress chain for a whole request: step k of every message runs together (a batch of 100 is one timer, not 100). */
export function inStep(chains: (() => void)[][]): (() => void)[] {
  const length = Math.max(0, ...chains.map((chain) => chain.length));
  return Array.from({ length }, (_, k) => () => chains.forEach((chain) => chain[k]?.()));
}
