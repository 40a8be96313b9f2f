import { notFound } from "next/navigation";
import { TexterReplies } from "@/components/campaigns/texter-replies";
import { TexterSendCard } from "@/components/campaigns/texter-send-card";
import { ButtonLink } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { findCampaign } from "@/lib/campaigns/campaigns";
import { listCannedResponses } from "@/lib/campaigns/canned-responses";
import { loadTexterQueue } from "@/lib/campaigns/texting";
import { hasRole, requireOrgPage } from "@/lib/tenancy";

export const metadata = { title: "Texting" };

type Props = { params: Promise<{ org: string; campaignId: string }> };

/**
 * A texter's page for one campaign: their next first message behind one button, then the
 * replies that need them. Everything shown is the signed-in person's own assignments.
 */
export default async function TextingPage({ params }: Props) {
  const { org, campaignId } = await params;
  const ctx = await requireOrgPage(org, "TEXTER");
  const campaign = await findCampaign(ctx.org.id, campaignId);
  if (!campaign) notFound();
  const [queue, canned] = await Promise.all([loadTexterQueue(ctx, campaign), listCannedResponses(ctx, campaign.id)]);
  return (
    <>
      <PageHeader
        title={campaign.title}
        description={campaign.description || "Send each first message with one click, then answer the replies."}
        actions={
          hasRole(ctx.role, "SUPERVOLUNTEER") ? (
            <ButtonLink variant="secondary" href={`/${org}/campaigns/${campaign.id}/assign`}>
              Assign texters
            </ButtonLink>
          ) : null
        }
      />
      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_minmax(0,1fr)]">
        <TexterSendCard orgSlug={org} queue={queue} />
        <TexterReplies orgSlug={org} replies={queue.replies} canned={canned} orgGoodbye={queue.orgGoodbye} />
      </div>
      {canned.length > 0 ? (
        <section className="mt-6 text-sm text-zinc-600" aria-label="Canned responses">
          <h2 className="mb-2 font-medium text-zinc-900">Canned responses</h2>
          <ul className="grid gap-2 sm:grid-cols-2">
            {canned.map((c) => (
              <li key={c.id} className="rounded-lg border border-zinc-200 bg-white px-3 py-2">
                <p className="font-medium text-zinc-800">{c.title}</p>
                <p className="text-zinc-500">{c.body}</p>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
