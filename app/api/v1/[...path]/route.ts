import { apiErrorResponse, ApiError } from "@/lib/api/errors";

export const dynamic = "force-dynamic";

/** Unknown endpoints answer in the API's own error shape, not with the app's HTML 404 page. */
function unknownEndpoint(request: Request): Response {
  const { pathname } = new URL(request.url);
  return apiErrorResponse(new ApiError(404, "not_found", `No endpoint ${request.method} ${pathname}; see /api/v1/openapi.json.`));
}

export const GET = unknownEndpoint;
export const POST = unknownEndpoint;
export const PUT = unknownEndpoint;
export const PATCH = unknownEndpoint;
export const DELETE = unknownEndpoint;
