import { findApiMessage } from "@/lib/api/messages";
import { withApiKey } from "@/lib/api/with-api-key";

export const dynamic = "force-dynamic";

export const GET = withApiKey<{ id: string }>(async ({ key, params }) =>
  Response.json(await findApiMessage(key.orgId, params.id)),
);
