import { loadThread } from "@/lib/conversations";
import { resolveOrgRoute } from "@/lib/tenancy";

/**
 * A thread's header (opt-out lock included) and latest messages, polled by the open thread so
 * that new messages and status changes appear without a reload. Another org's conversation
 * and, for a texter, one not assigned to them are both 404.
 */
export async function GET(request: Request, { params }: { params: Promise<{ org: string; conversationId: string }> }) {
  const { org, conversationId } = await params;
  const resolved = await resolveOrgRoute(request, org, "TEXTER");
  if ("response" in resolved) return resolved.response;
  const thread = await loadThread(resolved.ctx, conversationId);
  if (!thread) return Response.json({ error: { code: "not_found", message: "Not found." } }, { status: 404 });
  return Response.json(thread, { headers: { "cache-control": "no-store" } });
}
