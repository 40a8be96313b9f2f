import { buildOpenApiDocument } from "@/lib/api/openapi";
import { publicUrl } from "@/lib/env";

export const dynamic = "force-dynamic";

/** Public: the document describes the API, it holds nothing of any organization. */
export function GET(): Response {
  return Response.json(buildOpenApiDocument(publicUrl()), {
    headers: { "cache-control": "public, max-age=300", "access-control-allow-origin": "*" },
  });
}
