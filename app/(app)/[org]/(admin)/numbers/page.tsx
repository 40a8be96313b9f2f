import { ComingSoonButton } from "@/components/ui/coming-soon-button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Steps } from "@/components/ui/steps";
import { minRoleFor } from "@/lib/nav";
import { requireOrgPage } from "@/lib/tenancy";

export const metadata = { title: "Numbers" };

export default async function Page({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  await requireOrgPage(org, minRoleFor("numbers"));

  return (
    <>
      <PageHeader
        title="Numbers"
        description="The phone numbers you send from, and which vendor account carries each one."
        actions={<ComingSoonButton icon="plus">Add number</ComingSoonButton>}
      />
      <EmptyState
        icon="phone"
        title="No numbers yet"
        description="Add a number you've already provisioned with one of your vendors. Inbound texts to it land in Conversations, and campaigns can send from it."
      >
        <Steps
          title="How numbers work"
          steps={[
            { title: "Connect the vendor first", description: "Each number belongs to exactly one connected vendor account." },
            {
              title: "Add the number in E.164 format",
              description: "For example +14155550123, exactly as your vendor lists it.",
            },
            {
              title: "Use it in campaigns",
              description: "Texters send from your numbers; replies route back to the same thread.",
            },
          ]}
        />
      </EmptyState>
    </>
  );
}
