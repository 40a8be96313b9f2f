"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Select } from "@/components/ui/input";
import { changeMemberRoleAction, removeMemberAction, revokeInvitationAction } from "@/lib/actions/members";

type Result = { ok: boolean; error?: string } | null;

export function MemberRoleSelect({ orgSlug, membershipId, role }: { orgSlug: string; membershipId: string; role: string }) {
  const [state, action, pending] = useActionState<Result, FormData>(changeMemberRoleAction.bind(null, orgSlug), null);
  return (
    <form action={action} className="flex items-center gap-2">
      <input type="hidden" name="membershipId" value={membershipId} />
      <Select
        name="role"
        defaultValue={role}
        aria-label="Role"
        disabled={pending}
        onChange={(event) => event.currentTarget.form?.requestSubmit()}
        className="h-8 w-40 text-[13px]"
      >
        <option value="TEXTER">Texter</option>
        <option value="SUPERVOLUNTEER">Supervolunteer</option>
        <option value="ADMIN">Admin</option>
        <option value="OWNER">Owner</option>
      </Select>
      {state && !state.ok ? <span role="alert" className="text-[13px] text-red-600">{state.error}</span> : null}
    </form>
  );
}

export function RemoveMemberButton({ orgSlug, membershipId, name }: { orgSlug: string; membershipId: string; name: string }) {
  const [state, action, pending] = useActionState<Result, FormData>(removeMemberAction.bind(null, orgSlug), null);
  return (
    <form
      action={action}
      onSubmit={(event) => {
        if (!confirm(`Remove ${name} from this organization?`)) event.preventDefault();
      }}
      className="flex items-center justify-end gap-2"
    >
      {state && !state.ok ? <span role="alert" className="text-[13px] text-red-600">{state.error}</span> : null}
      <input type="hidden" name="membershipId" value={membershipId} />
      <Button variant="ghost" size="sm" type="submit" disabled={pending}>
        Remove
      </Button>
    </form>
  );
}

export function RevokeInvitationButton({ orgSlug, invitationId }: { orgSlug: string; invitationId: string }) {
  const [state, action, pending] = useActionState<Result, FormData>(revokeInvitationAction.bind(null, orgSlug), null);
  return (
    <form action={action} className="flex items-center justify-end gap-2">
      {state && !state.ok ? <span role="alert" className="text-[13px] text-red-600">{state.error}</span> : null}
      <input type="hidden" name="invitationId" value={invitationId} />
      <Button variant="ghost" size="sm" type="submit" disabled={pending}>
        Revoke
      </Button>
    </form>
  );
}
