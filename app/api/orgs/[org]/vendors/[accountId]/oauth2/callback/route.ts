import type { NextRequest } from "next/server";
import { ActionError } from "@/lib/action-result";
import { publicUrl } from "@/lib/env";
import { VendorError } from "@/lib/vendors/errors";
import { finishOAuth2, STATE_COOKIE } from "@/lib/vendors/oauth2-connect";
import { resolveOrgRoute } from "@/lib/tenancy";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ org: string; accountId: string }> };

/** Where the vendor returns the owner: the code is exchanged, the tokens stored encrypted, and the owner taken back to the account. */
export async function GET(request: NextRequest, { params }: Params) {
  const { org, accountId } = await params;
  const resolved = await resolveOrgRoute(request, org, "OWNER");
  if ("response" in resolved) return resolved.response;
  const { ctx } = resolved;
  const query = Object.fromEntries(request.nextUrl.searchParams);
  const clear = `${STATE_COOKIE}=; Path=/api/orgs/${ctx.org.slug}/vendors/${accountId}/oauth2; Max-Age=0; HttpOnly; SameSite=Lax`;
  try {
    await finishOAuth2(
      { orgId: ctx.org.id, orgSlug: ctx.org.slug, userId: ctx.user.id },
      accountId,
      query,
      request.cookies.get(STATE_COOKIE)?.value,
    );
  } catch (error) {
    if (error instanceof ActionError && error.status === 404)
      return Response.json({ error: { code: "not_found", message: "Not found." } }, { status: 404 });
    if (error instanceof ActionError || error instanceof VendorError) {
      const message = error instanceof VendorError ? error.description : error.message;
      // The state cookie stays: a forged or stale callback must not cancel the owner's flow in progress.
      return new Response(`The OAuth2 connection failed: ${message}`, {
        status: error instanceof VendorError ? 502 : error.status,
        headers: { "content-type": "text/plain; charset=utf-8" },
      });
    }
    throw error;
  }
  const back = `${publicUrl()}/${ctx.org.slug}/vendors/${accountId}?oauth2=connected`;
  return new Response(null, { status: 303, headers: { location: back, "set-cookie": clear, "cache-control": "no-store" } });
}
