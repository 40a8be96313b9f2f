import { ActionError } from "@/lib/action-result";
import { publicUrl } from "@/lib/env";
import { STATE_COOKIE, startOAuth2 } from "@/lib/vendors/oauth2-connect";
import { resolveOrgRoute } from "@/lib/tenancy";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ org: string; accountId: string }> };

/** Sends the owner to the vendor's sign-in for a template account with OAuth2; the vendor returns them to ../callback. */
export async function GET(request: Request, { params }: Params) {
  const { org, accountId } = await params;
  const resolved = await resolveOrgRoute(request, org, "OWNER");
  if ("response" in resolved) return resolved.response;
  const { ctx } = resolved;
  try {
    const { location, nonce } = await startOAuth2({ orgId: ctx.org.id, orgSlug: ctx.org.slug, userId: ctx.user.id }, accountId);
    const secure = publicUrl().startsWith("https:") ? "; Secure" : "";
    // Lax, not Strict: the vendor's redirect back is a top-level navigation from its site.
    const cookie = `${STATE_COOKIE}=${nonce}; Path=/api/orgs/${ctx.org.slug}/vendors/${accountId}/oauth2; Max-Age=600; HttpOnly; SameSite=Lax${secure}`;
    return new Response(null, { status: 302, headers: { location, "set-cookie": cookie, "cache-control": "no-store" } });
  } catch (error) {
    if (error instanceof ActionError)
      return Response.json({ error: { code: "refused", message: error.message } }, { status: error.status });
    throw error;
  }
}
