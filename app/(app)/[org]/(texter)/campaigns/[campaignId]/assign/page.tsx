import { notFound } from "next/navigation";
import { TexterReassignForm, TexterSplitForm } from "@/components/campaigns/texter-assign-forms";
import { TexterCannedResponses } from "@/components/campaigns/texter-canned-responses";
import { Badge } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { summarizeAssignments } from "@/lib/campaigns/assignments";
import { findCampaign } from "@/lib/campaigns/campaigns";
import { listCannedResponses } from "@/lib/campaigns/canned-responses";
import { requireOrgPage } from "@/lib/tenancy";

export const metadata = { title: "Assign texters" };

type Props = { params: Promise<{ org: string; campaignId: string }> };

/**
 * Admins and supervolunteers share a campaign's contacts among texters, move unsent ones
 * between them, and write the canned responses texters answer with. Texters get a 404.
 */
export default async function AssignPage({ params }: Props) {
  const { org, campaignId } = await params;
  const ctx = await requireOrgPage(org, "SUPERVOLUNTEER");
  const campaign = await findCampaign(ctx.org.id, campaignId);
  if (!campaign) notFound();
  const [summary, canned] = await Promise.all([summarizeAssignments(ctx, campaign), listCannedResponses(ctx, campaign.id)]);
  return (
    <>
      <PageHeader
        title={`Assign texters: ${campaign.title}`}
        description="Each texter sends their contacts' first messages one click at a time, then answers the replies."
        actions={
          <ButtonLink variant="secondary" href={`/${org}/campaigns/${campaign.id}/texting`}>
            Open my texting queue
          </ButtonLink>
        }
      />
      <div className="space-y-6">
        <Card>
          <CardHeader title="Texters" description="Contacts per texter: sent so far, and still waiting for a first message." />
          {summary.texters.length === 0 ? (
            <CardBody className="text-sm text-zinc-500">Nobody is assigned yet. Split the contacts below.</CardBody>
          ) : (
            <table className="w-full text-sm" aria-label="Texters and their contacts">
              <thead className="text-left text-xs text-zinc-500">
                <tr>
                  <th className="px-5 py-2 font-medium">Texter</th>
                  <th className="px-5 py-2 text-right font-medium">Assigned</th>
                  <th className="px-5 py-2 text-right font-medium">Sent</th>
                  <th className="px-5 py-2 text-right font-medium">Unsent</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-100">
                {summary.texters.map((t) => (
                  <tr key={t.userId}>
                    <td className="px-5 py-2">
                      {t.name} {t.role === "FORMER" ? <Badge tone="yellow">former member</Badge> : null}
                    </td>
                    <td className="px-5 py-2 text-right tabular-nums">{t.total}</td>
                    <td className="px-5 py-2 text-right tabular-nums">{t.sent}</td>
                    <td className="px-5 py-2 text-right tabular-nums">{t.pending}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Card>
        <Card>
          <CardHeader
            title="Split contacts"
            description="Share the unassigned contacts evenly among the texters you tick, or give each a count."
          />
          <CardBody>
            <TexterSplitForm orgSlug={org} summary={summary} />
          </CardBody>
        </Card>
        <Card>
          <CardHeader
            title="Reassign"
            description="Only contacts who have not been texted move; conversations stay with the texter who started them."
          />
          <CardBody>
            <TexterReassignForm orgSlug={org} summary={summary} />
          </CardBody>
        </Card>
        <Card>
          <CardHeader title="Canned responses" description="Answers texters can insert when replying." />
          <CardBody>
            <TexterCannedResponses orgSlug={org} campaignId={campaign.id} canned={canned} />
          </CardBody>
        </Card>
      </div>
    </>
  );
}
