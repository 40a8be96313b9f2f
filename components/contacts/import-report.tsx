"use client";

import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button, ButtonLink } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { Icon } from "@/components/ui/icon";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import type { ImportReport } from "@/lib/contacts";

const SHOWN = 200;

/** Step 3: what was saved, and every skipped row by its line in the file, to fix and import again. */
export function ImportReportView({
  report,
  fileName,
  contactsHref,
  onAnother,
}: {
  report: ImportReport;
  fileName: string;
  contactsHref: string;
  onAnother: () => void;
}) {
  const [showAll, setShowAll] = useState(false);
  const saved = report.imported + report.updated;
  const bad = showAll ? report.bad : report.bad.slice(0, SHOWN);
  return (
    <div className="space-y-6">
      <Alert tone={saved > 0 || report.unchanged > 0 ? "success" : "warning"} title={headline(report)}>
        {summary(report, fileName)}
      </Alert>
      {!report.lookupQueued ? (
        <Alert tone="warning" title="Lookups weren't scheduled">
          The contacts are saved, but their numbers couldn’t be queued for a lookup. They show as “Not looked up yet”.
        </Alert>
      ) : null}
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
        <Stat label="New contacts" value={report.imported} tone="indigo" />
        <Stat label="Updated" value={report.updated} />
        <Stat label="Already up to date" value={report.unchanged} />
        <Stat label="Skipped" value={report.skipped} tone={report.skipped > 0 ? "red" : undefined} />
      </dl>
      {report.bad.length > 0 ? (
        <Card>
          <CardHeader
            title={`${rows(report.bad.length)} skipped`}
            description="Fix these lines in your file and import it again: rows already imported are updated, never duplicated."
            actions={
              <Button variant="secondary" size="sm" onClick={() => downloadBadRows(report, fileName)}>
                Download as CSV
              </Button>
            }
          />
          <CardBody className="space-y-3">
            <Table>
              <THead>
                <TR>
                  <TH className="w-24">Line</TH>
                  <TH className="w-48">Phone</TH>
                  <TH>Reason</TH>
                </TR>
              </THead>
              <TBody>
                {bad.map((row) => (
                  <TR key={row.line}>
                    <TD className="font-medium text-zinc-900 tabular-nums">
                      {row.endLine > row.line ? `${row.line}–${row.endLine}` : row.line}
                    </TD>
                    <TD className="font-mono text-xs">{row.value || <span className="font-sans text-zinc-400">empty</span>}</TD>
                    <TD className="text-zinc-900">{row.reason}</TD>
                  </TR>
                ))}
              </TBody>
            </Table>
            {report.bad.length > SHOWN && !showAll ? (
              <Button variant="ghost" size="sm" onClick={() => setShowAll(true)}>
                Show all {rows(report.bad.length)}
              </Button>
            ) : null}
          </CardBody>
        </Card>
      ) : null}
      <div className="flex flex-wrap justify-end gap-2">
        <Button variant="secondary" onClick={onAnother}>
          <Icon name="upload" />
          Import another file
        </Button>
        <ButtonLink href={contactsHref}>
          View contacts
          <Icon name="arrow-right" />
        </ButtonLink>
      </div>
    </div>
  );
}

function Stat({ label, value, tone }: { label: string; value: number; tone?: "indigo" | "red" }) {
  return (
    <div className="rounded-xl border border-zinc-200 bg-white px-4 py-3 shadow-xs">
      <dt className="text-xs font-medium tracking-wide text-zinc-500 uppercase">{label}</dt>
      <dd
        className={cn(
          "mt-1 text-2xl font-semibold tabular-nums",
          tone === "indigo" ? "text-indigo-700" : tone === "red" ? "text-red-600" : "text-zinc-900",
        )}
      >
        {value.toLocaleString("en-US")}
      </dd>
    </div>
  );
}

function headline(report: ImportReport): string {
  if (report.imported + report.updated > 0) return "Import finished";
  if (report.unchanged > 0) return "Nothing to change";
  return "No contacts were saved";
}

function summary(report: ImportReport, fileName: string): string {
  const parts = [
    `${report.imported.toLocaleString("en-US")} new`,
    `${report.updated.toLocaleString("en-US")} updated`,
    report.unchanged > 0 ? `${report.unchanged.toLocaleString("en-US")} already up to date` : null,
    `${report.skipped.toLocaleString("en-US")} skipped`,
  ].filter(Boolean);
  const blank = report.blankLines > 0 ? ` ${rows(report.blankLines)} with nothing in them were ignored.` : "";
  const lookups = report.imported > 0 ? " New numbers are being looked up now." : "";
  return `From “${fileName}”: ${parts.join(", ")}.${blank}${lookups}`;
}

function rows(n: number): string {
  return `${n.toLocaleString("en-US")} row${n === 1 ? "" : "s"}`;
}

function downloadBadRows(report: ImportReport, fileName: string): void {
  const quote = (value: string) => (/[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
  const lines = [
    "line,phone,reason",
    ...report.bad.map((row) => [String(row.line), quote(row.value), quote(row.reason)].join(",")),
  ];
  const url = URL.createObjectURL(new Blob([`${lines.join("\n")}\n`], { type: "text/csv" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = `${fileName.replace(/\.[^.]+$/, "")}-skipped-rows.csv`;
  link.click();
  URL.revokeObjectURL(url);
}
