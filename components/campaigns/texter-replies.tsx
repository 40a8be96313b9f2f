"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState, useTransition, type FormEvent } from "react";
import { Button, ButtonLink } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { Icon } from "@/components/ui/icon";
import { Select, Textarea } from "@/components/ui/input";
import { Spinner } from "@/components/ui/spinner";
import { sendReplyAction } from "@/lib/actions/conversations";
import type { CannedResponseView } from "@/lib/campaigns/canned-responses";
import type { ReplyRow } from "@/lib/campaigns/texting";
import { countSegments } from "@/lib/segments";
import { TexterOptOut } from "./texter-opt-out";

/** How often the page asks the server for new replies while it is visible. */
export const TEXTER_REFRESH_MS = 4_000;

/**
 * Replies needing a response: the contact spoke last. Each row answers inline (typed or a
 * canned response) or opens the full conversation; the list refreshes itself, so a reply
 * arriving while the texter works the first messages shows up without a reload.
 */
export function TexterReplies({
  orgSlug,
  replies,
  canned,
  orgGoodbye,
}: {
  orgSlug: string;
  replies: ReplyRow[];
  canned: CannedResponseView[];
  orgGoodbye: string | null;
}) {
  useAutoRefresh();
  return (
    <Card>
      <CardHeader
        title="Replies needing a response"
        description={replies.length === 0 ? undefined : `${replies.length} waiting, oldest first`}
      />
      {replies.length === 0 ? (
        <p className="flex items-center gap-2 px-5 py-6 text-sm text-zinc-500">
          <Icon name="inbox" className="size-4" />
          No replies waiting. New ones appear here as they arrive.
        </p>
      ) : (
        <ul className="divide-y divide-zinc-100" data-testid="texter-replies">
          {replies.map((reply) => (
            <ReplyItem key={reply.conversationId} orgSlug={orgSlug} reply={reply} canned={canned} orgGoodbye={orgGoodbye} />
          ))}
        </ul>
      )}
    </Card>
  );
}

function ReplyItem({
  orgSlug,
  reply,
  canned,
  orgGoodbye,
}: {
  orgSlug: string;
  reply: ReplyRow;
  canned: CannedResponseView[];
  orgGoodbye: string | null;
}) {
  const router = useRouter();
  const [body, setBody] = useState("");
  const [draftKey, setDraftKey] = useState(newDraftKey);
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const name = reply.name || reply.phone;

  function send(event: FormEvent) {
    event.preventDefault();
    if (!body.trim() || pending) return;
    setError(null);
    start(async () => {
      const result = await sendReplyAction(orgSlug, null, {
        conversationId: reply.conversationId,
        body,
        idempotencyKey: draftKey,
      });
      if (!result.ok) {
        setError(result.error);
        return;
      }
      setBody("");
      setDraftKey(newDraftKey());
      router.refresh();
    });
  }

  return (
    <li className="space-y-3 px-5 py-4">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0">
          <p className="text-sm">
            <strong className="font-medium text-zinc-900">{name}</strong> <span className="text-zinc-500">{reply.phone}</span>
          </p>
          <p className="mt-1 rounded-2xl rounded-tl-sm bg-zinc-100 px-3 py-2 text-sm whitespace-pre-wrap text-zinc-800">
            {reply.lastBody}
          </p>
        </div>
        <div className="flex items-center gap-1">
          <ButtonLink variant="ghost" size="sm" href={`/${orgSlug}/conversations/${reply.conversationId}`}>
            Open conversation
            <Icon name="arrow-right" />
          </ButtonLink>
          {reply.campaignContactId ? (
            <TexterOptOut orgSlug={orgSlug} campaignContactId={reply.campaignContactId} name={name} orgGoodbye={orgGoodbye} />
          ) : null}
        </div>
      </div>
      <form onSubmit={send} className="space-y-2">
        {canned.length > 0 ? (
          <Select
            aria-label={`Canned response for ${name}`}
            value=""
            onChange={(e) => setBody(canned.find((c) => c.id === e.target.value)?.body ?? body)}
            className="max-w-xs [&_select]:h-8 [&_select]:text-[13px]"
          >
            <option value="">Insert a canned response…</option>
            {canned.map((c) => (
              <option key={c.id} value={c.id}>
                {c.title}
              </option>
            ))}
          </Select>
        ) : null}
        <Textarea
          aria-label={`Reply to ${name}`}
          rows={2}
          value={body}
          onChange={(e) => setBody(e.target.value)}
          placeholder={`Reply to ${name}…`}
        />
        <div className="flex items-center justify-between gap-2">
          <span className="text-xs text-zinc-500">{body ? `${countSegments(body).segments} segment(s)` : null}</span>
          <Button type="submit" size="sm" disabled={pending || !body.trim()}>
            {pending ? <Spinner /> : <Icon name="send" />}
            Send reply
          </Button>
        </div>
        {error ? (
          <p role="alert" className="text-[13px] text-red-600">
            {error}
          </p>
        ) : null}
      </form>
    </li>
  );
}

/** Re-renders the server page on an interval while the tab is visible; client state (drafts) survives. */
function useAutoRefresh() {
  const router = useRouter();
  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === "visible") router.refresh();
    }, TEXTER_REFRESH_MS);
    return () => clearInterval(timer);
  }, [router]);
}

/** Per draft, so a double click or a retried request sends one reply (sendReplyAction keys on it). */
function newDraftKey(): string {
  if (typeof crypto !== "undefined" && typeof crypto.randomUUID === "function") return crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}
