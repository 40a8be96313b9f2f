"use client";

import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { Field } from "@/components/ui/field";
import { Input, Select, Textarea } from "@/components/ui/input";
import { SubmitButton } from "@/components/ui/submit-button";
import { updateOrgSettingsAction } from "@/lib/actions/settings";

type Result = Awaited<ReturnType<typeof updateOrgSettingsAction>> | null;

export type OrgSettingsValues = {
  name: string;
  defaultCountry: string;
  timeZone: string;
  helpReply: string;
  optOutKeywords: string;
  optOutConfirmation: string;
};

export function OrgSettingsForm({ orgSlug, values, countries, timeZones }: { orgSlug: string; values: OrgSettingsValues; countries: { code: string; name: string }[]; timeZones: string[] }) {
  const [state, action] = useActionState<Result, FormData>(updateOrgSettingsAction.bind(null, orgSlug), null);
  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  return (
    <form action={action} className="space-y-5" noValidate>
      {state?.ok ? <Alert tone="success">Settings saved.</Alert> : null}
      {state && !state.ok && !state.fieldErrors ? <Alert tone="error">{state.error}</Alert> : null}
      <Field label="Organization name" htmlFor="name" error={errors.name}>
        <Input id="name" name="name" defaultValue={values.name} required />
      </Field>
      <div className="grid gap-5 sm:grid-cols-2">
        <Field label="Default country" htmlFor="defaultCountry" error={errors.defaultCountry} hint="Numbers typed without a +country code are read as this country's.">
          <Select id="defaultCountry" name="defaultCountry" defaultValue={values.defaultCountry}>
            {countries.map((c) => (
              <option key={c.code} value={c.code}>
                {c.name} ({c.code})
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Time zone" htmlFor="timeZone" error={errors.timeZone} hint="Campaign sending windows use this time zone.">
          <Select id="timeZone" name="timeZone" defaultValue={values.timeZone}>
            {timeZones.map((tz) => (
              <option key={tz} value={tz}>
                {tz}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      <Field label="HELP reply" htmlFor="helpReply" error={errors.helpReply} hint="Sent when a contact texts HELP. Leave blank for no reply.">
        <Textarea id="helpReply" name="helpReply" rows={2} defaultValue={values.helpReply} />
      </Field>
      <Field label="Extra opt-out keywords" htmlFor="optOutKeywords" error={errors.optOutKeywords} hint="Besides STOP, STOPALL, UNSUBSCRIBE, CANCEL, END and QUIT. Separate with commas.">
        <Input id="optOutKeywords" name="optOutKeywords" defaultValue={values.optOutKeywords} placeholder="REMOVE, OPTOUT" />
      </Field>
      <Field label="Opt-out confirmation" htmlFor="optOutConfirmation" error={errors.optOutConfirmation} hint="Sent once when a contact opts out. Leave blank to send nothing.">
        <Textarea id="optOutConfirmation" name="optOutConfirmation" rows={2} defaultValue={values.optOutConfirmation} />
      </Field>
      <div className="flex justify-end">
        <SubmitButton pendingLabel="Saving…">Save settings</SubmitButton>
      </div>
    </form>
  );
}
