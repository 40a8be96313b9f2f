import { notFound } from "next/navigation";
import { ConversationsScreen } from "@/components/conversations/conversations-screen";
import { parseInboxQuery } from "@/components/conversations/inbox-query";
import { loadThread } from "@/lib/conversations";
import { minRoleFor } from "@/lib/nav";
import { requireOrgPage } from "@/lib/tenancy";

export const metadata = { title: "Conversation" };

type Props = {
  params: Promise<{ org: string; conversationId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

/**
 * The inbox with one thread open. The thread is looked up before anything renders, so another
 * org's id, or for a texter a thread not assigned to them, is a real 404.
 */
export default async function ConversationPage({ params, searchParams }: Props) {
  const { org, conversationId } = await params;
  const ctx = await requireOrgPage(org, minRoleFor("conversations"));
  const thread = await loadThread(ctx, conversationId);
  if (!thread) notFound();
  const query = parseInboxQuery(await searchParams);
  return <ConversationsScreen ctx={ctx} query={query} thread={thread} />;
}
