import { parseInboxQuery } from "@/components/conversations/inbox-query";
import { loadInboxPage } from "@/lib/conversations";
import { resolveOrgRoute } from "@/lib/tenancy";

/** The inbox as JSON, with the page's own filters and cursor: the conversations page polls it. */
export async function GET(request: Request, { params }: { params: Promise<{ org: string }> }) {
  const resolved = await resolveOrgRoute(request, (await params).org, "TEXTER");
  if ("response" in resolved) return resolved.response;
  const query = parseInboxQuery(new URL(request.url).searchParams);
  return Response.json(await loadInboxPage(resolved.ctx, query), { headers: { "cache-control": "no-store" } });
}
