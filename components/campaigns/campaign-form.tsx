"use client";

import { useRouter } from "next/navigation";
import { useActionState, useEffect, useMemo, useState, useTransition, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input, Select, Textarea } from "@/components/ui/input";
import { Spinner } from "@/components/ui/spinner";
import { createCampaignAction, updateCampaignAction } from "@/lib/actions/campaigns";
import { BUILT_IN_FIELDS, previewScript } from "@/lib/campaigns/script";

type Result = Awaited<ReturnType<typeof createCampaignAction>> | null;
export type FormAccount = { id: string; name: string; numbers: { id: string; e164: string }[] };
export type CampaignFormValues = {
  id?: string;
  title: string;
  description: string;
  script: string;
  mode: "TEXTERS" | "SEND_TO_ALL";
  vendorAccountId: string | null;
  phoneNumberIds: string[];
  messagingServiceId: string;
  startHour: number | null;
  endHour: number | null;
};

const HOURS = Array.from({ length: 25 }, (_, h) => h);

/**
 * Creating or editing a campaign: the script previews live with sample values and its
 * segment count, and unknown {fields} are flagged while typing (the server checks again).
 */
export function CampaignForm({
  orgSlug,
  accounts,
  fields,
  timeZone,
  initial,
}: {
  orgSlug: string;
  accounts: FormAccount[];
  fields: string[];
  timeZone: string;
  initial: CampaignFormValues;
}) {
  const router = useRouter();
  const action = initial.id ? updateCampaignAction : createCampaignAction;
  const [state, submitAction, pending] = useActionState<Result, FormData>(action.bind(null, orgSlug), null);
  const [, start] = useTransition();
  const [script, setScript] = useState(initial.script);
  const [accountId, setAccountId] = useState(initial.vendorAccountId ?? accounts[0]?.id ?? "");
  const preview = useMemo(() => previewScript(script, fields), [script, fields]);
  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  const account = accounts.find((a) => a.id === accountId);

  useEffect(() => {
    if (state?.ok) router.push(`/${orgSlug}/campaigns/${state.data.id}`);
  }, [state, orgSlug, router]);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    data.set("phoneNumberIds", JSON.stringify(data.getAll("phoneNumberIds")));
    if (initial.id) data.set("campaignId", initial.id);
    start(() => submitAction(data));
  }

  return (
    <form onSubmit={submit} className="space-y-5" noValidate>
      <Field label="Title" htmlFor="campaign-title" error={errors.title}>
        <Input id="campaign-title" name="title" defaultValue={initial.title} maxLength={200} />
      </Field>
      <Field
        label="Description"
        htmlFor="campaign-description"
        error={errors.description}
        hint="For your team; contacts never see it."
      >
        <Textarea id="campaign-description" name="description" defaultValue={initial.description} rows={2} />
      </Field>
      <Field label="How it sends" htmlFor="campaign-mode" error={errors.mode}>
        <Select id="campaign-mode" name="mode" defaultValue={initial.mode}>
          <option value="TEXTERS">Texters send each message one at a time (peer-to-peer)</option>
          <option value="SEND_TO_ALL">Send to everyone at once (notifications)</option>
        </Select>
      </Field>
      <Field
        label="Script"
        htmlFor="campaign-script"
        error={errors.script ?? (script && !preview.check.ok ? preview.check.error : undefined)}
        hint={`Fields: ${[...BUILT_IN_FIELDS, ...fields].map((f) => `{${f}}`).join(" ")}`}
      >
        <Textarea id="campaign-script" name="script" rows={4} value={script} onChange={(e) => setScript(e.target.value)} />
      </Field>
      <div className="rounded-lg border border-zinc-200 bg-zinc-50 p-3" aria-live="polite" data-testid="script-preview">
        <p className="text-[13px] font-medium text-zinc-600">Preview</p>
        <p className="mt-1 text-sm whitespace-pre-wrap text-zinc-900">{preview.text || "—"}</p>
        <p className="mt-2 text-[13px] text-zinc-500 tabular-nums">
          {preview.segments.units} characters · {preview.segments.segments}{" "}
          {preview.segments.segments === 1 ? "segment" : "segments"} ·{" "}
          {preview.segments.encoding === "GSM7" ? "GSM-7" : `Unicode (${preview.segments.nonGsmCharacters.join(" ")})`}
        </p>
      </div>
      <Field label="Vendor account" htmlFor="campaign-account" error={errors.vendorAccountId}>
        <Select id="campaign-account" name="vendorAccountId" value={accountId} onChange={(e) => setAccountId(e.target.value)}>
          <option value="">Choose an account…</option>
          {accounts.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
        </Select>
      </Field>
      {account && account.numbers.length > 0 ? (
        <fieldset className="space-y-1.5">
          <legend className="text-[13px] font-medium text-zinc-800">
            Numbers (none chosen: all of the account&apos;s numbers)
          </legend>
          <div className="grid max-h-48 gap-1 overflow-y-auto sm:grid-cols-3">
            {account.numbers.map((n) => (
              <label key={n.id} className="flex items-center gap-2 text-sm text-zinc-800">
                <input
                  type="checkbox"
                  name="phoneNumberIds"
                  value={n.id}
                  defaultChecked={initial.phoneNumberIds.includes(n.id)}
                />
                {n.e164}
              </label>
            ))}
          </div>
          {errors.phoneNumberIds ? <p className="text-[13px] text-red-600">{errors.phoneNumberIds}</p> : null}
        </fieldset>
      ) : null}
      <Field
        label="Messaging service"
        htmlFor="campaign-service"
        error={errors.messagingServiceId ?? errors.sender}
        hint="Optional: the vendor picks the number."
      >
        <Input id="campaign-service" name="messagingServiceId" defaultValue={initial.messagingServiceId} autoComplete="off" />
      </Field>
      <div className="grid gap-3 sm:grid-cols-2">
        <Field label={`Sending window starts (${timeZone})`} htmlFor="campaign-start" error={errors.startHour}>
          <Select id="campaign-start" name="startHour" defaultValue={initial.startHour ?? ""}>
            <option value="">Any time</option>
            {HOURS.slice(0, 24).map((h) => (
              <option key={h} value={h}>{`${h}:00`}</option>
            ))}
          </Select>
        </Field>
        <Field
          label="Sending window ends"
          htmlFor="campaign-end"
          error={errors.endHour}
          hint="Messages due outside the window wait for it to open."
        >
          <Select id="campaign-end" name="endHour" defaultValue={initial.endHour ?? ""}>
            <option value="">Any time</option>
            {HOURS.slice(1).map((h) => (
              <option key={h} value={h}>{`${h}:00`}</option>
            ))}
          </Select>
        </Field>
      </div>
      {state && !state.ok && !state.fieldErrors ? <Alert tone="error">{state.error}</Alert> : null}
      <div className="flex justify-end">
        <Button type="submit" disabled={pending} aria-busy={pending || undefined}>
          {pending ? <Spinner /> : null}
          {initial.id ? "Save campaign" : "Create campaign"}
        </Button>
      </div>
    </form>
  );
}
