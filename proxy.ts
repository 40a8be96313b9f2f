import { NextResponse, type NextRequest } from "next/server";
import { malformedPath } from "@/lib/http/malformed-path";

/** Matches serverActions.bodySizeLimit in next.config.mjs; Next itself answers a larger body with a 500. */
const MAX_ACTION_BODY_BYTES = 6 * 1024 * 1024;

/**
 * Turns bad requests that Next.js would answer with a 500 into clear 4xx answers: a path
 * with broken percent-encoding (400), a server-action call over the size limit (413), and
 * one whose body is not the JSON or form data React sends (400). Everything else passes through.
 */
export async function proxy(request: NextRequest): Promise<Response> {
  try {
    decodeURIComponent(request.nextUrl.pathname);
  } catch {
    return malformedPath();
  }
  if (request.method === "POST" && request.headers.has("next-action")) {
    if (Number(request.headers.get("content-length") ?? 0) > MAX_ACTION_BODY_BYTES) {
      return NextResponse.json({ error: { code: "too_large", message: "The request is larger than 6 MB." } }, { status: 413 });
    }
    const type = request.headers.get("content-type") ?? "";
    try {
      if (type.startsWith("multipart/form-data")) await request.clone().formData();
      else JSON.parse(await request.clone().text());
    } catch {
      return badRequest("The action's arguments are not valid JSON or form data.");
    }
  }
  return NextResponse.next();
}

function badRequest(message: string): NextResponse {
  return NextResponse.json({ error: { code: "bad_request", message } }, { status: 400 });
}

export const config = {
  // Static assets and images never carry either problem. Vendor webhooks, the SMSsync and External
  // gateways, the REST API, the pages' JSON routes (/api/orgs: the inbox polls one) and the health check
  // take no server actions: the proxy sees them only when their path has a percent-encoding it could find
  // broken. Running it costs every request Next's own handling of a proxy, which nearly halves the
  // requests per second a route can answer.
  matcher: [
    "/((?!_next/static|_next/image|favicon.ico|api/webhooks/|api/v1/|api/orgs/|c/ex/|api/health).*)",
    "/(api/webhooks|api/v1|api/orgs|c/ex|api/health)/(.*%.*)",
  ],
};
