import { Badge } from "@/components/ui/badge";
import { cn } from "@/components/ui/cn";
import { Icon, type IconName } from "@/components/ui/icon";
import { Spinner } from "@/components/ui/spinner";
import type { ThreadMessage } from "@/lib/conversations";
import { countSegments } from "@/lib/segments";
import { ENCODING_LABELS, formatClock, formatFull, plural, safeMediaUrl, STATUS_LABELS } from "./format";

/**
 * One message as a chat bubble: inbound on the left, ours on the right. The body is a text
 * child, never HTML: React escapes it, so "<script>" in an SMS shows as those characters.
 */
export function MessageBubble({ message, timeZone }: { message: ThreadMessage; timeZone: string }) {
  const outbound = message.direction === "OUTBOUND";
  const failed = message.status === "FAILED";
  // Inbound rows keep the column defaults; what the contact's text cost is worked out from the text.
  const size = outbound ? { segments: message.segments, encoding: message.encoding } : sizeOf(message.body);
  const media = message.media.map(safeMediaUrl);
  return (
    <li
      data-testid="message"
      data-message-id={message.id}
      data-direction={message.direction}
      data-status={message.status}
      className={cn("flex flex-col gap-1", outbound ? "items-end pl-10 sm:pl-16" : "items-start pr-10 sm:pr-16")}
    >
      {message.flag === "unknown_number" ? (
        <Badge tone="yellow" className="mb-0.5">
          <Icon name="alert" className="size-3" />
          Sent to {message.toE164}, a number this organization does not have
        </Badge>
      ) : null}
      <div
        className={cn(
          "max-w-full rounded-2xl px-3.5 py-2 text-sm leading-relaxed break-words whitespace-pre-wrap shadow-xs",
          outbound
            ? failed
              ? "rounded-br-md border border-red-200 bg-red-50 text-red-950"
              : "rounded-br-md bg-indigo-600 text-white"
            : "rounded-bl-md border border-zinc-200 bg-white text-zinc-900",
        )}
      >
        {message.body ? <p data-testid="message-body">{message.body}</p> : null}
        {media.length > 0 ? (
          <ul className={cn("space-y-0.5", message.body && "mt-1.5")}>
            {media.map((url, i) =>
              url ? (
                <li key={i}>
                  <a
                    href={url}
                    target="_blank"
                    rel="noopener noreferrer nofollow"
                    className="underline underline-offset-2 opacity-90 hover:opacity-100"
                  >
                    Attachment {i + 1}
                  </a>
                </li>
              ) : (
                <li key={i} className="opacity-80">
                  Attachment {i + 1} (not a web link)
                </li>
              ),
            )}
          </ul>
        ) : null}
      </div>
      <p className="flex flex-wrap items-center gap-x-1.5 gap-y-0.5 px-1 text-[11px] text-zinc-500">
        <time dateTime={message.createdAt} title={formatFull(message.createdAt, timeZone)} suppressHydrationWarning>
          {formatClock(message.createdAt, timeZone)}
        </time>
        {outbound ? (
          <>
            <span aria-hidden="true">·</span>
            <StatusLabel status={message.status} />
          </>
        ) : null}
        <span aria-hidden="true">·</span>
        <span>
          {plural(size.segments, "segment")} · {ENCODING_LABELS[size.encoding]}
        </span>
        {outbound && message.sentByName ? (
          <>
            <span aria-hidden="true">·</span>
            <span>{message.sentByName}</span>
          </>
        ) : null}
        {message.needsReview ? (
          <Badge tone="yellow" className="ml-0.5">
            <span title="The send was interrupted and the vendor could not say whether it went out. Check with the vendor before resending.">
              Needs review
            </span>
          </Badge>
        ) : null}
      </p>
      {failed ? (
        <p role="note" className="max-w-md px-1 text-right text-xs text-red-700">
          {message.errorDescription ?? "The vendor reported the message as failed."}
          {message.errorCode ? <span className="text-red-500"> (code {message.errorCode})</span> : null}
        </p>
      ) : null}
    </li>
  );
}

/** The mark beside each status that has one; QUEUED and RECEIVED show the word alone. */
const STATUS_MARKS: Partial<Record<ThreadMessage["status"], { icon: IconName | "spinner"; className: string }>> = {
  SENDING: { icon: "spinner", className: "gap-1" },
  SENT: { icon: "check", className: "gap-0.5" },
  DELIVERED: { icon: "check-circle", className: "gap-0.5 font-medium text-emerald-700" },
  FAILED: { icon: "alert-circle", className: "gap-0.5 font-medium text-red-700" },
};

function StatusLabel({ status }: { status: ThreadMessage["status"] }) {
  const label = STATUS_LABELS[status];
  const mark = STATUS_MARKS[status];
  if (!mark) return <span data-testid="message-status">{label}</span>;
  return (
    <span data-testid="message-status" className={cn("inline-flex items-center", mark.className)}>
      {mark.icon === "spinner" ? <Spinner className="size-3" /> : <Icon name={mark.icon} className="size-3" />}
      {label}
    </span>
  );
}

function sizeOf(body: string): { segments: number; encoding: ThreadMessage["encoding"] } {
  const info = countSegments(body);
  return { segments: Math.max(1, info.segments), encoding: info.encoding };
}
