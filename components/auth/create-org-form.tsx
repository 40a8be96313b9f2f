"use client";

import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { SubmitButton } from "@/components/ui/submit-button";
import { createOrgAction, type FormState } from "@/lib/actions/auth";

export function CreateOrgForm() {
  const [state, action] = useActionState<FormState, FormData>(createOrgAction, null);
  const failed = state && !state.ok ? state : null;
  return (
    <form action={action} className="space-y-4" noValidate>
      {failed && !failed.fieldErrors ? <Alert tone="error">{failed.error}</Alert> : null}
      <Field label="Organization name" htmlFor="orgName" error={failed?.fieldErrors?.orgName}>
        <Input id="orgName" name="orgName" required defaultValue={failed?.values?.orgName} autoFocus />
      </Field>
      <SubmitButton className="w-full" pendingLabel="Creating…">
        Create organization
      </SubmitButton>
    </form>
  );
}
