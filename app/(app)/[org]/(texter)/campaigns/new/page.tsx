import { CampaignForm } from "@/components/campaigns/campaign-form";
import { Card, CardBody } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { campaignFieldNames } from "@/lib/campaigns/contacts";
import { listSenderOptions } from "@/lib/campaigns/sender";
import { requireOrgPage } from "@/lib/tenancy";
import { DEFAULT_TIME_ZONE } from "@/lib/time";

export const metadata = { title: "New campaign" };

export default async function NewCampaignPage({ params }: { params: Promise<{ org: string }> }) {
  const ctx = await requireOrgPage((await params).org, "ADMIN");
  const [accounts, fields] = await Promise.all([listSenderOptions(ctx.org.id), campaignFieldNames(ctx.org.id, null)]);
  return (
    <>
      <PageHeader
        title="New campaign"
        description="Write the message, choose who sends it, then add contacts on the next page."
      />
      <Card>
        <CardBody>
          <CampaignForm
            orgSlug={ctx.org.slug}
            accounts={accounts}
            fields={fields}
            timeZone={ctx.org.features.timeZone ?? DEFAULT_TIME_ZONE}
            initial={{
              title: "",
              description: "",
              script: "",
              mode: "TEXTERS",
              vendorAccountId: null,
              phoneNumberIds: [],
              messagingServiceId: "",
              startHour: 9,
              endHour: 21,
            }}
          />
        </CardBody>
      </Card>
    </>
  );
}
