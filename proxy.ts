import { NextResponse, type NextRequest } from "next/server";

/**
 * Turns two kinds of malformed request that Next.js would answer with a 500 into clear
 * 400s: a path with broken percent-encoding, and a server-action call whose body is not
 * the JSON or form data React sends. Everything else passes straight through.
 */
export async function proxy(request: NextRequest): Promise<NextResponse> {
  try {
    decodeURIComponent(request.nextUrl.pathname);
  } catch {
    return badRequest("The address has malformed percent-encoding.");
  }
  if (request.method === "POST" && request.headers.has("next-action")) {
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
  // Static assets and images never carry either problem.
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
