import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { listAuditForOrg } from "@/db/queries/audit";
import { formatDateTime } from "@/lib/format";
import { minRoleFor } from "@/lib/nav";
import { requireOrgPage } from "@/lib/tenancy";
import { ButtonLink } from "@/components/ui/button";

export const metadata = { title: "Audit log" };

const PAGE = 50;

export default async function AuditPage({ params, searchParams }: { params: Promise<{ org: string }>; searchParams: Promise<{ before?: string }> }) {
  const ctx = await requireOrgPage((await params).org, minRoleFor("audit"));
  const { before } = await searchParams;
  const beforeDate = before && !Number.isNaN(Date.parse(before)) ? new Date(before) : undefined;
  const entries = await listAuditForOrg(ctx.org.id, { before: beforeDate, limit: PAGE });
  const last = entries.at(-1);
  return (
    <div className="space-y-6">
      <PageHeader title="Audit log" description="Who changed what in this organization. Values of secrets are never recorded, only which fields changed." />
      {entries.length === 0 ? (
        <EmptyState icon="scroll" title="Nothing recorded yet" description="Changes to members, vendors, numbers, settings and API keys will be listed here." />
      ) : (
        <>
          <Table>
            <THead>
              <TR>
                <TH>When</TH>
                <TH>Who</TH>
                <TH>What</TH>
                <TH>Details</TH>
              </TR>
            </THead>
            <TBody>
              {entries.map((entry) => (
                <TR key={entry.id}>
                  <TD className="whitespace-nowrap">{formatDateTime(entry.at)}</TD>
                  <TD>{entry.actorName ?? <span className="text-zinc-500">{entry.actorLabel}</span>}</TD>
                  <TD>
                    <Badge tone="indigo">{entry.action}</Badge>
                  </TD>
                  <TD className="text-zinc-600">{describeDetails(entry.details)}</TD>
                </TR>
              ))}
            </TBody>
          </Table>
          {entries.length === PAGE && last ? (
            <div className="flex justify-end">
              <ButtonLink variant="secondary" href={`/${ctx.org.slug}/audit?before=${encodeURIComponent(last.at.toISOString())}`}>
                Older entries
              </ButtonLink>
            </div>
          ) : null}
        </>
      )}
    </div>
  );
}

function describeDetails(details: Record<string, unknown>): string {
  return Object.entries(details)
    .map(([key, value]) => `${key}: ${Array.isArray(value) ? value.join(", ") : String(value)}`)
    .join(" · ");
}
