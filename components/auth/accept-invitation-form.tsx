"use client";

import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { SubmitButton } from "@/components/ui/submit-button";
import { acceptInvitationAction, type FormState } from "@/lib/actions/auth";

export function AcceptInvitationForm({ token, label }: { token: string; label: string }) {
  const [state, action] = useActionState<FormState, FormData>(acceptInvitationAction, null);
  const failed = state && !state.ok ? state : null;
  return (
    <form action={action} className="space-y-4">
      {failed ? <Alert tone="error">{failed.error}</Alert> : null}
      <input type="hidden" name="token" value={token} />
      <SubmitButton className="w-full" pendingLabel="Joining…">
        {label}
      </SubmitButton>
    </form>
  );
}
