import { ConversationsScreen } from "@/components/conversations/conversations-screen";
import { parseInboxQuery } from "@/components/conversations/inbox-query";
import { minRoleFor } from "@/lib/nav";
import { requireOrgPage } from "@/lib/tenancy";

export const metadata = { title: "Conversations" };

type Props = { params: Promise<{ org: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

/** The inbox with no thread open; filters, search and the keyset cursor live in the URL. */
export default async function ConversationsPage({ params, searchParams }: Props) {
  const ctx = await requireOrgPage((await params).org, minRoleFor("conversations"));
  const query = parseInboxQuery(await searchParams);
  return <ConversationsScreen ctx={ctx} query={query} thread={null} />;
}
