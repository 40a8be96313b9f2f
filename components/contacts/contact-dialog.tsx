"use client";

import { useActionState, useEffect, useId, useRef, useState, type ReactNode } from "react";
import { Alert } from "@/components/ui/alert";
import { Button, type ButtonSize, type ButtonVariant } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Icon } from "@/components/ui/icon";
import { Input } from "@/components/ui/input";
import { SubmitButton } from "@/components/ui/submit-button";
import { createContactAction, updateContactAction } from "@/lib/actions/contacts";
import { CustomFieldsEditor } from "./custom-fields-editor";

export type EditableContact = {
  id: string;
  firstName: string;
  lastName: string;
  phone: string;
  customFields: Record<string, string>;
};

type Props = {
  orgSlug: string;
  /** Countries' names for the hint: numbers without +code are read as this country's. */
  countryName: string;
  contact?: EditableContact;
  trigger: { label: ReactNode; variant?: ButtonVariant; size?: ButtonSize; ariaLabel?: string };
};

/**
 * Add or edit a contact in a modal <dialog>: the browser gives focus trapping, Escape and
 * the backdrop. Each opening mounts a fresh form, so an earlier error never lingers.
 */
export function ContactDialog({ orgSlug, countryName, contact, trigger }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [opened, setOpened] = useState(0);
  const titleId = useId();
  const open = () => {
    setOpened((n) => n + 1);
    dialog.current?.showModal();
  };
  const close = () => dialog.current?.close();

  return (
    <>
      <Button variant={trigger.variant} size={trigger.size} onClick={open} aria-label={trigger.ariaLabel}>
        {trigger.label}
      </Button>
      <dialog
        ref={dialog}
        aria-labelledby={titleId}
        onClose={() => setOpened(0)}
        className="m-auto w-[calc(100%-2rem)] max-w-lg rounded-xl border border-zinc-200 bg-white p-0 text-left text-zinc-900 shadow-2xl shadow-zinc-950/20 backdrop:bg-zinc-950/40 backdrop:backdrop-blur-[1px]"
      >
        <div className="flex items-start justify-between gap-3 border-b border-zinc-100 px-5 py-4">
          <div>
            <h2 id={titleId} className="text-[15px] font-semibold">
              {contact ? "Edit contact" : "Add contact"}
            </h2>
            <p className="text-sm text-zinc-500">
              {contact
                ? "Changing the number looks it up again."
                : "The number is looked up with your default vendor after saving."}
            </p>
          </div>
          <Button variant="ghost" size="sm" aria-label="Close" onClick={close}>
            <Icon name="x" />
          </Button>
        </div>
        {opened > 0 ? (
          <ContactForm key={opened} orgSlug={orgSlug} countryName={countryName} contact={contact} onDone={close} />
        ) : null}
      </dialog>
    </>
  );
}

type Result = Awaited<ReturnType<typeof createContactAction>>;
/** What was typed travels with the result: React resets a form after its action, to these defaults. */
type State = { result: Result; typed: { firstName: string; lastName: string; e164: string } } | null;

function ContactForm({
  orgSlug,
  countryName,
  contact,
  onDone,
}: {
  orgSlug: string;
  countryName: string;
  contact?: EditableContact;
  onDone: () => void;
}) {
  const [state, action] = useActionState<State, FormData>(async (_previous, form) => {
    const save = contact ? updateContactAction : createContactAction;
    const typed = {
      firstName: String(form.get("firstName") ?? ""),
      lastName: String(form.get("lastName") ?? ""),
      e164: String(form.get("e164") ?? ""),
    };
    return { result: await save(orgSlug, null, form), typed };
  }, null);
  const failed = state && !state.result.ok ? state.result : null;
  const errors = failed?.fieldErrors ?? {};
  const values = state?.typed ?? { firstName: contact?.firstName, lastName: contact?.lastName, e164: contact?.phone };
  const prefix = contact ? `edit-${contact.id}` : "new-contact";

  useEffect(() => {
    if (state?.result.ok) onDone();
  }, [state, onDone]);

  return (
    <form action={action} noValidate>
      <div className="space-y-4 px-5 py-4">
        {failed && !failed.fieldErrors ? <Alert tone="error">{failed.error}</Alert> : null}
        {contact ? <input type="hidden" name="contactId" value={contact.id} /> : null}
        <div className="grid gap-4 sm:grid-cols-2">
          <Field label="First name" htmlFor={`${prefix}-first`} error={errors.firstName}>
            <Input id={`${prefix}-first`} name="firstName" defaultValue={values.firstName} maxLength={100} autoComplete="off" />
          </Field>
          <Field label="Last name" htmlFor={`${prefix}-last`} error={errors.lastName}>
            <Input id={`${prefix}-last`} name="lastName" defaultValue={values.lastName} maxLength={100} autoComplete="off" />
          </Field>
        </div>
        <Field
          label="Phone number"
          htmlFor={`${prefix}-phone`}
          error={errors.e164}
          hint={`Any format. Without a +country code it is read as a number in ${countryName}.`}
        >
          <Input
            id={`${prefix}-phone`}
            name="e164"
            type="tel"
            defaultValue={values.e164}
            required
            autoComplete="off"
            placeholder="(202) 555-0123"
          />
        </Field>
        <CustomFieldsEditor name="customFields" initial={contact?.customFields ?? {}} error={errors.customFields} />
      </div>
      <div className="flex justify-end gap-2 rounded-b-xl border-t border-zinc-100 bg-zinc-50/60 px-5 py-3">
        <Button variant="secondary" onClick={onDone}>
          Cancel
        </Button>
        <SubmitButton pendingLabel="Saving…">{contact ? "Save changes" : "Add contact"}</SubmitButton>
      </div>
    </form>
  );
}
