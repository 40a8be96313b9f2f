"use client";

import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/components/ui/cn";
import { Icon } from "@/components/ui/icon";
import { Spinner } from "@/components/ui/spinner";
import { SubmitButton } from "@/components/ui/submit-button";
import { setDefaultVendorAccountAction, setVendorAccountEnabledAction, testVendorConnectionAction } from "@/lib/actions/vendors";

type TestResult = Awaited<ReturnType<typeof testVendorConnectionAction>> | null;
type Result = { ok: boolean; error?: string } | null;

/** Runs the adapter's credential check on the server against the saved settings. */
export function TestConnection({ orgSlug, accountId }: { orgSlug: string; accountId: string }) {
  const [state, action] = useActionState<TestResult, FormData>(testVendorConnectionAction.bind(null, orgSlug), null);
  return (
    <div className="space-y-3">
      <form action={action}>
        <input type="hidden" name="accountId" value={accountId} />
        <SubmitButton variant="secondary" pendingLabel="Testing…" className="w-full">
          <Icon name="plug" />
          Test connection
        </SubmitButton>
      </form>
      {state === null ? (
        <p className="text-[13px] text-zinc-500">Checks the saved settings with the vendor. Save changes first.</p>
      ) : !state.ok ? (
        <Alert tone="error" title="Couldn't run the test">
          {state.error}
        </Alert>
      ) : state.data.ok ? (
        <Alert tone="success" title="Connection works">
          {state.data.detail}
        </Alert>
      ) : (
        <Alert tone="error" title="Connection failed">
          {state.data.detail}
        </Alert>
      )}
    </div>
  );
}

/** A switch: a disabled account neither sends nor is offered for new numbers. */
export function EnabledSwitch({ orgSlug, accountId, enabled }: { orgSlug: string; accountId: string; enabled: boolean }) {
  const [state, action, pending] = useActionState<Result, FormData>(setVendorAccountEnabledAction.bind(null, orgSlug), null);
  return (
    <form action={action} className="space-y-2">
      <input type="hidden" name="accountId" value={accountId} />
      <input type="hidden" name="enabled" value={String(!enabled)} />
      <div className="flex items-start justify-between gap-3">
        <div className="min-w-0">
          <p id={`enabled-${accountId}`} className="text-sm font-medium text-zinc-900">
            {enabled ? "Enabled" : "Disabled"}
          </p>
          <p className="text-[13px] text-zinc-500">
            {enabled
              ? "Messages can be sent and received through this account."
              : "Nothing is sent through this account until you enable it."}
          </p>
        </div>
        <button
          type="submit"
          role="switch"
          aria-checked={enabled}
          aria-labelledby={`enabled-${accountId}`}
          title={enabled ? "Disable this account" : "Enable this account"}
          disabled={pending}
          className={cn(
            "relative mt-0.5 inline-flex h-6 w-11 shrink-0 items-center rounded-full transition-colors outline-none",
            "focus-visible:ring-2 focus-visible:ring-indigo-500 focus-visible:ring-offset-2 disabled:opacity-60",
            enabled ? "bg-indigo-600" : "bg-zinc-300",
          )}
        >
          <span className="sr-only">{enabled ? "Disable" : "Enable"}</span>
          <span
            className={cn(
              "inline-flex size-5 items-center justify-center rounded-full bg-white shadow-sm transition-transform",
              enabled ? "translate-x-5.5" : "translate-x-0.5",
            )}
          >
            {pending ? <Spinner className="size-3 text-zinc-400" /> : null}
          </span>
        </button>
      </div>
      {state && !state.ok ? (
        <p role="alert" className="text-[13px] text-red-600">
          {state.error}
        </p>
      ) : null}
    </form>
  );
}

/** The org's default account: where messages go when nothing more specific decides. */
export function DefaultAccountControl({
  orgSlug,
  accountId,
  isDefault,
}: {
  orgSlug: string;
  accountId: string;
  isDefault: boolean;
}) {
  const [state, action] = useActionState<Result, FormData>(setDefaultVendorAccountAction.bind(null, orgSlug), null);
  if (isDefault) {
    return (
      <div className="space-y-1">
        <Badge tone="indigo">
          <Icon name="check" className="size-3" />
          Default
        </Badge>
        <p className="text-[13px] text-zinc-500">
          This organization&apos;s default vendor account: new numbers and sends use it unless told otherwise.
        </p>
      </div>
    );
  }
  return (
    <form action={action} className="space-y-2">
      <input type="hidden" name="accountId" value={accountId} />
      <p className="text-[13px] text-zinc-500">New numbers and sends use the default account unless told otherwise.</p>
      <SubmitButton variant="secondary" size="sm" pendingLabel="Saving…">
        Make default
      </SubmitButton>
      {state && !state.ok ? (
        <p role="alert" className="text-[13px] text-red-600">
          {state.error}
        </p>
      ) : null}
    </form>
  );
}
