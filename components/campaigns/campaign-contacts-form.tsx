"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input, Select } from "@/components/ui/input";
import { Spinner } from "@/components/ui/spinner";
import { addCampaignContactsAction, uploadCampaignContactsAction } from "@/lib/actions/campaigns";

const FILTERS = [
  ["textable", "Textable contacts"],
  ["all", "All contacts"],
  ["lookup-error", "Lookup errors"],
] as const;

/** Adds contacts to a draft or paused campaign: from the org's contacts by filter, or a CSV whose extra columns become fields. */
export function CampaignContactsForm({ orgSlug, campaignId }: { orgSlug: string; campaignId: string }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [message, setMessage] = useState<{ tone: "error" | "success"; text: string; lines?: string[] } | null>(null);

  function addByFilter(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    start(async () => {
      const result = await addCampaignContactsAction(orgSlug, null, { campaignId, filter: data.get("filter"), q: data.get("q") });
      setMessage(
        result.ok ? { tone: "success", text: `Added ${result.data.added} contacts.` } : { tone: "error", text: result.error },
      );
      router.refresh();
    });
  }

  function upload(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const file = new FormData(event.currentTarget).get("file");
    if (!(file instanceof File) || file.size === 0) return setMessage({ tone: "error", text: "Choose a CSV file." });
    start(async () => {
      const result = await uploadCampaignContactsAction(orgSlug, null, { campaignId, csv: await file.text() });
      if (!result.ok) setMessage({ tone: "error", text: result.error });
      else {
        const { added, alreadyIn, bad, fields } = result.data;
        setMessage({
          tone: bad.length ? "error" : "success",
          text: `Added ${added} contacts${alreadyIn ? ` (${alreadyIn} were already in)` : ""}${fields.length ? `; fields: ${fields.join(", ")}` : ""}.${bad.length ? ` ${bad.length} rows were skipped:` : ""}`,
          lines: bad.slice(0, 20).map((b) => `Line ${b.line}: ${b.reason}`),
        });
      }
      router.refresh();
    });
  }

  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <form onSubmit={addByFilter} className="space-y-3" noValidate>
        <Field label="From your contacts" htmlFor="cc-filter">
          <Select id="cc-filter" name="filter" defaultValue="textable">
            {FILTERS.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Matching (optional)" htmlFor="cc-q">
          <Input id="cc-q" name="q" placeholder="Name or number" />
        </Field>
        <Button type="submit" variant="secondary" disabled={pending}>
          {pending ? <Spinner /> : null}
          Add contacts
        </Button>
      </form>
      <form onSubmit={upload} className="space-y-3" noValidate>
        <Field
          label="Or upload a CSV"
          htmlFor="cc-file"
          hint="A phone column is required; other columns become fields for the script."
        >
          <Input id="cc-file" name="file" type="file" accept=".csv,text/csv" />
        </Field>
        <Button type="submit" variant="secondary" disabled={pending}>
          Upload
        </Button>
      </form>
      {message ? (
        <Alert tone={message.tone} className="lg:col-span-2">
          {message.text}
          {message.lines?.length ? (
            <ul className="mt-1 list-disc pl-5">
              {message.lines.map((l) => (
                <li key={l}>{l}</li>
              ))}
            </ul>
          ) : null}
        </Alert>
      ) : null}
    </div>
  );
}
