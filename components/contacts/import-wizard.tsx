"use client";

import { useId, useState, useTransition, type DragEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { Icon } from "@/components/ui/icon";
import { Spinner } from "@/components/ui/spinner";
import { importContactsAction, previewContactsCsvAction } from "@/lib/actions/contacts";
import type { ImportReport } from "@/lib/contacts";
import type { CsvMapping, CsvPreview } from "@/lib/contacts-csv";
import { ColumnMapping } from "./column-mapping";
import { ImportReportView } from "./import-report";

export type PickedFile = { name: string; size: number; text: string };

type Props = {
  orgSlug: string;
  countryName: string;
  limits: { maxBytes: number; maxRows: number; maxCustomFields: number };
  contactsHref: string;
};

/**
 * Upload, map columns, import. The file's text stays here between steps and goes to the
 * server with each step; the server re-reads it every time and never takes parsed rows.
 */
export function ImportWizard({ orgSlug, countryName, limits, contactsHref }: Props) {
  const [file, setFile] = useState<PickedFile | null>(null);
  const [preview, setPreview] = useState<CsvPreview | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const step = report ? 3 : preview ? 2 : 1;

  const reset = () => {
    setFile(null);
    setPreview(null);
    setReport(null);
    setError(null);
  };

  const readPreview = (picked: PickedFile, hasHeader?: boolean) =>
    startTransition(async () => {
      setError(null);
      const result = await previewContactsCsvAction(orgSlug, null, { csv: picked.text, hasHeader });
      if (!result.ok) return setError(result.error);
      setFile(picked);
      setPreview(result.data);
    });

  const choose = async (chosen: File) => {
    setError(null);
    const problem = fileProblem(chosen, limits.maxBytes);
    if (problem) return setError(problem);
    const text = await chosen.text();
    if (text.includes("\u0000"))
      return setError(`“${chosen.name}” isn't a text file. If it's a spreadsheet, save it as CSV (UTF-8) and choose that file.`);
    readPreview({ name: chosen.name, size: chosen.size, text });
  };

  const runImport = (mapping: CsvMapping) =>
    startTransition(async () => {
      if (!file) return;
      setError(null);
      const result = await importContactsAction(orgSlug, null, { csv: file.text, mapping });
      if (!result.ok) return setError(result.error);
      setReport(result.data);
    });

  return (
    <div className="space-y-6">
      <StepList current={step} />
      {error ? (
        <Alert tone="error" title={step === 1 ? "This file can't be imported" : "Nothing was imported"}>
          {error}
        </Alert>
      ) : null}
      {step === 1 ? <UploadStep pending={pending} maxBytes={limits.maxBytes} maxRows={limits.maxRows} onChoose={choose} /> : null}
      {step === 2 && file && preview ? (
        <ColumnMapping
          file={file}
          preview={preview}
          countryName={countryName}
          maxCustomFields={limits.maxCustomFields}
          pending={pending}
          onHeaderChange={(hasHeader) => readPreview(file, hasHeader)}
          onBack={reset}
          onImport={runImport}
        />
      ) : null}
      {step === 3 && report && file ? (
        <ImportReportView report={report} fileName={file.name} contactsHref={contactsHref} onAnother={reset} />
      ) : null}
    </div>
  );
}

function UploadStep({
  pending,
  maxBytes,
  maxRows,
  onChoose,
}: {
  pending: boolean;
  maxBytes: number;
  maxRows: number;
  onChoose: (file: File) => void;
}) {
  const inputId = useId();
  const [dragging, setDragging] = useState(false);
  const onDrop = (event: DragEvent<HTMLLabelElement>) => {
    event.preventDefault();
    setDragging(false);
    const dropped = event.dataTransfer.files[0];
    if (dropped) onChoose(dropped);
  };
  return (
    <Card>
      <CardHeader
        title="Upload a file"
        description="A CSV with a column of phone numbers. Names and any other columns come along too; you choose which in the next step."
      />
      <CardBody className="space-y-4">
        <label
          htmlFor={inputId}
          onDragOver={(event) => {
            event.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
          className={cn(
            "flex cursor-pointer flex-col items-center rounded-xl border-2 border-dashed px-6 py-10 text-center transition-colors",
            dragging
              ? "border-indigo-400 bg-indigo-50/60"
              : "border-zinc-300 bg-zinc-50/50 hover:border-indigo-300 hover:bg-indigo-50/30",
          )}
        >
          <span className="mb-3 flex size-11 items-center justify-center rounded-full bg-indigo-100 text-indigo-600">
            {pending ? <Spinner className="size-5" /> : <Icon name="upload" className="size-5" />}
          </span>
          <span className="text-sm font-medium text-zinc-900">{pending ? "Reading the file…" : "Choose a CSV file"}</span>
          <span className="mt-1 text-[13px] text-zinc-500">or drop it here</span>
          <input
            id={inputId}
            type="file"
            accept=".csv,.tsv,.txt,text/csv,text/tab-separated-values,text/plain"
            className="sr-only"
            disabled={pending}
            aria-label="CSV file"
            onChange={(event) => {
              const chosen = event.target.files?.[0];
              event.target.value = "";
              if (chosen) onChoose(chosen);
            }}
          />
        </label>
        <ul className="grid gap-x-6 gap-y-1.5 text-[13px] text-zinc-500 sm:grid-cols-2">
          <li>
            Up to {(maxBytes / 1_000_000).toFixed(1)} MB and {maxRows.toLocaleString("en-US")} rows
          </li>
          <li>Comma, semicolon or tab separated, UTF-8</li>
          <li>Numbers in any common format, like (202) 555-0123</li>
          <li>Numbers already in your contacts are updated, not duplicated</li>
        </ul>
      </CardBody>
    </Card>
  );
}

const STEPS = ["Upload", "Map columns", "Results"];

function StepList({ current }: { current: number }) {
  return (
    <ol className="flex flex-wrap items-center gap-x-3 gap-y-2 text-sm">
      {STEPS.map((label, index) => {
        const n = index + 1;
        const state = n < current ? "done" : n === current ? "current" : "todo";
        return (
          <li key={label} className="flex items-center gap-3" aria-current={state === "current" ? "step" : undefined}>
            {index > 0 ? (
              <span aria-hidden="true" className={cn("h-px w-8", n <= current ? "bg-indigo-300" : "bg-zinc-300")} />
            ) : null}
            <span className="flex items-center gap-2">
              <span
                className={cn(
                  "flex size-6 items-center justify-center rounded-full text-xs font-semibold",
                  state === "done" && "bg-indigo-600 text-white",
                  state === "current" && "bg-indigo-50 text-indigo-700 ring-2 ring-indigo-600",
                  state === "todo" && "bg-zinc-100 text-zinc-500 ring-1 ring-zinc-300",
                )}
              >
                {state === "done" ? <Icon name="check" className="size-3.5" /> : n}
              </span>
              <span className={cn("font-medium", state === "todo" ? "text-zinc-500" : "text-zinc-900")}>{label}</span>
            </span>
          </li>
        );
      })}
    </ol>
  );
}

function fileProblem(file: File, maxBytes: number): string | null {
  if (/\.(xlsx?|numbers|ods)$/i.test(file.name)) {
    return `“${file.name}” is a spreadsheet workbook. Save it as CSV first (in Excel: File › Save As › CSV UTF-8), then choose the CSV file.`;
  }
  if (file.size === 0) return `“${file.name}” is empty.`;
  if (file.size > maxBytes) {
    return `“${file.name}” is ${(file.size / 1_000_000).toFixed(1)} MB; the limit is ${(maxBytes / 1_000_000).toFixed(1)} MB. Split it into smaller files and import them one after another.`;
  }
  return null;
}
