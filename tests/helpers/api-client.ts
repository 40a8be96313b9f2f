import { createApiKey } from "@/lib/api-keys";

/** The REST API v1 as another system calls it: JSON over HTTP with an org's API key. */
export type ApiClient = (pathname: string, body?: unknown) => Promise<{ status: number; json: Record<string, unknown> }>;

export async function apiClient(baseUrl: string, org: { orgId: string; userId: string }): Promise<ApiClient> {
  const { key } = await createApiKey({ orgId: org.orgId, name: "Rostering system", createdBy: org.userId, actorLabel: "test" });
  return async (pathname, body) => {
    const response = await fetch(`${baseUrl}/api/v1${pathname}`, {
      method: body === undefined ? "GET" : "POST",
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  };
}
