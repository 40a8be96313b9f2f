"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useOptimistic, useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Select } from "@/components/ui/input";
import { Spinner } from "@/components/ui/spinner";
import { optOutContactAction, reassignConversationAction } from "@/lib/actions/conversations";
import { threadKey } from "./queries";

const ROLE_WORDS: Record<string, string> = { OWNER: "owner", ADMIN: "admin", SUPERVOLUNTEER: "supervolunteer", TEXTER: "texter" };

/** Admins and supervolunteers hand the thread to a member, or back to nobody. */
export function ReassignSelect({
  orgSlug,
  conversationId,
  assigned,
  members,
}: {
  orgSlug: string;
  conversationId: string;
  assigned: { userId: string; name: string | null } | null;
  members: { userId: string; name: string; role: string }[];
}) {
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const known = !assigned || members.some((m) => m.userId === assigned.userId);
  const [shown, setShown] = useOptimistic(assigned?.userId ?? "");

  function reassign(userId: string) {
    setError(null);
    start(async () => {
      setShown(userId);
      const result = await reassignConversationAction(orgSlug, null, { conversationId, userId });
      if (!result.ok) {
        setError(result.error);
        return;
      }
      // The action revalidates the page itself; the polled parts catch up here.
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: ["inbox", orgSlug] }),
        queryClient.invalidateQueries({ queryKey: threadKey(orgSlug, conversationId) }),
      ]);
    });
  }

  return (
    <div className="flex items-center gap-2">
      {pending ? <Spinner className="size-3.5 text-zinc-400" /> : null}
      {error ? (
        <span role="alert" className="max-w-48 text-right text-xs text-red-600">
          {error}
        </span>
      ) : null}
      <Select
        aria-label="Assigned texter"
        value={shown}
        disabled={pending}
        onChange={(event) => reassign(event.target.value)}
        className="w-52 [&_select]:h-8 [&_select]:text-[13px]"
      >
        <option value="">Unassigned</option>
        {!known && assigned ? (
          <option value={assigned.userId} disabled>
            {assigned.name ?? "Former member"}
          </option>
        ) : null}
        {members.map((m) => (
          <option key={m.userId} value={m.userId}>
            {m.name} ({ROLE_WORDS[m.role] ?? m.role.toLowerCase()})
          </option>
        ))}
      </Select>
    </div>
  );
}

/** For a contact who asks, in words, not to be texted: locks the thread like a STOP. */
export function OptOutButton({ orgSlug, conversationId, name }: { orgSlug: string; conversationId: string; name: string }) {
  const queryClient = useQueryClient();
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);

  function optOut() {
    if (!confirm(`Opt out ${name}? Nobody in your organization can text them again unless they text START.`)) return;
    setError(null);
    start(async () => {
      const result = await optOutContactAction(orgSlug, null, { conversationId });
      if (!result.ok) {
        setError(result.error);
        return;
      }
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: threadKey(orgSlug, conversationId) }),
        queryClient.invalidateQueries({ queryKey: ["inbox", orgSlug] }),
      ]);
    });
  }

  return (
    <>
      {error ? (
        <span role="alert" className="text-xs text-red-600">
          {error}
        </span>
      ) : null}
      <Button
        variant="ghost"
        size="sm"
        onClick={optOut}
        disabled={pending}
        title="Record that this contact asked not to be texted"
      >
        {pending ? <Spinner /> : null}
        Opt out
      </Button>
    </>
  );
}
