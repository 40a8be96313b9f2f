"use client";

import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { CopyButton } from "@/components/ui/copy-button";
import { Field } from "@/components/ui/field";
import { Input, Select } from "@/components/ui/input";
import { SubmitButton } from "@/components/ui/submit-button";
import { inviteMemberAction } from "@/lib/actions/members";

type InviteResult = Awaited<ReturnType<typeof inviteMemberAction>> | null;

export function InviteForm({ orgSlug }: { orgSlug: string }) {
  const [state, action] = useActionState<InviteResult, FormData>(inviteMemberAction.bind(null, orgSlug), null);
  const failed = state && !state.ok ? state : null;
  return (
    <div className="space-y-4">
      <form action={action} className="grid gap-3 sm:grid-cols-[1fr_180px_auto] sm:items-end" noValidate>
        <Field label="Email (optional)" htmlFor="invite-email" error={failed?.fieldErrors?.email}>
          <Input id="invite-email" name="email" type="email" placeholder="name@example.org" />
        </Field>
        <Field label="Role" htmlFor="invite-role" error={failed?.fieldErrors?.role}>
          <Select id="invite-role" name="role" defaultValue="TEXTER">
            <option value="TEXTER">Texter</option>
            <option value="SUPERVOLUNTEER">Supervolunteer</option>
            <option value="ADMIN">Admin</option>
            <option value="OWNER">Owner</option>
          </Select>
        </Field>
        <SubmitButton pendingLabel="Creating link…">Create invitation link</SubmitButton>
      </form>
      {failed && !failed.fieldErrors ? <Alert tone="error">{failed.error}</Alert> : null}
      {state?.ok ? (
        <Alert tone="success" title="Invitation link created">
          <p className="mb-2">Send this link to the person you are inviting. It works once and expires in 7 days; it won&apos;t be shown again.</p>
          <div className="flex items-center gap-2">
            <code data-testid="invite-url" className="min-w-0 flex-1 truncate rounded bg-white/70 px-2 py-1 text-xs">
              {state.data.url}
            </code>
            <CopyButton text={state.data.url} label="Copy link" />
          </div>
        </Alert>
      ) : null}
    </div>
  );
}
