import { Alert } from "@/components/ui/alert";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { BackLink } from "@/components/vendors/back-link";
import { CapabilityChips } from "@/components/vendors/capabilities";
import { KindChooser } from "@/components/vendors/kind-chooser";
import { VendorConfigForm } from "@/components/vendors/vendor-config-form";
import { VendorMark } from "@/components/vendors/vendor-mark";
import { minRoleFor } from "@/lib/nav";
import { requireOrgPage } from "@/lib/tenancy";
import { describeConfig } from "@/lib/vendors/config-form";
import { getAdapter, isVendorKind, VENDOR_KINDS } from "@/lib/vendors/registry";

export const metadata = { title: "Add vendor account" };

export default async function NewVendorAccountPage({
  params,
  searchParams,
}: {
  params: Promise<{ org: string }>;
  searchParams: Promise<{ kind?: string }>;
}) {
  const ctx = await requireOrgPage((await params).org, minRoleFor("vendors"));
  const { kind } = await searchParams;
  const base = `/${ctx.org.slug}/vendors`;
  const chosen = typeof kind === "string" && isVendorKind(kind) ? getAdapter(kind) : null;

  return (
    <div className="mx-auto max-w-3xl">
      <BackLink href={chosen ? `${base}/new` : base} label={chosen ? "Choose another vendor" : "Vendors"} />
      {chosen ? (
        <>
          <PageHeader
            title={`Connect ${chosen.displayName}`}
            description="Enter the account's settings as the vendor shows them. Secrets are encrypted when you save and never shown again."
          />
          <Card>
            <div className="flex items-start gap-3 border-b border-zinc-100 px-5 py-4">
              <VendorMark kind={chosen.kind} name={chosen.displayName} />
              <div className="min-w-0 space-y-2">
                <div>
                  <h2 className="text-[15px] font-semibold text-zinc-900">{chosen.displayName}</h2>
                  <p className="text-sm text-zinc-500">{chosen.description}</p>
                </div>
                <CapabilityChips capabilities={chosen.capabilities} />
              </div>
            </div>
            <CardBody className="py-5">
              <VendorConfigForm
                orgSlug={ctx.org.slug}
                kind={chosen.kind}
                kindName={chosen.displayName}
                name=""
                fields={describeConfig(chosen)}
                values={{}}
                secretsSet={[]}
              />
            </CardBody>
          </Card>
        </>
      ) : (
        <>
          <PageHeader
            title="Add a vendor account"
            description="Choose the SMS provider this account is with. You can connect several accounts, with one vendor or with many."
          />
          {kind ? (
            <Alert tone="warning" className="mb-4">
              Switchboard doesn&apos;t know a vendor called “{kind}”. Choose one of these.
            </Alert>
          ) : null}
          <Card>
            <CardHeader title="Choose a vendor" description={`${VENDOR_KINDS.length} available`} />
            <CardBody>
              <KindChooser orgSlug={ctx.org.slug} adapters={VENDOR_KINDS.map(getAdapter)} />
            </CardBody>
          </Card>
        </>
      )}
    </div>
  );
}
