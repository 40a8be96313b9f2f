import { ComingSoonButton } from "@/components/ui/coming-soon-button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { minRoleFor } from "@/lib/nav";
import { requireOrgPage } from "@/lib/tenancy";

export const metadata = { title: "Contacts" };

const SAMPLE_CSV = `first_name,last_name,phone
Ada,Lovelace,+14155550123
Grace,Hopper,(212) 555-0199`;

export default async function Page({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  await requireOrgPage(org, minRoleFor("contacts"));

  return (
    <>
      <PageHeader
        title="Contacts"
        description="Everyone your organization texts, with their opt-out status."
        actions={
          <>
            <ComingSoonButton icon="plus" variant="secondary">
              Add contact
            </ComingSoonButton>
            <ComingSoonButton icon="upload">Import CSV</ComingSoonButton>
          </>
        }
      />
      <EmptyState
        icon="users"
        title="No contacts yet"
        description="Import a CSV of names and phone numbers to get started. Anyone who texts one of your numbers is added automatically, and opt-outs (STOP) are honoured across every campaign."
      >
        <div className="overflow-hidden rounded-lg border border-zinc-200 bg-white shadow-xs">
          <div className="flex items-center justify-between border-b border-zinc-100 px-4 py-2">
            <p className="text-xs font-medium tracking-wider text-zinc-500 uppercase">Example CSV</p>
            <p className="text-xs text-zinc-400">Phone numbers in any common format</p>
          </div>
          <pre className="overflow-x-auto bg-zinc-50/60 px-4 py-3 font-mono text-xs leading-relaxed text-zinc-700">
            {SAMPLE_CSV}
          </pre>
        </div>
      </EmptyState>
    </>
  );
}
