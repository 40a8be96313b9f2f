import { requireApiConversation } from "@/lib/api/conversations";
import { listConversationMessages } from "@/lib/api/messages";
import { readQuery } from "@/lib/api/request";
import { conversationMessagesQuery } from "@/lib/api/schemas";
import { withApiKey } from "@/lib/api/with-api-key";

export const dynamic = "force-dynamic";

/** The thread's messages, newest first, replies included. */
export const GET = withApiKey<{ id: string }>(async ({ request, key, params }) => {
  const conversationId = await requireApiConversation(key.orgId, params.id);
  const query = readQuery(request, conversationMessagesQuery);
  return Response.json(await listConversationMessages(key.orgId, conversationId, query));
});
