"use client";

import Link, { useLinkStatus } from "next/link";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/components/ui/cn";
import { Icon } from "@/components/ui/icon";
import type { InboxPage, InboxRow } from "@/lib/conversations";
import { formatFull, formatInboxTime } from "./format";
import { INBOX_FILTER_LABELS, INBOX_FILTERS, inboxSearch, type InboxFilter, type InboxQuery } from "./inbox-query";
import { useInbox } from "./queries";

type InboxProps = { orgSlug: string; query: InboxQuery; initial: InboxPage };

/** Filter tabs with live counts; they share the list's polled query, so there is one request. */
export function InboxTabs({ orgSlug, query, initial }: InboxProps) {
  const { data } = useInbox(orgSlug, inboxSearch(query), initial);
  const base = `/${orgSlug}/conversations`;
  const count = (filter: InboxFilter) =>
    filter === "unread" ? data.counts.unread : filter === "needs-reply" ? data.counts.needsReply : null;
  return (
    <nav aria-label="Filter conversations" className="-mx-1 flex gap-1 overflow-x-auto px-1 py-1">
      {INBOX_FILTERS.map((filter) => {
        const active = filter === query.filter;
        const n = count(filter);
        return (
          <Link
            key={filter}
            href={`${base}${inboxSearch({ ...query, filter, before: undefined })}`}
            aria-current={active ? "page" : undefined}
            className={cn(
              "inline-flex h-8 shrink-0 items-center gap-1.5 rounded-lg px-2.5 text-[13px] font-medium whitespace-nowrap transition-colors",
              active
                ? "bg-white text-zinc-900 shadow-xs ring-1 ring-zinc-200"
                : "text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900",
            )}
          >
            {INBOX_FILTER_LABELS[filter]}
            {n !== null && n > 0 ? (
              <span
                data-testid={`count-${filter}`}
                className={cn(
                  "rounded-md px-1.5 text-xs tabular-nums",
                  active ? "bg-indigo-50 text-indigo-700" : "bg-zinc-200/60 text-zinc-600",
                )}
              >
                {n > 999 ? "999+" : n.toLocaleString("en-US")}
              </span>
            ) : null}
            <LinkPending />
          </Link>
        );
      })}
    </nav>
  );
}

/** The conversation list: newest activity first, polled, with an "Older" link carrying the keyset cursor. */
export function InboxList({
  orgSlug,
  query,
  initial,
  selectedId,
  timeZone,
  showAssignee,
}: InboxProps & { selectedId: string | null; timeZone: string; showAssignee: boolean }) {
  const { data, isError } = useInbox(orgSlug, inboxSearch(query), initial);
  const base = `/${orgSlug}/conversations`;
  const filtered = query.filter !== "all" || Boolean(query.q || query.texter || query.campaign);
  return (
    <div className="flex min-h-0 flex-1 flex-col">
      {isError ? (
        <p role="status" className="border-b border-amber-200 bg-amber-50 px-4 py-1.5 text-xs text-amber-800">
          Can&apos;t reach the server; still trying…
        </p>
      ) : null}
      {data.rows.length === 0 ? (
        <div className="flex flex-1 flex-col items-center justify-center px-6 py-12 text-center">
          <Icon name="inbox" className="mb-3 size-6 text-zinc-300" />
          {filtered || query.before ? (
            <>
              <p className="text-sm font-medium text-zinc-900">
                {query.before ? "No older conversations" : "No conversations match"}
              </p>
              <p className="mt-1 max-w-60 text-[13px] text-zinc-500">
                {query.q
                  ? "Search by the contact's name or any part of their number."
                  : "Try another filter, or show everything."}
              </p>
              <Link href={base} className="mt-3 text-[13px] font-medium text-indigo-600 hover:text-indigo-500">
                Show all conversations
              </Link>
            </>
          ) : (
            <>
              <p className="text-sm font-medium text-zinc-900">No conversations yet</p>
              <p className="mt-1 max-w-60 text-[13px] text-zinc-500">
                Threads appear here as soon as they start, without reloading.
              </p>
            </>
          )}
        </div>
      ) : (
        <ul aria-label="Conversations" className="min-h-0 flex-1 divide-y divide-zinc-100 overflow-y-auto">
          {data.rows.map((row) => (
            <InboxItem
              key={row.id}
              row={row}
              href={`${base}/${row.id}${inboxSearch(query)}`}
              selected={row.id === selectedId}
              timeZone={timeZone}
              showAssignee={showAssignee}
            />
          ))}
        </ul>
      )}
      {query.before || data.next ? (
        <div className="flex shrink-0 items-center justify-between gap-2 border-t border-zinc-100 px-3 py-2">
          {query.before ? (
            <Link
              href={`${base}${inboxSearch({ ...query, before: undefined })}`}
              className="text-[13px] font-medium text-zinc-600 hover:text-zinc-900"
            >
              Newest
            </Link>
          ) : (
            <span />
          )}
          {data.next ? (
            <Link
              href={`${base}${inboxSearch({ ...query, before: data.next })}`}
              className="inline-flex items-center gap-1 text-[13px] font-medium text-indigo-600 hover:text-indigo-500"
            >
              Older
              <Icon name="arrow-right" className="size-3.5" />
              <LinkPending />
            </Link>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}

function InboxItem({
  row,
  href,
  selected,
  timeZone,
  showAssignee,
}: {
  row: InboxRow;
  href: string;
  selected: boolean;
  timeZone: string;
  showAssignee: boolean;
}) {
  const title = row.contact.name || row.contact.phone;
  return (
    <li data-testid="inbox-row" data-conversation-id={row.id} data-unread={row.unread || undefined}>
      <Link
        href={href}
        aria-current={selected ? "page" : undefined}
        className={cn(
          "relative flex gap-3 px-4 py-3 outline-none transition-colors focus-visible:bg-indigo-50/60",
          selected ? "bg-indigo-50/70" : "hover:bg-zinc-50",
        )}
      >
        {selected ? <span aria-hidden="true" className="absolute inset-y-0 left-0 w-0.5 bg-indigo-500" /> : null}
        <span className="mt-1.5 flex w-2 shrink-0 justify-center">
          {row.unread ? <span className="size-2 rounded-full bg-indigo-600" title="Unread" /> : null}
        </span>
        <span className="min-w-0 flex-1">
          <span className="flex items-baseline justify-between gap-2">
            <span className={cn("truncate text-sm", row.unread ? "font-semibold text-zinc-900" : "font-medium text-zinc-800")}>
              {title}
            </span>
            <time
              dateTime={row.lastMessageAt}
              title={formatFull(row.lastMessageAt, timeZone)}
              className="shrink-0 text-xs text-zinc-500 tabular-nums"
              suppressHydrationWarning
            >
              {formatInboxTime(row.lastMessageAt, timeZone)}
            </time>
          </span>
          {row.contact.name ? <span className="block text-xs text-zinc-500 tabular-nums">{row.contact.phone}</span> : null}
          <span className={cn("mt-0.5 line-clamp-2 text-[13px] break-words", row.unread ? "text-zinc-700" : "text-zinc-500")}>
            {preview(row)}
          </span>
          <RowBadges row={row} showAssignee={showAssignee} />
        </span>
        {row.unread ? <span className="sr-only">(unread)</span> : null}
      </Link>
    </li>
  );
}

function RowBadges({ row, showAssignee }: { row: InboxRow; showAssignee: boolean }) {
  const badges = [
    row.contact.optedOut ? (
      <Badge key="opted-out" tone="red">
        Opted out
      </Badge>
    ) : null,
    !row.contact.optedOut && row.contact.untextable ? (
      <Badge key="untextable" tone="yellow">
        Can&apos;t text
      </Badge>
    ) : null,
    row.flags.failed ? (
      <Badge key="failed" tone="red">
        Failed
      </Badge>
    ) : null,
    row.flags.unknownNumber ? (
      <Badge key="unknown" tone="yellow">
        Unknown number
      </Badge>
    ) : null,
    row.flags.needsReview ? (
      <Badge key="review" tone="yellow">
        Needs review
      </Badge>
    ) : null,
  ].filter(Boolean);
  if (badges.length === 0 && !showAssignee && !row.campaignTitle) return null;
  return (
    <span className="mt-1.5 flex flex-wrap items-center gap-1">
      {badges}
      {row.campaignTitle ? (
        <span className="max-w-32 truncate text-[11px] text-zinc-500" title={`Campaign: ${row.campaignTitle}`}>
          {row.campaignTitle}
        </span>
      ) : null}
      {showAssignee ? (
        <span
          className="ml-auto max-w-28 truncate text-[11px] text-zinc-400"
          title={row.assignedName ? `Assigned to ${row.assignedName}` : "Not assigned"}
        >
          {row.assignedName ?? "Unassigned"}
        </span>
      ) : null}
    </span>
  );
}

/** Plain text: React escapes it, so a body with markup shows as the characters it is. */
function preview(row: InboxRow): string {
  if (!row.preview) return "No messages yet";
  const you = row.preview.direction === "OUTBOUND" ? "You: " : "";
  const text = row.preview.body.replace(/\s+/g, " ").trim();
  if (!text && row.preview.media > 0)
    return `${you}${row.preview.media === 1 ? "An attachment" : `${row.preview.media} attachments`}`;
  return `${you}${text.slice(0, 200)}`;
}

function LinkPending() {
  const { pending } = useLinkStatus();
  if (!pending) return null;
  return (
    <span
      role="status"
      aria-label="Loading"
      className="size-3 animate-spin rounded-full border-2 border-zinc-300 border-t-indigo-500"
    />
  );
}
