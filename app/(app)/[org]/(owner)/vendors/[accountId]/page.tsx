import { notFound } from "next/navigation";
import { cache } from "react";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { DefaultAccountControl, EnabledSwitch, TestConnection } from "@/components/vendors/account-controls";
import { AccountTabs, parseAccountTab } from "@/components/vendors/account-tabs";
import { ActivityList } from "@/components/vendors/activity-list";
import { BackLink } from "@/components/vendors/back-link";
import { DeleteAccountForm } from "@/components/vendors/delete-account-form";
import { DeviceQueue } from "@/components/vendors/device-queue";
import { RequestLogList } from "@/components/vendors/request-log-list";
import { AccountStatusBadges } from "@/components/vendors/status-badges";
import { VendorConfigForm } from "@/components/vendors/vendor-config-form";
import { SyncUrl } from "@/components/vendors/sync-url";
import { VendorMark } from "@/components/vendors/vendor-mark";
import { WebhookUrls } from "@/components/vendors/webhook-urls";
import { ActionError } from "@/lib/action-result";
import { formatDate } from "@/lib/format";
import { listDeviceQueue } from "@/lib/messaging/device";
import { SYNC_ACTION } from "@/lib/messaging/smssync";
import { minRoleFor } from "@/lib/nav";
import { requireOrgPage } from "@/lib/tenancy";
import { getVendorAccountView, listVendorRequestLogs } from "@/lib/vendors/accounts";
import { getAdapter } from "@/lib/vendors/registry";

type Props = { params: Promise<{ org: string; accountId: string }>; searchParams: Promise<{ tab?: string | string[] }> };

/** Shared by the title and the page within one request; another org's id is a 404 like a missing one. */
const loadAccount = cache(async (orgSlug: string, accountId: string) => {
  const ctx = await requireOrgPage(orgSlug, minRoleFor("vendors"));
  try {
    return { ctx, account: await getVendorAccountView(ctx.org.id, accountId) };
  } catch (error) {
    if (error instanceof ActionError && error.status === 404) notFound();
    throw error;
  }
});

export async function generateMetadata({ params }: Props) {
  const { org, accountId } = await params;
  const { account } = await loadAccount(org, accountId);
  return { title: `${account.name} · Vendors` };
}

export default async function VendorAccountPage({ params, searchParams }: Props) {
  const { org, accountId } = await params;
  const { ctx, account } = await loadAccount(org, accountId);
  const tab = parseAccountTab((await searchParams).tab);
  const adapter = getAdapter(account.kind);
  const basePath = `/${ctx.org.slug}/vendors/${account.id}`;
  const secretsSet = account.secretsSet;
  // A device-pull phone (SMSsync) fetches its messages: what waits for it is part of the account's state.
  const devicePull = adapter.capabilities.devicePull;
  const syncUrl = account.webhookUrls.find((hook) => hook.action === SYNC_ACTION)?.url;
  // Only non-secret settings reach the form; secret fields learn whether they are set, nothing more.
  const values = Object.fromEntries(
    account.fields.filter((field) => !field.secret).map((field) => [field.name, account.config[field.name]]),
  );

  return (
    <div>
      <BackLink href={`/${ctx.org.slug}/vendors`} label="Vendors" />
      <header className="mb-6 flex flex-wrap items-start gap-4">
        <VendorMark kind={account.kind} name={account.kindName} size="lg" />
        <div className="min-w-0 flex-1 space-y-1.5">
          <div className="flex flex-wrap items-center gap-x-3 gap-y-1.5">
            <h1 className="text-2xl font-semibold tracking-tight text-zinc-900">{account.name}</h1>
            <AccountStatusBadges account={account} />
          </div>
          <p className="text-sm text-zinc-500">
            {account.kindName} · {account.numbers === 1 ? "1 number" : `${account.numbers} numbers`} · added{" "}
            {formatDate(account.createdAt)}
          </p>
        </div>
      </header>
      <AccountTabs basePath={basePath} current={tab} counts={{ webhooks: account.webhookUrls.length }} />

      {tab === "settings" ? (
        <div className="grid items-start gap-6 lg:grid-cols-[minmax(0,1fr)_20rem]">
          <div className="min-w-0 space-y-6">
            <Card>
              <CardHeader
                title="Settings"
                description="Secret fields show <Encrypted> once set: type a new value to replace one, or leave it blank to keep it."
              />
              <CardBody className="py-5">
                <VendorConfigForm
                  orgSlug={ctx.org.slug}
                  kind={account.kind}
                  kindName={account.kindName}
                  accountId={account.id}
                  name={account.name}
                  fields={account.fields}
                  values={values}
                  secretsSet={secretsSet}
                />
              </CardBody>
            </Card>
            {devicePull ? <DeviceQueue {...await listDeviceQueue(ctx.org.id, account.id)} /> : null}
          </div>
          <div className="space-y-6">
            <Card>
              <CardHeader title="Connection" />
              <CardBody>
                <TestConnection orgSlug={ctx.org.slug} accountId={account.id} />
              </CardBody>
            </Card>
            <Card>
              <CardHeader title="Status" />
              <CardBody className="space-y-4">
                <EnabledSwitch orgSlug={ctx.org.slug} accountId={account.id} enabled={account.enabled} />
                <div className="border-t border-zinc-100 pt-4">
                  <DefaultAccountControl orgSlug={ctx.org.slug} accountId={account.id} isDefault={account.isDefault} />
                </div>
              </CardBody>
            </Card>
            <Card>
              <CardHeader title="Activity" />
              <CardBody>
                <ActivityList account={account} />
              </CardBody>
            </Card>
            <Card className="border-red-200">
              <CardHeader
                title="Delete account"
                description={
                  account.numbers > 0
                    ? `Its ${account.numbers === 1 ? "number" : `${account.numbers} numbers`} must be released or moved first.`
                    : "Removes its settings and request logs. This can't be undone."
                }
              />
              <CardBody>
                <DeleteAccountForm orgSlug={ctx.org.slug} accountId={account.id} name={account.name} />
              </CardBody>
            </Card>
          </div>
        </div>
      ) : null}

      {tab === "webhooks" ? (
        devicePull && syncUrl ? (
          <SyncUrl url={syncUrl} />
        ) : (
          <WebhookUrls kindName={account.kindName} urls={account.webhookUrls} capabilities={adapter.capabilities} />
        )
      ) : null}

      {tab === "logs" ? (
        <div className="space-y-3">
          <p className="text-sm text-zinc-500">
            The last 100 requests to {account.kindName}, newest first. Open one to see what was sent and answered; secrets are
            removed before anything is stored.
          </p>
          <RequestLogList logs={await listVendorRequestLogs(ctx.org.id, account.id)} kindName={account.kindName} />
        </div>
      ) : null}
    </div>
  );
}
