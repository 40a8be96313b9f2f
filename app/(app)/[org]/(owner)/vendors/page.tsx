import Link from "next/link";
import { Alert } from "@/components/ui/alert";
import { ButtonLink } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Icon } from "@/components/ui/icon";
import { PageHeader } from "@/components/ui/page-header";
import { Steps } from "@/components/ui/steps";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { AccountStatusBadges } from "@/components/vendors/status-badges";
import { VendorMark } from "@/components/vendors/vendor-mark";
import { formatDateTime } from "@/lib/format";
import { minRoleFor } from "@/lib/nav";
import { requireOrgPage } from "@/lib/tenancy";
import { listVendorAccounts } from "@/lib/vendors/accounts";

export const metadata = { title: "Vendors" };

export default async function VendorsPage({
  params,
  searchParams,
}: {
  params: Promise<{ org: string }>;
  searchParams: Promise<{ deleted?: string }>;
}) {
  const ctx = await requireOrgPage((await params).org, minRoleFor("vendors"));
  const { deleted } = await searchParams;
  const accounts = await listVendorAccounts(ctx.org.id);
  const base = `/${ctx.org.slug}/vendors`;
  const addButton = (
    <ButtonLink href={`${base}/new`}>
      <Icon name="plus" />
      Add vendor account
    </ButtonLink>
  );

  return (
    <div className="space-y-6">
      <PageHeader
        title="Vendors"
        description="The SMS providers that carry your organization's messages. Connect an account once, then put your numbers on it."
        actions={accounts.length > 0 ? addButton : undefined}
      />
      {typeof deleted === "string" && deleted ? <Alert tone="success">{`Deleted the vendor account “${deleted}”.`}</Alert> : null}
      {accounts.length === 0 ? (
        <EmptyState
          icon="plug"
          title="Connect your first vendor account"
          description="Switchboard sends and receives through the providers you already use. Add an account's credentials once; you can mix vendors in one organization."
          action={addButton}
        >
          <Steps
            title="How it works"
            steps={[
              {
                title: "Choose a vendor and enter its settings",
                description: "Secrets are encrypted as soon as you save, and never shown again.",
              },
              {
                title: "Paste the webhook URLs into the vendor's console",
                description: "So replies and delivery reports reach Switchboard.",
              },
              { title: "Test the connection, then add numbers", description: "Each number belongs to one vendor account." },
            ]}
          />
        </EmptyState>
      ) : (
        <Table>
          <THead>
            <TR>
              <TH>Account</TH>
              <TH>Status</TH>
              <TH className="text-right">Numbers</TH>
              <TH>Last activity</TH>
              <TH>
                <span className="sr-only">Open</span>
              </TH>
            </TR>
          </THead>
          <TBody>
            {accounts.map((account) => (
              <TR key={account.id} className="relative">
                <TD>
                  <div className="flex items-center gap-3">
                    <VendorMark kind={account.kind} name={account.kindName} />
                    <div className="min-w-0">
                      {/* The link's box covers the row, so the whole row opens the account. */}
                      <Link
                        href={`${base}/${account.id}`}
                        className="font-medium text-zinc-900 outline-none after:absolute after:inset-0 hover:text-indigo-700 focus-visible:underline"
                      >
                        {account.name}
                      </Link>
                      <p className="text-[13px] text-zinc-500">{account.kindName}</p>
                    </div>
                  </div>
                </TD>
                <TD>
                  <AccountStatusBadges account={account} />
                </TD>
                <TD className="text-right tabular-nums">{account.numbers}</TD>
                <TD className="whitespace-nowrap">
                  {account.lastActivityAt ? (
                    formatDateTime(account.lastActivityAt)
                  ) : (
                    <span className="text-zinc-400">No activity yet</span>
                  )}
                </TD>
                <TD className="w-8 text-zinc-400">
                  <Icon name="chevron-right" />
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
    </div>
  );
}
