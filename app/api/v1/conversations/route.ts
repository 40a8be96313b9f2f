import { listApiConversations } from "@/lib/api/conversations";
import { readQuery } from "@/lib/api/request";
import { conversationListQuery } from "@/lib/api/schemas";
import { withApiKey } from "@/lib/api/with-api-key";

export const dynamic = "force-dynamic";

export const GET = withApiKey(async ({ request, key }) =>
  Response.json(await listApiConversations(key.orgId, readQuery(request, conversationListQuery))),
);
