import { ButtonLink } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import type { Campaign } from "@/db/schema/campaigns";
import { summarizeAssignments } from "@/lib/campaigns/assignments";
import type { OrgContext } from "@/lib/tenancy";

/**
 * For the campaign page's texter slot: how the contacts are shared among texters, with the
 * way to the assign page and to the signed-in person's own texting queue.
 */
export async function TexterSection({ ctx, campaign }: { ctx: OrgContext; campaign: Campaign }) {
  const summary = await summarizeAssignments(ctx, campaign);
  const base = `/${ctx.org.slug}/campaigns/${campaign.id}`;
  return (
    <Card>
      <CardHeader
        title="Texters"
        description={`${summary.texters.length} texter${summary.texters.length === 1 ? "" : "s"} assigned · ${summary.unassigned} contact${summary.unassigned === 1 ? "" : "s"} unassigned`}
        actions={
          <>
            <ButtonLink variant="secondary" size="sm" href={`${base}/assign`}>
              Assign texters
            </ButtonLink>
            <ButtonLink variant="secondary" size="sm" href={`${base}/texting`}>
              Open my texting queue
            </ButtonLink>
          </>
        }
      />
      {summary.texters.length > 0 ? (
        <CardBody>
          <ul className="grid gap-1 text-sm sm:grid-cols-2">
            {summary.texters.map((t) => (
              <li key={t.userId} className="flex justify-between gap-3">
                <span>{t.name}</span>
                <span className="text-zinc-500 tabular-nums">{`${t.sent} of ${t.total} sent`}</span>
              </li>
            ))}
          </ul>
        </CardBody>
      ) : null}
    </Card>
  );
}
