"use client";

import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { SubmitButton } from "@/components/ui/submit-button";
import { createApiKeyAction, revokeApiKeyAction } from "@/lib/actions/api-keys";

type CreateResult = Awaited<ReturnType<typeof createApiKeyAction>> | null;
type Result = { ok: boolean; error?: string } | null;

export function CreateApiKeyForm({ orgSlug }: { orgSlug: string }) {
  const [state, action] = useActionState<CreateResult, FormData>(createApiKeyAction.bind(null, orgSlug), null);
  const failed = state && !state.ok ? state : null;
  return (
    <div className="space-y-4">
      <form action={action} className="flex flex-col gap-3 sm:flex-row sm:items-end" noValidate>
        <div className="flex-1">
          <Field label="Key name" htmlFor="key-name" error={failed?.fieldErrors?.name} hint="The system that will use it, e.g. “Rostering app”.">
            <Input id="key-name" name="name" required maxLength={80} />
          </Field>
        </div>
        <SubmitButton pendingLabel="Creating…">Create key</SubmitButton>
      </form>
      {failed && !failed.fieldErrors ? <Alert tone="error">{failed.error}</Alert> : null}
      {state?.ok ? (
        <Alert tone="success" title={`Key “${state.data.name}” created`}>
          <p className="mb-2">Copy it now: it is stored hashed and can&apos;t be shown again.</p>
          <div className="flex items-center gap-2">
            <code data-testid="api-key" className="min-w-0 flex-1 truncate rounded bg-white/70 px-2 py-1 text-xs">
              {state.data.key}
            </code>
            <CopyButton text={state.data.key} label="Copy key" />
          </div>
        </Alert>
      ) : null}
    </div>
  );
}

export function RevokeApiKeyButton({ orgSlug, keyId, name }: { orgSlug: string; keyId: string; name: string }) {
  const [state, action, pending] = useActionState<Result, FormData>(revokeApiKeyAction.bind(null, orgSlug), null);
  return (
    <form
      action={action}
      onSubmit={(event) => {
        if (!confirm(`Revoke “${name}”? Systems using it will get 401 from now on.`)) event.preventDefault();
      }}
      className="flex items-center justify-end gap-2"
    >
      {state && !state.ok ? <span role="alert" className="text-[13px] text-red-600">{state.error}</span> : null}
      <input type="hidden" name="keyId" value={keyId} />
      <Button variant="ghost" size="sm" type="submit" disabled={pending}>
        Revoke
      </Button>
    </form>
  );
}
