"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input, Textarea } from "@/components/ui/input";
import { Spinner } from "@/components/ui/spinner";
import { createCannedResponseAction, deleteCannedResponseAction, updateCannedResponseAction } from "@/lib/actions/texting";
import type { CannedResponseView } from "@/lib/campaigns/canned-responses";

/** The campaign's canned responses: a list to edit or delete in place, and a form to add one. */
export function TexterCannedResponses({
  orgSlug,
  campaignId,
  canned,
}: {
  orgSlug: string;
  campaignId: string;
  canned: CannedResponseView[];
}) {
  return (
    <div className="space-y-4">
      {canned.length === 0 ? (
        <p className="text-sm text-zinc-500">No canned responses yet. Add the answers texters will need most.</p>
      ) : (
        <ul className="divide-y divide-zinc-100 rounded-lg border border-zinc-200">
          {canned.map((c) => (
            <li key={c.id} className="px-3 py-3">
              <CannedForm orgSlug={orgSlug} campaignId={campaignId} existing={c} />
            </li>
          ))}
        </ul>
      )}
      <CannedForm key={canned.length} orgSlug={orgSlug} campaignId={campaignId} existing={null} />
    </div>
  );
}

function CannedForm({
  orgSlug,
  campaignId,
  existing,
}: {
  orgSlug: string;
  campaignId: string;
  existing: CannedResponseView | null;
}) {
  const router = useRouter();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const prefix = existing ? `canned-${existing.id}` : "canned-new";

  function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const fields = { title: form.get("title"), body: form.get("body") };
    start(async () => {
      const result = existing
        ? await updateCannedResponseAction(orgSlug, null, { cannedResponseId: existing.id, ...fields })
        : await createCannedResponseAction(orgSlug, null, { campaignId, ...fields });
      setErrors(result.ok ? {} : (result.fieldErrors ?? {}));
      setError(result.ok || result.fieldErrors ? null : result.error);
      if (result.ok) router.refresh();
    });
  }

  function remove() {
    if (!existing) return;
    start(async () => {
      const result = await deleteCannedResponseAction(orgSlug, null, { cannedResponseId: existing.id });
      if (!result.ok) setError(result.error);
      router.refresh();
    });
  }

  return (
    <form
      onSubmit={save}
      className="space-y-2"
      aria-label={existing ? `Canned response ${existing.title}` : "New canned response"}
    >
      <Field label="Title" htmlFor={`${prefix}-title`} error={errors.title}>
        <Input id={`${prefix}-title`} name="title" defaultValue={existing?.title ?? ""} maxLength={100} />
      </Field>
      <Field label="Response" htmlFor={`${prefix}-body`} error={errors.body}>
        <Textarea id={`${prefix}-body`} name="body" rows={2} defaultValue={existing?.body ?? ""} />
      </Field>
      {error ? (
        <p role="alert" className="text-[13px] text-red-600">
          {error}
        </p>
      ) : null}
      <div className="flex gap-2">
        <Button type="submit" size="sm" variant={existing ? "secondary" : "primary"} disabled={pending}>
          {pending ? <Spinner /> : null}
          {existing ? "Save" : "Add canned response"}
        </Button>
        {existing ? (
          <Button size="sm" variant="ghost" onClick={remove} disabled={pending}>
            Delete
          </Button>
        ) : null}
      </div>
    </form>
  );
}
