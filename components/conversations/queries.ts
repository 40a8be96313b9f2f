"use client";

import { useQuery } from "@tanstack/react-query";
import type { InboxPage, Thread } from "@/lib/conversations";

/**
 * The page polls two org routes through react-query: the inbox (with the URL's filters) and
 * the open thread. The server renders both first and hands the same shapes in as initial data,
 * so the page is complete before any JavaScript runs.
 */
export const INBOX_POLL_MS = 3_000;
export const THREAD_POLL_MS = 2_000;

export function inboxKey(orgSlug: string, search: string) {
  return ["inbox", orgSlug, search] as const;
}

export function threadKey(orgSlug: string, conversationId: string) {
  return ["thread", orgSlug, conversationId] as const;
}

export function useInbox(orgSlug: string, search: string, initial: InboxPage) {
  return useQuery({
    queryKey: inboxKey(orgSlug, search),
    queryFn: () => getJson<InboxPage>(`/api/orgs/${encodeURIComponent(orgSlug)}/conversations${search}`),
    initialData: initial,
    refetchInterval: INBOX_POLL_MS,
    refetchIntervalInBackground: false,
  });
}

export function useThread(orgSlug: string, initial: Thread) {
  const id = initial.conversation.id;
  return useQuery({
    queryKey: threadKey(orgSlug, id),
    queryFn: () => getJson<Thread>(`/api/orgs/${encodeURIComponent(orgSlug)}/conversations/${encodeURIComponent(id)}/messages`),
    initialData: initial,
    // A 404 (reassigned away from a texter) is an answer, not a hiccup: stop asking.
    refetchInterval: (query) => (query.state.error instanceof GoneError ? false : THREAD_POLL_MS),
    refetchIntervalInBackground: false,
    retry: (count, error) => !(error instanceof GoneError) && count < 1,
  });
}

/** The thread answered 404: deleted, or no longer assigned to this texter. */
export class GoneError extends Error {}

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { cache: "no-store", headers: { accept: "application/json" } });
  if (response.status === 404) throw new GoneError("not found");
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return (await response.json()) as T;
}
