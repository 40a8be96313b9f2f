import { notFound } from "next/navigation";
import { Suspense } from "react";
import { CampaignContactsForm } from "@/components/campaigns/campaign-contacts-form";
import { CampaignControls } from "@/components/campaigns/campaign-controls";
import { CampaignForm } from "@/components/campaigns/campaign-form";
import { CampaignProgressBar } from "@/components/campaigns/campaign-progress";
import { CampaignStats, CampaignStatsSkeleton } from "@/components/campaigns/stats-section";
import { TexterSection } from "@/components/campaigns/texter-section";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { findCampaign } from "@/lib/campaigns/campaigns";
import { campaignFieldNames } from "@/lib/campaigns/contacts";
import { campaignProgress } from "@/lib/campaigns/progress";
import { previewScript } from "@/lib/campaigns/script";
import { listSenderOptions } from "@/lib/campaigns/sender";
import { describeWindow } from "@/lib/campaigns/window";
import { requireOrgPage } from "@/lib/tenancy";
import { DEFAULT_TIME_ZONE } from "@/lib/time";

export const metadata = { title: "Campaign" };

/** A campaign for admins: script preview, counts with a live bar, controls, contacts and settings. */
export default async function CampaignPage({ params }: { params: Promise<{ org: string; campaignId: string }> }) {
  const { org, campaignId } = await params;
  const ctx = await requireOrgPage(org, "ADMIN");
  const campaign = await findCampaign(ctx.org.id, campaignId);
  if (!campaign) notFound();
  const [progress, fields, accounts] = await Promise.all([
    campaignProgress(ctx.org.id, campaign.id),
    campaignFieldNames(ctx.org.id, campaign.id),
    listSenderOptions(ctx.org.id),
  ]);
  if (!progress) notFound();
  const timeZone = ctx.org.features.timeZone ?? DEFAULT_TIME_ZONE;
  const preview = previewScript(campaign.script, fields);
  const editable = campaign.status === "DRAFT" || campaign.status === "PAUSED";
  const account = accounts.find((a) => a.id === campaign.vendorAccountId);
  const numbers = account?.numbers.filter((n) => campaign.sender.phoneNumberIds?.includes(n.id)) ?? [];

  return (
    <div className="space-y-6">
      <PageHeader
        title={campaign.title}
        description={
          campaign.description ||
          (campaign.mode === "SEND_TO_ALL" ? "Sends to every contact at once." : "Texters send each message.")
        }
        actions={
          <Badge tone={campaign.status === "RUNNING" ? "blue" : campaign.status === "COMPLETED" ? "green" : "gray"}>
            {campaign.status.toLowerCase()}
          </Badge>
        }
      />
      <Card>
        <CardHeader
          title="Progress"
          description={
            campaign.mode === "SEND_TO_ALL"
              ? "Send to all: queued in batches while the campaign runs."
              : "Texters: each initial message is sent by a person."
          }
        />
        <CardBody className="space-y-4">
          <CampaignProgressBar orgSlug={ctx.org.slug} campaignId={campaign.id} initial={progress} />
          <CampaignControls orgSlug={ctx.org.slug} campaignId={campaign.id} status={campaign.status} />
        </CardBody>
      </Card>
      <div className="grid gap-6 lg:grid-cols-2">
        <Card>
          <CardHeader
            title="Script"
            description={`${preview.segments.segments} ${preview.segments.segments === 1 ? "segment" : "segments"} with sample values`}
          />
          <CardBody>
            <p className="text-sm whitespace-pre-wrap text-zinc-900" data-testid="campaign-script-preview">
              {preview.text}
            </p>
            {!preview.check.ok ? <p className="mt-2 text-[13px] text-red-600">{preview.check.error}</p> : null}
          </CardBody>
        </Card>
        <Card>
          <CardHeader title="Sending" />
          <CardBody>
            <dl className="space-y-2 text-sm">
              <div>
                <dt className="text-[13px] text-zinc-500">From</dt>
                <dd>
                  {account?.name ?? "No vendor account"}
                  {numbers.length
                    ? ` · ${numbers.map((n) => n.e164).join(", ")}`
                    : campaign.sender.messagingServiceId
                      ? ` · service ${campaign.sender.messagingServiceId}`
                      : " · all of its numbers"}
                </dd>
              </div>
              <div>
                <dt className="text-[13px] text-zinc-500">Sending window</dt>
                <dd>{describeWindow(campaign.sendingWindow, timeZone)}</dd>
              </div>
            </dl>
          </CardBody>
        </Card>
      </div>

      {campaign.mode === "TEXTERS" ? <TexterSection ctx={ctx} campaign={campaign} /> : null}

      <Suspense fallback={<CampaignStatsSkeleton />}>
        <CampaignStats orgId={ctx.org.id} campaignId={campaign.id} />
      </Suspense>

      {editable ? (
        <>
          <Card>
            <CardHeader
              title="Add contacts"
              description="Opted-out and untextable contacts are skipped when the campaign starts, and counted."
            />
            <CardBody>
              <CampaignContactsForm orgSlug={ctx.org.slug} campaignId={campaign.id} />
            </CardBody>
          </Card>
          <Card>
            <CardHeader title="Edit campaign" />
            <CardBody>
              <CampaignForm
                orgSlug={ctx.org.slug}
                accounts={accounts}
                fields={fields}
                timeZone={timeZone}
                initial={{
                  id: campaign.id,
                  title: campaign.title,
                  description: campaign.description,
                  script: campaign.script,
                  mode: campaign.mode,
                  vendorAccountId: campaign.vendorAccountId,
                  phoneNumberIds: campaign.sender.phoneNumberIds ?? [],
                  messagingServiceId: campaign.sender.messagingServiceId ?? "",
                  startHour: campaign.sendingWindow?.startHour ?? null,
                  endHour: campaign.sendingWindow?.endHour ?? null,
                }}
              />
            </CardBody>
          </Card>
        </>
      ) : null}
    </div>
  );
}
