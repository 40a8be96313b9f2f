import { db } from "@/db";
import { contacts } from "@/db/schema/contacts";
import { conversations } from "@/db/schema/conversations";
import { messages } from "@/db/schema/messages";
import type { TenancyCaseFactory } from "./types";

/** The conversations feature's thread page, polling routes and actions, aimed at org B's thread. */
export const conversationsCases: TenancyCaseFactory = async (b) => {
  const [contact] = await db
    .insert(contacts)
    .values({ orgId: b.org.id, e164: "+12025550177", firstName: "Bravo", lastName: "Texted" })
    .returning();
  const [conversation] = await db
    .insert(conversations)
    .values({ orgId: b.org.id, contactId: contact!.id, ourE164: "+12125550177", lastDirection: "INBOUND", unread: true })
    .returning();
  await db.insert(messages).values({
    orgId: b.org.id,
    conversationId: conversation!.id,
    direction: "INBOUND",
    body: "Bravo's secret reply",
    fromE164: contact!.e164,
    toE164: "+12125550177",
    status: "RECEIVED",
  });
  const id = conversation!.id;
  return {
    // "/[org]/conversations" is core's (every nav section).
    pagePatterns: [
      "/[org]/conversations/[conversationId]",
      "/api/orgs/[org]/conversations",
      "/api/orgs/[org]/conversations/[conversationId]/messages",
    ],
    pages: [
      `/${b.org.slug}/conversations/${id}`,
      `/${b.org.slug}/conversations/${id}?filter=unread`,
      `/${b.org.slug}/conversations?q=Bravo`,
    ],
    actions: {
      "lib/actions/conversations.ts#sendReplyAction": { conversationId: id, body: "Hijacked reply" },
      "lib/actions/conversations.ts#markReadAction": { conversationId: id },
      "lib/actions/conversations.ts#reassignConversationAction": { conversationId: id, userId: b.owner.id },
      "lib/actions/conversations.ts#optOutContactAction": { conversationId: id },
    },
    routes: [
      { method: "GET", path: `/api/orgs/${b.org.slug}/conversations` },
      { method: "GET", path: `/api/orgs/${b.org.slug}/conversations?q=Bravo` },
      { method: "GET", path: `/api/orgs/${b.org.slug}/conversations/${id}/messages` },
    ],
  };
};
