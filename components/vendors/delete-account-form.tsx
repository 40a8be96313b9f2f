"use client";

import { startTransition, useActionState, useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Spinner } from "@/components/ui/spinner";
import { deleteVendorAccountAction } from "@/lib/actions/vendors";

type Result = Awaited<ReturnType<typeof deleteVendorAccountAction>> | null;

/**
 * Deleting asks for the account's name, GitHub-style; the server refuses while numbers or queued
 * messages use it, and on success redirects to the list itself.
 */
export function DeleteAccountForm({ orgSlug, accountId, name }: { orgSlug: string; accountId: string; name: string }) {
  const [typed, setTyped] = useState("");
  const [state, action, pending] = useActionState<Result, FormData>(deleteVendorAccountAction.bind(null, orgSlug), null);
  const failure = state && !state.ok ? state : null;
  const matches = typed.trim() === name;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!matches) return;
    const data = new FormData(event.currentTarget);
    startTransition(() => action(data));
  }

  return (
    <form onSubmit={submit} className="space-y-3" noValidate>
      <input type="hidden" name="accountId" value={accountId} />
      <Field label={`Type “${name}” to confirm`} htmlFor="confirm-delete" error={failure?.fieldErrors?.confirmName}>
        <Input
          id="confirm-delete"
          name="confirmName"
          value={typed}
          onChange={(event) => setTyped(event.target.value)}
          autoComplete="off"
          spellCheck={false}
        />
      </Field>
      {failure && !failure.fieldErrors ? (
        <Alert tone="error" title="Not deleted">
          {failure.error}
        </Alert>
      ) : null}
      <Button type="submit" variant="danger" disabled={!matches || pending} aria-busy={pending || undefined} className="w-full">
        {pending ? <Spinner /> : null}
        {pending ? "Deleting…" : "Delete account"}
      </Button>
    </form>
  );
}
