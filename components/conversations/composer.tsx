"use client";

import { useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useId, useState, useTransition, type FormEvent, type KeyboardEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { Icon } from "@/components/ui/icon";
import { Textarea } from "@/components/ui/input";
import { Spinner } from "@/components/ui/spinner";
import { sendReplyAction } from "@/lib/actions/conversations";
import type { Thread } from "@/lib/conversations";
import { countSegments, LIMITS, type SegmentInfo } from "@/lib/segments";
import { ENCODING_LABELS, plural } from "./format";
import { threadKey } from "./queries";

/**
 * The reply box. The counter is the same GSM-7/UCS-2 arithmetic the server stores with the
 * message, worked out as the person types. A contact who opted out or cannot be texted locks
 * it, with the reason; the server refuses such a send anyway and its words are shown here.
 */
export function Composer({
  orgSlug,
  conversationId,
  lockedReason,
  maxLength,
}: {
  orgSlug: string;
  conversationId: string;
  lockedReason: string | null;
  maxLength: number;
}) {
  const queryClient = useQueryClient();
  const [body, setBody] = useState("");
  const [draftKey, setDraftKey] = useState(newDraftKey);
  const [error, setError] = useState<string | null>(null);
  const [moved, setMoved] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const id = useId();
  const info = countSegments(body);
  const tooLong = body.length > maxLength;
  const locked = lockedReason !== null;
  const canSend = !locked && !pending && !tooLong && body.trim().length > 0;

  function send(event?: FormEvent) {
    event?.preventDefault();
    if (!canSend) return;
    setError(null);
    start(async () => {
      const result = await sendReplyAction(orgSlug, null, { conversationId, body, idempotencyKey: draftKey });
      if (!result.ok) {
        setError(result.error);
        return;
      }
      const message = result.data;
      setBody("");
      setDraftKey(newDraftKey());
      setMoved(message.movedToConversationId ?? null);
      if (!message.movedToConversationId) {
        // Shown at once; polling then moves its status along.
        queryClient.setQueryData<Thread>(threadKey(orgSlug, conversationId), (thread) =>
          thread && !thread.messages.some((m) => m.id === message.id)
            ? { ...thread, messages: [...thread.messages, message] }
            : thread,
        );
      }
      void queryClient.invalidateQueries({ queryKey: ["inbox", orgSlug] });
    });
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === "Enter" && (event.metaKey || event.ctrlKey)) send();
  }

  return (
    <form onSubmit={send} className="shrink-0 space-y-2 border-t border-zinc-200 bg-zinc-50/60 px-4 py-3" aria-label="Reply">
      {locked ? (
        <Alert tone="warning" title="You can't text this contact">
          <span data-testid="composer-locked">{lockedReason}</span>
        </Alert>
      ) : null}
      {error ? <Alert tone="error">{error}</Alert> : null}
      {moved ? (
        <Alert tone="info">
          This thread&apos;s number is no longer one of yours, so the reply went from another number.{" "}
          <Link href={`/${orgSlug}/conversations/${moved}`} className="font-medium underline underline-offset-2">
            Open that thread
          </Link>
        </Alert>
      ) : null}
      <label htmlFor={`${id}-body`} className="sr-only">
        Message
      </label>
      <Textarea
        id={`${id}-body`}
        name="body"
        rows={3}
        value={body}
        disabled={locked}
        onChange={(event) => {
          setBody(event.target.value);
          if (error) setError(null);
        }}
        onKeyDown={onKeyDown}
        placeholder={locked ? "Replies are turned off for this contact" : "Write a reply…"}
        aria-describedby={`${id}-counter${info.encoding === "UCS2" ? ` ${id}-hint` : ""}`}
        invalid={tooLong || Boolean(error)}
        className="min-h-16 resize-none bg-white"
      />
      <div className="flex flex-wrap items-center justify-between gap-x-3 gap-y-2">
        <div className={cn("min-w-0 space-y-0.5 text-xs", locked && "invisible")}>
          <p
            id={`${id}-counter`}
            data-testid="segment-counter"
            aria-live="polite"
            className={cn("tabular-nums", tooLong ? "text-red-600" : "text-zinc-500")}
          >
            {counterText(info)}
            {tooLong ? ` · over the ${maxLength.toLocaleString("en-US")}-character limit` : ""}
          </p>
          {info.encoding === "UCS2" ? (
            <p id={`${id}-hint`} data-testid="encoding-hint" className="text-amber-700">
              {ucs2Hint(info)}
            </p>
          ) : null}
        </div>
        <div className="flex items-center gap-2">
          {locked ? null : <span className="hidden text-[11px] text-zinc-400 sm:inline">Ctrl+Enter to send</span>}
          <Button type="submit" disabled={!canSend}>
            {pending ? <Spinner /> : <Icon name="send" />}
            Send
          </Button>
        </div>
      </div>
    </form>
  );
}

/** "142/160 · 1 segment · GSM-7"; a long message counts against the room of all its parts. */
function counterText(info: SegmentInfo): string {
  const limits = LIMITS[info.encoding];
  const room = info.segments <= 1 ? limits.single : info.segments * limits.part;
  return `${info.units}/${room} · ${plural(info.segments, "segment")} · ${ENCODING_LABELS[info.encoding]}`;
}

function ucs2Hint(info: SegmentInfo): string {
  const shown = info.nonGsmCharacters.slice(0, 5).map((c) => `“${c}”`);
  const more = info.nonGsmCharacters.length > 5 ? ` and ${info.nonGsmCharacters.length - 5} more` : "";
  return `UCS-2 because of ${shown.join(", ")}${more}: each segment holds 70 characters instead of 160. Replace ${info.nonGsmCharacters.length === 1 ? "it" : "them"} to fit more in each segment.`;
}

/** One key per draft: a double submit or a retried request queues the message once. */
function newDraftKey(): string {
  if (typeof crypto !== "undefined" && typeof crypto.randomUUID === "function") return crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}
