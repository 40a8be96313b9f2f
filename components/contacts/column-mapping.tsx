"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Select } from "@/components/ui/input";
import { Spinner } from "@/components/ui/spinner";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import type { CsvMapping, CsvPreview } from "@/lib/contacts-csv";
import type { PickedFile } from "./import-wizard";

type Use = "phone" | "firstName" | "lastName" | "custom" | "skip";
const SINGLE: Use[] = ["phone", "firstName", "lastName"];

type Props = {
  file: PickedFile;
  preview: CsvPreview;
  countryName: string;
  maxCustomFields: number;
  pending: boolean;
  onHeaderChange: (hasHeader: boolean) => void;
  onBack: () => void;
  onImport: (mapping: CsvMapping) => void;
};

/** Step 2: what each column becomes. Phone, first and last name go to one column each. */
export function ColumnMapping({ file, preview, countryName, maxCustomFields, pending, onHeaderChange, onBack, onImport }: Props) {
  const [uses, setUses] = useState<Use[]>(() => usesFrom(preview));
  const [seenPreview, setSeenPreview] = useState(preview);
  // A new preview (the header box was toggled) brings its own guess.
  if (seenPreview !== preview) {
    setSeenPreview(preview);
    setUses(usesFrom(preview));
  }
  const choose = (index: number, use: Use) =>
    setUses((current) => current.map((u, i) => (i === index ? use : SINGLE.includes(use) && u === use ? "skip" : u)));
  const mapping = mappingFrom(uses, preview.hasHeader);
  const customCount = uses.filter((u) => u === "custom").length;
  const problem = !mapping
    ? "Choose the column that holds phone numbers."
    : customCount > maxCustomFields
      ? `Choose at most ${maxCustomFields} custom fields.`
      : null;

  return (
    <Card>
      <CardHeader
        title="Map columns"
        description={
          <>
            <span className="font-medium text-zinc-700">{file.name}</span> · {rows(preview.rowCount)} ·{" "}
            {describeDelimiter(preview.delimiter)}
          </>
        }
        actions={
          <Button variant="ghost" size="sm" onClick={onBack} disabled={pending}>
            Choose another file
          </Button>
        }
      />
      <CardBody className="space-y-4">
        <label className="flex w-fit items-center gap-2 text-sm text-zinc-700">
          <input
            type="checkbox"
            className="size-4 rounded border-zinc-300 accent-indigo-600"
            checked={preview.hasHeader}
            disabled={pending}
            onChange={(event) => onHeaderChange(event.target.checked)}
          />
          The first row holds column names
        </label>
        <Table>
          <THead>
            <TR>
              <TH>Column</TH>
              <TH>Sample values</TH>
              <TH className="w-64">Import as</TH>
            </TR>
          </THead>
          <TBody>
            {preview.columns.map((column) => (
              <TR key={column.index}>
                <TD className="font-medium text-zinc-900">{column.label}</TD>
                <TD className="max-w-md">
                  {column.samples.length === 0 ? (
                    <span className="text-zinc-400">empty</span>
                  ) : (
                    <span className="flex flex-wrap gap-1.5">
                      {column.samples.map((sample, i) => (
                        <code key={i} className="max-w-48 truncate rounded bg-zinc-100 px-1.5 py-0.5 text-xs text-zinc-700">
                          {sample}
                        </code>
                      ))}
                    </span>
                  )}
                </TD>
                <TD>
                  <Select
                    aria-label={`Import “${column.label}” as`}
                    value={uses[column.index]}
                    disabled={pending}
                    onChange={(e) => choose(column.index, e.target.value as Use)}
                    className="text-[13px]"
                  >
                    <option value="phone">Phone number</option>
                    <option value="firstName">First name</option>
                    <option value="lastName">Last name</option>
                    <option value="custom">Custom field “{column.label}”</option>
                    <option value="skip">Don&apos;t import</option>
                  </Select>
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
        <div className="flex flex-col gap-3 border-t border-zinc-100 pt-4 sm:flex-row sm:items-center sm:justify-between">
          <p className={problem ? "text-sm text-red-600" : "text-sm text-zinc-500"} role={problem ? "alert" : undefined}>
            {problem ??
              `Numbers without a +country code are read as numbers in ${countryName}. Rows with problems are skipped and listed; the rest are imported together.`}
          </p>
          <Button disabled={pending || !mapping || customCount > maxCustomFields} onClick={() => mapping && onImport(mapping)}>
            {pending ? <Spinner /> : null}
            {pending ? `Importing ${rows(preview.rowCount)}…` : `Import ${rows(preview.rowCount)}`}
          </Button>
        </div>
      </CardBody>
    </Card>
  );
}

function usesFrom(preview: CsvPreview): Use[] {
  const { mapping } = preview;
  return preview.columns.map(({ index }) =>
    index === mapping.phone
      ? "phone"
      : index === mapping.firstName
        ? "firstName"
        : index === mapping.lastName
          ? "lastName"
          : mapping.custom.includes(index)
            ? "custom"
            : "skip",
  );
}

function mappingFrom(uses: Use[], hasHeader: boolean): CsvMapping | null {
  const find = (use: Use) => {
    const index = uses.indexOf(use);
    return index === -1 ? null : index;
  };
  const phone = find("phone");
  if (phone === null) return null;
  const custom = uses.flatMap((u, i) => (u === "custom" ? [i] : []));
  return { hasHeader, phone, firstName: find("firstName"), lastName: find("lastName"), custom };
}

function rows(n: number): string {
  return `${n.toLocaleString("en-US")} row${n === 1 ? "" : "s"}`;
}

function describeDelimiter(delimiter: CsvPreview["delimiter"]): string {
  return delimiter === "," ? "comma separated" : delimiter === ";" ? "semicolon separated" : "tab separated";
}
