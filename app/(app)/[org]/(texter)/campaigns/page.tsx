import { ComingSoonButton } from "@/components/ui/coming-soon-button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Steps } from "@/components/ui/steps";
import { minRoleFor } from "@/lib/nav";
import { requireOrgPage } from "@/lib/tenancy";

export const metadata = { title: "Campaigns" };

export default async function Page({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  await requireOrgPage(org, minRoleFor("campaigns"));

  return (
    <>
      <PageHeader
        title="Campaigns"
        description="Personal, one-to-one outreach to a list of contacts, sent by your texters."
        actions={<ComingSoonButton icon="plus">New campaign</ComingSoonButton>}
      />
      <EmptyState
        icon="megaphone"
        title="No campaigns yet"
        description="A campaign pairs a contact list with an opening message. Texters send each message individually, and every reply continues in Conversations."
        action={
          <ComingSoonButton icon="plus" variant="secondary">
            Create your first campaign
          </ComingSoonButton>
        }
      >
        <Steps
          title="Before you launch"
          steps={[
            { title: "Import contacts", description: "Upload a CSV of the people you want to reach." },
            { title: "Write the opening message", description: "Keep it short and personal, and tell people how to opt out." },
            { title: "Assign texters and send", description: "Split the list across your team and start sending." },
          ]}
        />
      </EmptyState>
    </>
  );
}
