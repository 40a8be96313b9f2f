import { sendApiMessage } from "@/lib/api/messages";
import { readJsonBody } from "@/lib/api/request";
import { sendMessageRequest } from "@/lib/api/schemas";
import { withApiKey } from "@/lib/api/with-api-key";

export const dynamic = "force-dynamic";

/** Queues a message: 202 when new, 200 (`created: false`) when the idempotency key was seen before. */
export const POST = withApiKey(async ({ request, key }) => {
  const input = await readJsonBody(request, sendMessageRequest);
  const result = await sendApiMessage(key.orgId, input, request.headers.get("idempotency-key"));
  return Response.json(result, {
    status: result.created ? 202 : 200,
    headers: result.created ? {} : { "idempotent-replayed": "true" },
  });
});
