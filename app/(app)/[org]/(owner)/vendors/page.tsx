import { ComingSoonButton } from "@/components/ui/coming-soon-button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { minRoleFor } from "@/lib/nav";
import { requireOrgPage } from "@/lib/tenancy";

export const metadata = { title: "Vendors" };

const VENDORS = [
  { name: "Twilio", detail: "Programmable Messaging", tone: "bg-red-50 text-red-600 ring-red-600/15" },
  { name: "Bandwidth", detail: "Messaging API", tone: "bg-sky-50 text-sky-600 ring-sky-600/15" },
  { name: "Vonage", detail: "SMS API", tone: "bg-violet-50 text-violet-600 ring-violet-600/15" },
  { name: "MessageMedia", detail: "Messages API", tone: "bg-emerald-50 text-emerald-600 ring-emerald-600/15" },
  { name: "Generic gateway", detail: "HTTP and device gateways", tone: "bg-zinc-100 text-zinc-600 ring-zinc-500/15" },
];

export default async function Page({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  await requireOrgPage(org, minRoleFor("vendors"));

  return (
    <>
      <PageHeader
        title="Vendors"
        description="The SMS providers that carry your organization's messages."
        actions={<ComingSoonButton icon="plus">Connect vendor</ComingSoonButton>}
      />
      <EmptyState
        icon="plug"
        title="Connect a vendor account"
        description="Switchboard sends and receives through the providers you already use. Add an account's credentials once, then assign your numbers to it — you can mix vendors in one organization."
      >
        <ul className="grid gap-2 sm:grid-cols-2">
          {VENDORS.map((vendor) => (
            <li
              key={vendor.name}
              className="flex items-center gap-3 rounded-lg border border-zinc-200 bg-white px-3 py-2.5 shadow-xs"
            >
              <span
                aria-hidden="true"
                className={`flex size-8 shrink-0 items-center justify-center rounded-md text-sm font-semibold ring-1 ring-inset ${vendor.tone}`}
              >
                {vendor.name[0]}
              </span>
              <span className="min-w-0">
                <span className="block text-sm font-medium text-zinc-900">{vendor.name}</span>
                <span className="block truncate text-xs text-zinc-500">{vendor.detail}</span>
              </span>
            </li>
          ))}
        </ul>
      </EmptyState>
    </>
  );
}
