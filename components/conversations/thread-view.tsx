"use client";

import { useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { Fragment, useEffect, useLayoutEffect, useRef } from "react";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Icon } from "@/components/ui/icon";
import { markReadAction } from "@/lib/actions/conversations";
import type { Thread, ThreadHeader, ThreadMessage } from "@/lib/conversations";
import { Composer } from "./composer";
import { formatDayLabel, sameDay } from "./format";
import { MessageBubble } from "./message-bubble";
import { GoneError, threadKey, useThread } from "./queries";
import { OptOutButton, ReassignSelect } from "./thread-actions";

export type ThreadViewProps = {
  orgSlug: string;
  initial: Thread;
  timeZone: string;
  maxLength: number;
  backHref: string;
  /** Present for admins and supervolunteers, who may hand the thread to someone else. */
  members: { userId: string; name: string; role: string }[] | null;
  viewerId: string;
};

/** An open thread: polled every ~2 s, so replies, delivery reports and an opt-out show up by themselves. */
export function ThreadView({ orgSlug, initial, timeZone, maxLength, backHref, members, viewerId }: ThreadViewProps) {
  const { data, error } = useThread(orgSlug, initial);
  const { conversation, messages } = data;
  useMarkRead(orgSlug, conversation);
  const gone = error instanceof GoneError;

  return (
    <div className="flex min-h-0 flex-1 flex-col" data-testid="thread" data-conversation-id={conversation.id}>
      <ThreadHeaderBar orgSlug={orgSlug} conversation={conversation} backHref={backHref} members={members} viewerId={viewerId} />
      {gone ? (
        <div className="border-b border-zinc-200 px-4 py-3">
          <Alert tone="warning" title="This conversation is no longer available to you">
            It may have been reassigned to someone else.{" "}
            <Link href={backHref} className="font-medium underline underline-offset-2">
              Back to your conversations
            </Link>
          </Alert>
        </div>
      ) : null}
      <MessageList messages={messages} truncated={data.truncated} timeZone={timeZone} />
      {gone ? null : (
        <Composer
          orgSlug={orgSlug}
          conversationId={conversation.id}
          lockedReason={conversation.lockedReason}
          maxLength={maxLength}
        />
      )}
    </div>
  );
}

function ThreadHeaderBar({
  orgSlug,
  conversation,
  backHref,
  members,
  viewerId,
}: {
  orgSlug: string;
  conversation: ThreadHeader;
  backHref: string;
  members: ThreadViewProps["members"];
  viewerId: string;
}) {
  const { contact } = conversation;
  const title = contact.name || contact.phone;
  const details = [
    contact.name ? contact.phone : null,
    conversation.ourPhone ? `via ${conversation.ourPhone}` : "no number of ours yet",
    conversation.campaignTitle ? `Campaign: ${conversation.campaignTitle}` : null,
  ].filter(Boolean);
  return (
    <header className="flex shrink-0 flex-wrap items-center justify-between gap-x-3 gap-y-2 border-b border-zinc-200 px-4 py-3 sm:flex-nowrap">
      <div className="flex min-w-0 flex-1 items-center gap-2">
        <Link
          href={backHref}
          aria-label="Back to the inbox"
          className="-ml-1 rounded-md p-1 text-zinc-500 hover:bg-zinc-100 hover:text-zinc-900 lg:hidden"
        >
          <Icon name="arrow-left" />
        </Link>
        <div className="min-w-0">
          <h2 className="flex items-center gap-2 truncate text-[15px] font-semibold text-zinc-900">
            <span className="truncate">{title}</span>
            {contact.optedOutAt ? <Badge tone="red">Opted out</Badge> : null}
            {!conversation.hasOurNumber && conversation.ourE164?.startsWith("+") ? (
              <Badge tone="yellow">Unknown number</Badge>
            ) : null}
          </h2>
          <p className="truncate text-xs text-zinc-500 tabular-nums" title={details.join(" · ")}>
            {details.join(" · ")}
          </p>
        </div>
      </div>
      <div className="flex shrink-0 items-center gap-1">
        {conversation.lockedReason ? null : <OptOutButton orgSlug={orgSlug} conversationId={conversation.id} name={title} />}
        {members ? (
          <ReassignSelect
            orgSlug={orgSlug}
            conversationId={conversation.id}
            assigned={
              conversation.assignedUserId ? { userId: conversation.assignedUserId, name: conversation.assignedName } : null
            }
            members={members}
          />
        ) : (
          <span className="text-xs text-zinc-500">{conversation.assignedUserId === viewerId ? "Assigned to you" : null}</span>
        )}
      </div>
    </header>
  );
}

function MessageList({ messages, truncated, timeZone }: { messages: ThreadMessage[]; truncated: boolean; timeZone: string }) {
  const scroller = useRef<HTMLDivElement>(null);
  const seen = useRef<{ count: number; nearBottom: boolean }>({ count: 0, nearBottom: true });

  // Start at the newest message; follow new ones only when the reader is already at the bottom.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const grew = messages.length > seen.current.count;
    const mine = messages.at(-1)?.direction === "OUTBOUND";
    if (seen.current.count === 0 || (grew && (seen.current.nearBottom || mine))) el.scrollTop = el.scrollHeight;
    seen.current.count = messages.length;
  }, [messages]);

  // Stay pinned to the newest message when the pane changes size (a phone rotating, the composer growing).
  useEffect(() => {
    const el = scroller.current;
    if (!el || typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(() => {
      if (seen.current.nearBottom) el.scrollTop = el.scrollHeight;
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  return (
    <div
      ref={scroller}
      onScroll={(event) => {
        const el = event.currentTarget;
        seen.current.nearBottom = el.scrollHeight - el.scrollTop - el.clientHeight < 120;
      }}
      className="min-h-0 flex-1 overflow-y-auto bg-zinc-50/70 px-4 py-4"
    >
      {truncated ? (
        <p className="mb-4 text-center text-xs text-zinc-400">Showing the latest {messages.length} messages.</p>
      ) : null}
      {messages.length === 0 ? (
        <p className="py-10 text-center text-sm text-zinc-500">No messages in this conversation yet.</p>
      ) : (
        <ol aria-label="Messages" className="space-y-3">
          {messages.map((message, i) => {
            const previous = messages[i - 1];
            const newDay = !previous || !sameDay(previous.createdAt, message.createdAt, timeZone);
            return (
              <Fragment key={message.id}>
                {newDay ? (
                  <li aria-hidden="true" className="flex items-center gap-3 py-1 text-[11px] font-medium text-zinc-400">
                    <span className="h-px flex-1 bg-zinc-200" />
                    <span suppressHydrationWarning>{formatDayLabel(message.createdAt, timeZone)}</span>
                    <span className="h-px flex-1 bg-zinc-200" />
                  </li>
                ) : null}
                <MessageBubble message={message} timeZone={timeZone} />
              </Fragment>
            );
          })}
        </ol>
      )}
    </div>
  );
}

/** Opening a thread reads it, and so does a message arriving while it is open. */
function useMarkRead(orgSlug: string, conversation: ThreadHeader) {
  const queryClient = useQueryClient();
  const busy = useRef(false);
  const { id, unread } = conversation;
  useEffect(() => {
    if (!unread || busy.current || document.visibilityState === "hidden") return;
    busy.current = true;
    void markReadAction(orgSlug, null, { conversationId: id })
      .then(() =>
        Promise.all([
          queryClient.invalidateQueries({ queryKey: threadKey(orgSlug, id) }),
          queryClient.invalidateQueries({ queryKey: ["inbox", orgSlug] }),
        ]),
      )
      .catch(() => {})
      .finally(() => {
        busy.current = false;
      });
  }, [orgSlug, id, unread, queryClient]);
}
