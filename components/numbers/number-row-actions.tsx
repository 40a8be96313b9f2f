"use client";

import { useActionState, useEffect, useRef, useTransition, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input, Select } from "@/components/ui/input";
import { Spinner } from "@/components/ui/spinner";
import { assignNumberAction, releaseNumberAction, updateNumberSettingsAction } from "@/lib/actions/numbers";

type Result = { ok: boolean; error?: string } | null;

export function AssignTexterSelect({
  orgSlug,
  numberId,
  number,
  assigned,
  members,
}: {
  orgSlug: string;
  numberId: string;
  number: string;
  assigned: { userId: string; name: string; isMember: boolean } | null;
  members: { userId: string; name: string }[];
}) {
  const [state, action, pending] = useActionState<Result, FormData>(assignNumberAction.bind(null, orgSlug), null);
  return (
    <form action={action} className="flex items-center gap-2">
      <input type="hidden" name="numberId" value={numberId} />
      <Select
        name="userId"
        defaultValue={assigned?.userId ?? ""}
        key={assigned?.userId ?? "none"}
        aria-label={`Texter for ${number}`}
        disabled={pending}
        onChange={(event) => event.currentTarget.form?.requestSubmit()}
        className="h-8 w-40 text-[13px] [&_select]:h-8 [&_select]:text-[13px]"
      >
        <option value="">Unassigned</option>
        {assigned && !assigned.isMember ? (
          <option value={assigned.userId} disabled>
            {assigned.name} (left)
          </option>
        ) : null}
        {members.map((m) => (
          <option key={m.userId} value={m.userId}>
            {m.name}
          </option>
        ))}
      </Select>
      {pending ? <Spinner className="size-3.5 text-zinc-400" /> : null}
      {state && !state.ok ? (
        <span role="alert" className="text-[13px] text-red-600">
          {state.error}
        </span>
      ) : null}
    </form>
  );
}

export function ReleaseNumberButton({
  orgSlug,
  numberId,
  number,
  accountName,
  atVendor,
}: {
  orgSlug: string;
  numberId: string;
  number: string;
  accountName: string;
  atVendor: boolean;
}) {
  const [state, action, pending] = useActionState<Result, FormData>(releaseNumberAction.bind(null, orgSlug), null);
  const question = atVendor
    ? `Release ${number}? It goes back to ${accountName}'s vendor: texts to it stop arriving here, and you may not get it back.`
    : `Remove ${number} from Switchboard? ${accountName} can't release numbers through Switchboard, so it stays with your vendor.`;
  return (
    <form
      action={action}
      onSubmit={(event) => {
        if (!confirm(question)) event.preventDefault();
      }}
      className="flex items-center justify-end gap-2"
    >
      {state && !state.ok ? (
        <span role="alert" className="max-w-56 text-right text-[13px] text-red-600">
          {state.error}
        </span>
      ) : null}
      <input type="hidden" name="numberId" value={numberId} />
      <Button variant="ghost" size="sm" type="submit" disabled={pending}>
        {pending ? <Spinner /> : null}
        {atVendor ? "Release" : "Remove"}
      </Button>
    </form>
  );
}

type SettingsResult = Awaited<ReturnType<typeof updateNumberSettingsAction>> | null;

/** Sender type, rate override and messaging service of one number, in a modal dialog. */
export function NumberSettingsButton({
  orgSlug,
  numberId,
  number,
  values,
  senderTypes,
}: {
  orgSlug: string;
  numberId: string;
  number: string;
  values: { senderType: string; rate: number | null; messagingServiceId: string | null };
  senderTypes: { value: string; label: string; defaultRate: number }[];
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [state, save, pending] = useActionState<SettingsResult, FormData>(updateNumberSettingsAction.bind(null, orgSlug), null);
  const [, start] = useTransition();
  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};

  useEffect(() => {
    if (state?.ok) dialog.current?.close();
  }, [state]);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    start(() => save(data));
  }

  return (
    <>
      <Button variant="ghost" size="sm" onClick={() => dialog.current?.showModal()} aria-label={`Edit ${number}`}>
        Edit
      </Button>
      <dialog
        ref={dialog}
        aria-labelledby={`settings-${numberId}-title`}
        className="m-auto w-[min(28rem,calc(100vw-2rem))] rounded-xl border border-zinc-200 bg-white p-0 text-left shadow-xl backdrop:bg-zinc-950/40"
      >
        <form onSubmit={submit} className="space-y-4 p-5" noValidate>
          <div>
            <h2 id={`settings-${numberId}-title`} className="text-[15px] font-semibold text-zinc-900">
              {number}
            </h2>
            <p className="text-sm text-zinc-500">How this number sends.</p>
          </div>
          <input type="hidden" name="numberId" value={numberId} />
          <Field label="Sender type" htmlFor={`settings-${numberId}-type`} error={errors.senderType}>
            <Select id={`settings-${numberId}-type`} name="senderType" defaultValue={values.senderType}>
              {senderTypes.map((t) => (
                <option key={t.value} value={t.value}>
                  {`${t.label} (default ${t.defaultRate}/s)`}
                </option>
              ))}
            </Select>
          </Field>
          <Field
            label="Sending rate override (messages per second)"
            htmlFor={`settings-${numberId}-rate`}
            error={errors.rate}
            hint="Leave blank to use the sender type's default."
          >
            <Input
              id={`settings-${numberId}-rate`}
              name="rate"
              type="number"
              min={0.1}
              step="any"
              defaultValue={values.rate ?? ""}
              placeholder="Default"
            />
          </Field>
          <Field label="Messaging service" htmlFor={`settings-${numberId}-service`} error={errors.messagingServiceId}>
            <Input
              id={`settings-${numberId}-service`}
              name="messagingServiceId"
              defaultValue={values.messagingServiceId ?? ""}
              placeholder="None"
              autoComplete="off"
            />
          </Field>
          {state && !state.ok && !state.fieldErrors ? <Alert tone="error">{state.error}</Alert> : null}
          <div className="flex justify-end gap-2 border-t border-zinc-100 pt-4">
            <Button variant="secondary" onClick={() => dialog.current?.close()}>
              Cancel
            </Button>
            <Button type="submit" disabled={pending}>
              {pending ? <Spinner /> : null}
              Save
            </Button>
          </div>
        </form>
      </dialog>
    </>
  );
}
