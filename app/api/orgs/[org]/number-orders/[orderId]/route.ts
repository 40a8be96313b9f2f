import { findNumberOrder } from "@/lib/numbers";
import { resolveOrgRoute } from "@/lib/tenancy";

/** A number order's progress, polled by the numbers page while the buy-numbers job runs. */
export async function GET(request: Request, { params }: { params: Promise<{ org: string; orderId: string }> }) {
  const { org, orderId } = await params;
  const resolved = await resolveOrgRoute(request, org, "ADMIN");
  if ("response" in resolved) return resolved.response;
  const order = await findNumberOrder(resolved.ctx.org.id, orderId);
  if (!order) return Response.json({ error: { code: "not_found", message: "Not found." } }, { status: 404 });
  return Response.json({ order }, { headers: { "cache-control": "no-store" } });
}
