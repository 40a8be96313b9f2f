"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Icon } from "@/components/ui/icon";
import { Spinner } from "@/components/ui/spinner";
import { importOwnedNumbersAction } from "@/lib/actions/numbers";

type Result = Awaited<ReturnType<typeof importOwnedNumbersAction>> | null;

/** Asks the vendor which numbers the account already owns and adds the ones the org lacks. */
export function ImportNumbersButton({
  orgSlug,
  accountId,
  accountName,
}: {
  orgSlug: string;
  accountId: string;
  accountName: string;
}) {
  const [state, action, pending] = useActionState<Result, FormData>(importOwnedNumbersAction.bind(null, orgSlug), null);
  return (
    <form action={action} className="flex flex-col items-end gap-1">
      <input type="hidden" name="vendorAccountId" value={accountId} />
      <Button
        type="submit"
        variant="secondary"
        size="sm"
        disabled={pending}
        aria-label={`Import owned numbers from ${accountName}`}
      >
        {pending ? <Spinner /> : <Icon name="upload" />}
        Import owned
      </Button>
      {state?.ok ? (
        <span role="status" className="text-right text-xs text-zinc-500">
          {state.data.imported === 0 ? "Nothing new" : `Imported ${state.data.imported}`}
          {state.data.alreadyPresent > 0 ? ` · ${state.data.alreadyPresent} already here` : ""}
        </span>
      ) : null}
      {state && !state.ok ? (
        <span role="alert" className="max-w-64 text-right text-xs text-red-600">
          {state.error}
        </span>
      ) : null}
    </form>
  );
}
