import { sendApiMessageBatch } from "@/lib/api/messages";
import { MAX_BATCH_BODY_BYTES, readJsonBody } from "@/lib/api/request";
import { sendMessageBatchRequest } from "@/lib/api/schemas";
import { withApiKey } from "@/lib/api/with-api-key";

export const dynamic = "force-dynamic";

/** Queues up to 100 messages at once: 202 when every one was queued (or replayed), 207 when some were refused. */
export const POST = withApiKey(async ({ request, key }) => {
  const input = await readJsonBody(request, sendMessageBatchRequest, MAX_BATCH_BODY_BYTES);
  const result = await sendApiMessageBatch(key.orgId, input);
  return Response.json(result, { status: result.refused > 0 ? 207 : 202 });
});
