"use client";

import { useActionState, useTransition, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input, Select } from "@/components/ui/input";
import { Spinner } from "@/components/ui/spinner";
import { addNumberAction } from "@/lib/actions/numbers";

type Result = Awaited<ReturnType<typeof addNumberAction>> | null;

/** A number already provisioned with a vendor, typed any way: it is read with the org's default country. */
export function AddNumberForm({
  orgSlug,
  accounts,
  senderTypes,
}: {
  orgSlug: string;
  accounts: { id: string; name: string; kindName: string }[];
  senderTypes: { value: string; label: string }[];
}) {
  const [state, add, pending] = useActionState<Result, FormData>(addNumberAction.bind(null, orgSlug), null);
  const [, start] = useTransition();
  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    start(() => add(data));
  }

  return (
    <form onSubmit={submit} className="space-y-3" noValidate>
      <Field
        label="Phone number"
        htmlFor="add-e164"
        error={errors.e164}
        hint="As your vendor lists it, e.g. (212) 555-0142 or +44 20 7946 0958."
      >
        <Input
          id="add-e164"
          name="e164"
          type="tel"
          autoComplete="off"
          placeholder="(212) 555-0142"
          key={state?.ok ? state.data.id : "entry"}
        />
      </Field>
      <Field label="Vendor account" htmlFor="add-account" error={errors.vendorAccountId}>
        <Select id="add-account" name="vendorAccountId">
          {accounts.map((a) => (
            <option key={a.id} value={a.id}>
              {`${a.name} (${a.kindName})`}
            </option>
          ))}
        </Select>
      </Field>
      <div className="grid gap-3 sm:grid-cols-2">
        <Field label="Sender type" htmlFor="add-sender-type" error={errors.senderType}>
          <Select id="add-sender-type" name="senderType" defaultValue="LONG_CODE">
            {senderTypes.map((t) => (
              <option key={t.value} value={t.value}>
                {t.label}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Messaging service" htmlFor="add-service" error={errors.messagingServiceId}>
          <Input id="add-service" name="messagingServiceId" autoComplete="off" placeholder="Optional" />
        </Field>
      </div>
      {state && !state.ok && !state.fieldErrors ? <Alert tone="error">{state.error}</Alert> : null}
      {state?.ok ? <Alert tone="success">Added {state.data.formatted}.</Alert> : null}
      <div className="flex justify-end">
        <Button type="submit" variant="secondary" disabled={pending} aria-busy={pending || undefined}>
          {pending ? <Spinner /> : null}
          {pending ? "Adding…" : "Add number"}
        </Button>
      </div>
    </form>
  );
}
