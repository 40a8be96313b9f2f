"use client";

import { useRouter } from "next/navigation";
import type { FormEvent } from "react";
import { Icon } from "@/components/ui/icon";
import { Input, Select } from "@/components/ui/input";
import { inboxSearch, parseInboxQuery, type InboxQuery } from "./inbox-query";

/**
 * Search, texter and campaign: a GET form, so it works before hydration; the selects submit
 * as soon as they change. Changing a filter starts again from the newest conversation.
 */
export function InboxFilters({
  action,
  query,
  members,
  campaigns,
}: {
  action: string;
  query: InboxQuery;
  /** Only for admins and supervolunteers; texters see their own conversations only. */
  members: { userId: string; name: string }[] | null;
  campaigns: { id: string; title: string }[];
}) {
  const router = useRouter();
  // With JavaScript, the same request without the empty fields a plain GET form would add.
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const fields = Object.fromEntries([...data.entries()].map(([k, v]) => [k, String(v)]));
    router.push(`${action}${inboxSearch(parseInboxQuery(fields))}`);
  }
  return (
    <form role="search" action={action} onSubmit={submit} className="flex flex-wrap items-center gap-2">
      {query.filter !== "all" ? <input type="hidden" name="filter" value={query.filter} /> : null}
      {members ? (
        <Select
          name="texter"
          defaultValue={query.texter ?? ""}
          aria-label="Texter"
          onChange={(event) => event.currentTarget.form?.requestSubmit()}
          className="w-40 [&_select]:h-8 [&_select]:text-[13px]"
        >
          <option value="">All texters</option>
          <option value="unassigned">Unassigned</option>
          {members.map((m) => (
            <option key={m.userId} value={m.userId}>
              {m.name}
            </option>
          ))}
        </Select>
      ) : null}
      {campaigns.length > 0 ? (
        <Select
          name="campaign"
          defaultValue={query.campaign ?? ""}
          aria-label="Campaign"
          onChange={(event) => event.currentTarget.form?.requestSubmit()}
          className="w-44 [&_select]:h-8 [&_select]:text-[13px]"
        >
          <option value="">All campaigns</option>
          {campaigns.map((c) => (
            <option key={c.id} value={c.id}>
              {c.title}
            </option>
          ))}
        </Select>
      ) : null}
      <div className="relative w-full sm:w-60">
        <Icon name="search" className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-zinc-400" />
        <Input
          name="q"
          type="search"
          defaultValue={query.q}
          aria-label="Search conversations"
          placeholder="Search name or number"
          className="h-8 pl-9 text-[13px]"
        />
      </div>
      <button type="submit" className="sr-only">
        Search
      </button>
    </form>
  );
}
