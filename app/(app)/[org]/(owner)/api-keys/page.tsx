import { CreateApiKeyForm, RevokeApiKeyButton } from "@/components/api-keys/api-key-forms";
import { Badge } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { listApiKeys } from "@/lib/api-keys";
import { formatDate, formatDateTime } from "@/lib/format";
import { minRoleFor } from "@/lib/nav";
import { requireOrgPage } from "@/lib/tenancy";

export const metadata = { title: "API keys" };

export default async function ApiKeysPage({ params }: { params: Promise<{ org: string }> }) {
  const ctx = await requireOrgPage((await params).org, minRoleFor("api-keys"));
  const keys = await listApiKeys(ctx.org.id);
  return (
    <div className="space-y-8">
      <PageHeader
        title="API keys"
        description="Let other systems send one-time passcodes and notifications through Switchboard's REST API."
        actions={
          <ButtonLink href={`/${ctx.org.slug}/api-keys/docs`} variant="secondary">
            API reference
          </ButtonLink>
        }
      />
      <Card>
        <CardHeader title="Create a key" description="Send it as “Authorization: Bearer <key>”. Each key is rate limited." />
        <CardBody>
          <CreateApiKeyForm orgSlug={ctx.org.slug} />
        </CardBody>
      </Card>
      {keys.length === 0 ? (
        <EmptyState icon="key" title="No API keys yet" description="Create a key for each system that sends through Switchboard, so you can revoke one without touching the others." />
      ) : (
        <Table>
          <THead>
            <TR>
              <TH>Name</TH>
              <TH>Key</TH>
              <TH>Created</TH>
              <TH>Last used</TH>
              <TH className="text-right">Status</TH>
            </TR>
          </THead>
          <TBody>
            {keys.map((key) => (
              <TR key={key.id}>
                <TD className="font-medium text-zinc-900">{key.name}</TD>
                <TD>
                  <code className="text-xs text-zinc-600">{key.prefix}…</code>
                </TD>
                <TD>{formatDate(key.createdAt)}</TD>
                <TD>{key.lastUsedAt ? formatDateTime(key.lastUsedAt) : <span className="text-zinc-400">never</span>}</TD>
                <TD>{key.revokedAt ? <div className="text-right"><Badge tone="red">revoked</Badge></div> : <RevokeApiKeyButton orgSlug={ctx.org.slug} keyId={key.id} name={key.name} />}</TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
    </div>
  );
}
