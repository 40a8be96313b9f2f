"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input, Select } from "@/components/ui/input";
import { Spinner } from "@/components/ui/spinner";
import { reassignContactsAction, splitContactsAction } from "@/lib/actions/texting";
import type { AssignmentSummary } from "@/lib/campaigns/assignments";

type Outcome = { tone: "error" | "success"; text: string; fieldErrors?: Record<string, string> } | null;

/**
 * Split: tick the texters; leave the counts blank to share the unassigned contacts evenly,
 * or give a count per texter. Arrays go to the action as JSON, not FormData, so order holds.
 */
export function TexterSplitForm({ orgSlug, summary }: { orgSlug: string; summary: AssignmentSummary }) {
  const router = useRouter();
  const [chosen, setChosen] = useState<Record<string, string | undefined>>({});
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [pending, start] = useTransition();
  const userIds = Object.keys(chosen);

  function submit(event: FormEvent) {
    event.preventDefault();
    const counts = userIds.map((id) => chosen[id] ?? "");
    const byCount = counts.some((c) => c.trim() !== "");
    start(async () => {
      const result = await splitContactsAction(orgSlug, null, {
        campaignId: summary.campaign.id,
        userIds,
        ...(byCount ? { counts: counts.map((c) => (c.trim() === "" ? "0" : c)) } : {}),
      });
      if (!result.ok) return setOutcome({ tone: "error", text: result.error, fieldErrors: result.fieldErrors });
      const total = Object.values(result.data.assigned).reduce((a, b) => a + b, 0);
      setOutcome({
        tone: "success",
        text: `Assigned ${total} contact${total === 1 ? "" : "s"}; ${result.data.unassigned} still unassigned.`,
      });
      setChosen({});
      router.refresh();
    });
  }

  return (
    <form onSubmit={submit} className="space-y-4" aria-label="Split contacts">
      <p className="text-sm text-zinc-600">
        <strong className="font-semibold text-zinc-900">{summary.unassigned}</strong> unassigned contact
        {summary.unassigned === 1 ? "" : "s"} waiting for a first message.
      </p>
      <ul className="divide-y divide-zinc-100 rounded-lg border border-zinc-200">
        {summary.members.map((m) => (
          <li key={m.userId} className="flex items-center justify-between gap-3 px-3 py-2">
            <label className="flex items-center gap-2 text-sm">
              <input
                type="checkbox"
                checked={m.userId in chosen}
                onChange={(e) =>
                  setChosen(({ [m.userId]: _dropped, ...rest }) => (e.target.checked ? { ...rest, [m.userId]: "" } : rest))
                }
              />
              {m.name} <span className="text-xs text-zinc-500">{m.role.toLowerCase()}</span>
            </label>
            {m.userId in chosen ? (
              <Input
                aria-label={`Contacts for ${m.name}`}
                inputMode="numeric"
                placeholder="even share"
                value={chosen[m.userId] ?? ""}
                onChange={(e) => setChosen((c) => ({ ...c, [m.userId]: e.target.value }))}
                className="h-8 w-32"
              />
            ) : null}
          </li>
        ))}
      </ul>
      {outcome ? (
        <Alert tone={outcome.tone}>{outcome.fieldErrors?.counts ?? outcome.fieldErrors?.userIds ?? outcome.text}</Alert>
      ) : null}
      <Button type="submit" disabled={pending || userIds.length === 0 || summary.unassigned === 0}>
        {pending ? <Spinner /> : null}
        Assign contacts
      </Button>
    </form>
  );
}

/** Moves a texter's unsent contacts: some or all, to another texter or back to unassigned. */
export function TexterReassignForm({ orgSlug, summary }: { orgSlug: string; summary: AssignmentSummary }) {
  const router = useRouter();
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [pending, start] = useTransition();
  const withPending = summary.texters.filter((t) => t.pending > 0);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    start(async () => {
      const result = await reassignContactsAction(orgSlug, null, {
        campaignId: summary.campaign.id,
        fromUserId: form.get("fromUserId"),
        toUserId: form.get("toUserId"),
        count: form.get("count"),
      });
      if (!result.ok) return setOutcome({ tone: "error", text: result.error, fieldErrors: result.fieldErrors });
      setOutcome({ tone: "success", text: `Moved ${result.data.moved} contact${result.data.moved === 1 ? "" : "s"}.` });
      router.refresh();
    });
  }

  if (withPending.length === 0) return <p className="text-sm text-zinc-500">No texter has unsent contacts to move.</p>;
  const errors = outcome?.fieldErrors ?? {};
  return (
    <form onSubmit={submit} className="grid gap-4 sm:grid-cols-3" aria-label="Reassign contacts">
      <Field label="From" htmlFor="reassign-from" error={errors.fromUserId}>
        <Select id="reassign-from" name="fromUserId">
          {withPending.map((t) => (
            <option key={t.userId} value={t.userId}>
              {t.name} ({t.pending} unsent)
            </option>
          ))}
        </Select>
      </Field>
      <Field label="To" htmlFor="reassign-to" error={errors.toUserId}>
        <Select id="reassign-to" name="toUserId" defaultValue="">
          <option value="">Unassigned</option>
          {summary.members.map((m) => (
            <option key={m.userId} value={m.userId}>
              {m.name}
            </option>
          ))}
        </Select>
      </Field>
      <Field label="How many" htmlFor="reassign-count" error={errors.count} hint="Blank moves all unsent">
        <Input id="reassign-count" name="count" inputMode="numeric" placeholder="all" />
      </Field>
      {outcome && !errors.fromUserId && !errors.toUserId && !errors.count ? (
        <Alert tone={outcome.tone} className="sm:col-span-3">
          {outcome.text}
        </Alert>
      ) : null}
      <div className="sm:col-span-3">
        <Button type="submit" variant="secondary" disabled={pending}>
          {pending ? <Spinner /> : null}
          Reassign
        </Button>
      </div>
    </form>
  );
}
