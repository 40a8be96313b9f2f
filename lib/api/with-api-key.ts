import type { ApiKeyIdentity } from "@/lib/api-keys";
import { ApiError, toApiErrorResponse } from "./errors";
import { admitApiKey } from "./rate-limit";

export type ApiKeyContext = ApiKeyIdentity;

export type ApiHandlerContext<P> = { request: Request; key: ApiKeyContext; params: P };

type RouteContext<P> = { params: Promise<P> };

/**
 * The one door into /api/v1: authenticates the key (401) and takes a token from its bucket
 * (429 with Retry-After) in one statement, runs the handler with the key's org, and turns every refusal into
 * the API's error shape. Handlers scope every query by `key.orgId`.
 */
export function withApiKey<P extends Record<string, string> = Record<string, never>>(
  handler: (ctx: ApiHandlerContext<P>) => Promise<Response>,
): (request: Request, route: RouteContext<P>) => Promise<Response> {
  return async (request, route) => {
    try {
      const presented = presentedKey(request);
      if (!presented) throw unauthorized("Send your API key as “Authorization: Bearer <key>”.");
      const admission = await admitApiKey(presented);
      if (!admission) throw unauthorized("The API key is unknown or has been revoked.");
      const { key, decision } = admission;
      const limitHeaders = { "x-ratelimit-limit": String(decision.limits.burst) };
      if (!decision.allowed) {
        throw new ApiError(
          429,
          "rate_limited",
          `Too many requests for this API key; retry in ${decision.retryAfterSeconds} s.`,
          null,
          {},
          {
            ...limitHeaders,
            "x-ratelimit-remaining": "0",
            "retry-after": String(decision.retryAfterSeconds),
          },
        );
      }
      const response = await handler({ request, key, params: await route.params });
      response.headers.set("x-ratelimit-limit", limitHeaders["x-ratelimit-limit"]);
      response.headers.set("x-ratelimit-remaining", String(decision.remaining));
      if (!response.headers.has("cache-control")) response.headers.set("cache-control", "no-store");
      return response;
    } catch (error) {
      return toApiErrorResponse(error);
    }
  };
}

/** `Authorization: Bearer <key>`, or `X-Api-Key: <key>` for clients that cannot set Authorization. */
function presentedKey(request: Request): string | null {
  const authorization = request.headers.get("authorization")?.trim();
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    return match ? match[1]! : null;
  }
  return request.headers.get("x-api-key")?.trim() || null;
}

function unauthorized(message: string): ApiError {
  return new ApiError(401, "unauthorized", message, null, {}, { "www-authenticate": 'Bearer realm="switchboard"' });
}
