"use client";

import { useRouter } from "next/navigation";
import { startTransition, useActionState, useEffect, useRef, useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button, ButtonLink } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Spinner } from "@/components/ui/spinner";
import { saveVendorAccountAction } from "@/lib/actions/vendors";
import type { ConfigFieldDescriptor } from "@/lib/vendors/config-form";
import { ConfigField, OAuth2Connect } from "./config-field";

type Result = Awaited<ReturnType<typeof saveVendorAccountAction>> | null;

export type VendorConfigFormProps = {
  orgSlug: string;
  kind: string;
  kindName: string;
  /** Absent when connecting a new account. */
  accountId?: string;
  name: string;
  fields: ConfigFieldDescriptor[];
  /** Saved non-secret settings; secrets are never passed to the browser, only which are set. */
  values: Record<string, unknown>;
  secretsSet: string[];
};

/**
 * The settings form, generated from the adapter's config fields. Submitted by hand rather
 * than through `action=` so a refused save keeps what the owner typed (React resets forms
 * after an action); after a successful save the secret inputs are cleared again.
 */
export function VendorConfigForm({
  orgSlug,
  kind,
  kindName,
  accountId,
  name,
  fields,
  values,
  secretsSet,
}: VendorConfigFormProps) {
  const router = useRouter();
  const formRef = useRef<HTMLFormElement>(null);
  const [state, action, pending] = useActionState<Result, FormData>(saveVendorAccountAction.bind(null, orgSlug), null);
  const [watched, setWatched] = useState(() => initialWatched(fields, values));
  const isNew = !accountId;
  const failure = state && !state.ok ? state : null;
  const errors = failure?.fieldErrors ?? {};
  const placed = ["name", ...fields.filter((field) => isShown(field, watched)).map((field) => field.name)];
  const unplaced = failure && !placed.some((key) => errors[key]) ? failure.error : null;

  useEffect(() => {
    const form = formRef.current;
    if (!state || !form) return;
    if (!state.ok) {
      form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
      return;
    }
    if (isNew) {
      router.push(`/${orgSlug}/vendors/${state.data.id}`);
      return;
    }
    for (const input of form.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>(
      "[data-secret] input, [data-secret] textarea",
    ))
      input.value = "";
  }, [state, isNew, orgSlug, router]);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    startTransition(() => action(data));
  }

  function track(event: FormEvent<HTMLFormElement>) {
    const target = event.target as HTMLInputElement | HTMLSelectElement;
    if (!target.name || !(target.name in watched)) return;
    const value = target instanceof HTMLInputElement && target.type === "checkbox" ? String(target.checked) : target.value;
    setWatched((previous) => ({ ...previous, [target.name]: value }));
  }

  return (
    <form ref={formRef} onSubmit={submit} onChange={track} className="space-y-5" noValidate aria-label={`${kindName} settings`}>
      <input type="hidden" name="kind" value={kind} />
      {accountId ? <input type="hidden" name="accountId" value={accountId} /> : null}
      <Field
        label="Account name"
        htmlFor="vendor-account-name"
        error={errors.name}
        hint="How this account appears in Switchboard, e.g. which project or budget it belongs to."
      >
        <Input
          id="vendor-account-name"
          name="name"
          defaultValue={name}
          maxLength={80}
          placeholder={`e.g. ${kindName} – main`}
          autoComplete="off"
        />
      </Field>
      {fields.map((field) => {
        // Switchboard sets managed fields (OAuth2 tokens); the owner only starts the connection.
        if (field.managed) {
          return field.oauth2Connect ? (
            <OAuth2Connect key={field.name} orgSlug={orgSlug} accountId={accountId} connected={secretsSet.includes(field.name)} />
          ) : null;
        }
        const visible = isShown(field, watched);
        return (
          // Hidden fields are disabled too, so a field for another mode is not submitted.
          <fieldset
            key={field.name}
            hidden={!visible}
            disabled={!visible}
            data-secret={field.secret ? "" : undefined}
            className="min-w-0"
          >
            <ConfigField
              field={field}
              value={field.secret ? undefined : (values[field.name] ?? field.defaultValue)}
              secretIsSet={secretsSet.includes(field.name)}
              error={errors[field.name]}
            />
          </fieldset>
        );
      })}
      {unplaced ? <Alert tone="error">{unplaced}</Alert> : null}
      {state?.ok && !isNew ? (
        <Alert tone="success" title="Settings saved">
          Secrets are stored encrypted; fields you left blank kept their values.
        </Alert>
      ) : null}
      <div className="flex items-center justify-end gap-2 border-t border-zinc-100 pt-4">
        {isNew ? (
          <ButtonLink href={`/${orgSlug}/vendors`} variant="ghost">
            Cancel
          </ButtonLink>
        ) : null}
        <Button type="submit" disabled={pending || (isNew && state?.ok)} aria-busy={pending || undefined}>
          {pending ? <Spinner /> : null}
          {pending ? (isNew ? "Connecting…" : "Saving…") : isNew ? "Connect account" : "Save settings"}
        </Button>
      </div>
    </form>
  );
}

/** The current value of every field another field's showWhen refers to, as a string. */
function initialWatched(fields: ConfigFieldDescriptor[], values: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const field of fields) {
    const controller = field.showWhen?.field;
    if (!controller) continue;
    const descriptor = fields.find((f) => f.name === controller);
    const value = values[controller] ?? descriptor?.defaultValue;
    out[controller] = value === undefined || value === null ? (descriptor?.type === "boolean" ? "false" : "") : String(value);
  }
  return out;
}

function isShown(field: ConfigFieldDescriptor, watched: Record<string, string>): boolean {
  return !field.showWhen || watched[field.showWhen.field] === field.showWhen.equals;
}
