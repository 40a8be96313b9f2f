"use client";

import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { SubmitButton } from "@/components/ui/submit-button";
import { signUpAction, type FormState } from "@/lib/actions/auth";

/** Sign-up; with an invitation token it joins that org instead of creating one. */
export function SignupForm({ invitation, orgName }: { invitation?: string; orgName?: string }) {
  const [state, action] = useActionState<FormState, FormData>(signUpAction, null);
  const failed = state && !state.ok ? state : null;
  const fieldErrors = failed?.fieldErrors ?? {};
  const general = failed && Object.keys(fieldErrors).length === 0 ? failed.error : fieldErrors.token;
  return (
    <form action={action} className="space-y-4" noValidate>
      {general ? <Alert tone="error">{general}</Alert> : null}
      {invitation ? <input type="hidden" name="invitation" value={invitation} /> : null}
      <Field label="Your name" htmlFor="name" error={fieldErrors.name}>
        <Input id="name" name="name" autoComplete="name" required defaultValue={failed?.values?.name} autoFocus />
      </Field>
      <Field label="Work email" htmlFor="email" error={fieldErrors.email}>
        <Input id="email" name="email" type="email" autoComplete="email" required defaultValue={failed?.values?.email} />
      </Field>
      <Field label="Password" htmlFor="password" error={fieldErrors.password} hint="At least 10 characters, mixing letters with digits or symbols.">
        <Input id="password" name="password" type="password" autoComplete="new-password" required />
      </Field>
      {invitation ? (
        <p className="text-sm text-zinc-600">
          You will join <strong>{orgName}</strong>.
        </p>
      ) : (
        <Field label="Organization name" htmlFor="orgName" error={fieldErrors.orgName} hint="Your team, campaign or company. You can rename it later.">
          <Input id="orgName" name="orgName" autoComplete="organization" required defaultValue={failed?.values?.orgName} />
        </Field>
      )}
      <SubmitButton className="w-full" pendingLabel="Creating your account…">
        {invitation ? "Create account and join" : "Create account"}
      </SubmitButton>
    </form>
  );
}
