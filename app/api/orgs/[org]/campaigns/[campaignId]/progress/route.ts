import { campaignProgress } from "@/lib/campaigns/progress";
import { resolveOrgRoute } from "@/lib/tenancy";

/** A campaign's counts, polled by its page's progress bar while it runs. */
export async function GET(request: Request, { params }: { params: Promise<{ org: string; campaignId: string }> }) {
  const { org, campaignId } = await params;
  const resolved = await resolveOrgRoute(request, org, "ADMIN");
  if ("response" in resolved) return resolved.response;
  const progress = await campaignProgress(resolved.ctx.org.id, campaignId);
  if (!progress) return Response.json({ error: { code: "not_found", message: "Not found." } }, { status: 404 });
  return Response.json({ progress }, { headers: { "cache-control": "no-store" } });
}
