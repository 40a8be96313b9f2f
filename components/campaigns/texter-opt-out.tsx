"use client";

import { useRouter } from "next/navigation";
import { useId, useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Textarea } from "@/components/ui/input";
import { Spinner } from "@/components/ui/spinner";
import { optOutCampaignContactAction } from "@/lib/actions/texting";

type Choice = "none" | "org" | "custom";

/**
 * The opt-out button of the texting page. It opens in place: send the organization's
 * goodbye, a typed one, or none; the goodbye is queued before the contact is locked.
 */
export function TexterOptOut({
  orgSlug,
  campaignContactId,
  name,
  orgGoodbye,
}: {
  orgSlug: string;
  campaignContactId: string;
  name: string;
  orgGoodbye: string | null;
}) {
  const router = useRouter();
  const id = useId();
  const [open, setOpen] = useState(false);
  const [choice, setChoice] = useState<Choice>(orgGoodbye ? "org" : "none");
  const [body, setBody] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();

  function confirm() {
    setError(null);
    start(async () => {
      const result = await optOutCampaignContactAction(orgSlug, null, { campaignContactId, goodbye: choice, body });
      if (!result.ok) {
        setError(result.error);
        return;
      }
      setOpen(false);
      router.refresh();
    });
  }

  if (!open) {
    return (
      <Button variant="ghost" size="sm" onClick={() => setOpen(true)} title={`Record that ${name} asked not to be texted`}>
        Opt out
      </Button>
    );
  }
  return (
    <fieldset
      className="w-full space-y-2 rounded-lg border border-red-200 bg-red-50/50 p-3 text-sm"
      aria-label={`Opt out ${name}`}
    >
      <legend className="px-1 font-medium text-red-800">Opt out {name}? Nobody in your organization can text them again.</legend>
      {orgGoodbye ? (
        <label className="flex items-start gap-2">
          <input
            type="radio"
            name={`${id}-goodbye`}
            checked={choice === "org"}
            onChange={() => setChoice("org")}
            className="mt-1"
          />
          <span>
            Send the organization&apos;s goodbye: <q className="text-zinc-600">{orgGoodbye}</q>
          </span>
        </label>
      ) : null}
      <label className="flex items-center gap-2">
        <input type="radio" name={`${id}-goodbye`} checked={choice === "custom"} onChange={() => setChoice("custom")} />
        Send my own goodbye
      </label>
      {choice === "custom" ? (
        <Textarea
          aria-label="Goodbye message"
          rows={2}
          value={body}
          onChange={(e) => setBody(e.target.value)}
          placeholder="Sorry to bother you. We won't text again."
        />
      ) : null}
      <label className="flex items-center gap-2">
        <input type="radio" name={`${id}-goodbye`} checked={choice === "none"} onChange={() => setChoice("none")} />
        Opt out without a message
      </label>
      {error ? (
        <p role="alert" className="text-[13px] text-red-600">
          {error}
        </p>
      ) : null}
      <div className="flex gap-2">
        <Button variant="danger" size="sm" onClick={confirm} disabled={pending}>
          {pending ? <Spinner /> : null}
          Confirm opt-out
        </Button>
        <Button variant="ghost" size="sm" onClick={() => setOpen(false)} disabled={pending}>
          Cancel
        </Button>
      </div>
    </fieldset>
  );
}
