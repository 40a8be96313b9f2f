import { ComingSoonButton } from "@/components/ui/coming-soon-button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Steps } from "@/components/ui/steps";
import { minRoleFor } from "@/lib/nav";
import { requireOrgPage } from "@/lib/tenancy";

export const metadata = { title: "Conversations" };

export default async function Page({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  await requireOrgPage(org, minRoleFor("conversations"));

  return (
    <>
      <PageHeader
        title="Conversations"
        description="Two-way text threads with your contacts, across every number and vendor."
        actions={<ComingSoonButton icon="plus">New message</ComingSoonButton>}
      />
      <EmptyState
        icon="inbox"
        title="No conversations yet"
        description="When a contact texts one of your numbers or you start a campaign, threads appear here."
      >
        <Steps
          title="Getting your first conversation"
          steps={[
            {
              title: "Connect a vendor account",
              description: "An owner adds Twilio, Bandwidth, Vonage or another provider under Vendors.",
            },
            { title: "Add a sending number", description: "Admins register the numbers you already own with that vendor." },
            {
              title: "Send or receive a text",
              description: "Launch a campaign, or wait for someone to text one of your numbers.",
            },
          ]}
        />
      </EmptyState>
    </>
  );
}
