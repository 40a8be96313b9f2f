import { cn } from "@/components/ui/cn";
import { Icon } from "@/components/ui/icon";
import { PageHeader } from "@/components/ui/page-header";
import { Steps } from "@/components/ui/steps";
import { listAssignableMembers, listCampaignOptions, loadInboxPage, type Thread } from "@/lib/conversations";
import { MAX_BODY_LENGTH } from "@/lib/messaging/send";
import { hasRole, type OrgContext } from "@/lib/tenancy";
import { DEFAULT_TIME_ZONE } from "@/lib/time";
import { InboxFilters } from "./inbox-filters";
import { InboxList, InboxTabs } from "./inbox-list";
import { inboxSearch, type InboxQuery } from "./inbox-query";
import { ThreadView } from "./thread-view";

/**
 * The conversations page: the inbox on the left, the open thread (its id in the URL) on the
 * right. On narrow screens one pane shows at a time. Both panes are rendered here on the
 * server and then poll, so the page is whole without JavaScript and live with it.
 */
export async function ConversationsScreen({ ctx, query, thread }: { ctx: OrgContext; query: InboxQuery; thread: Thread | null }) {
  const canManage = hasRole(ctx.role, "SUPERVOLUNTEER");
  const [inbox, members, campaigns] = await Promise.all([
    loadInboxPage(ctx, query),
    canManage ? listAssignableMembers(ctx.org.id) : Promise.resolve(null),
    listCampaignOptions(ctx.org.id),
  ]);
  const timeZone = ctx.org.features.timeZone ?? DEFAULT_TIME_ZONE;
  const base = `/${ctx.org.slug}/conversations`;
  const search = inboxSearch(query);
  const isTexter = ctx.role === "TEXTER";
  const nothingYet = inbox.rows.length === 0 && search === "";

  return (
    <div className="flex flex-col gap-4">
      <PageHeader
        title="Conversations"
        description={
          isTexter
            ? "The text threads assigned to you. New replies and delivery reports appear as they arrive."
            : "Two-way text threads with your contacts, across every number and vendor."
        }
      />
      {/* On a phone the open thread gets the screen; the filters belong to the list. */}
      <div
        className={cn("-mt-4 flex-col gap-3 lg:flex xl:flex-row xl:items-center xl:justify-between", thread ? "hidden" : "flex")}
      >
        <InboxTabs orgSlug={ctx.org.slug} query={query} initial={inbox} />
        <InboxFilters
          action={thread ? `${base}/${thread.conversation.id}` : base}
          query={query}
          members={members}
          campaigns={campaigns}
        />
      </div>
      <div
        className={cn(
          "flex overflow-hidden rounded-xl border border-zinc-200 bg-white shadow-xs shadow-zinc-900/5 lg:h-[calc(100dvh-15.5rem)] lg:min-h-[28rem]",
          thread ? "-mt-4 h-[calc(100dvh-14rem)] min-h-[24rem] lg:mt-0" : undefined,
        )}
      >
        <aside
          aria-label="Inbox"
          className={cn("w-full shrink-0 flex-col border-zinc-200 lg:flex lg:w-[22rem] lg:border-r", thread ? "hidden" : "flex")}
        >
          <InboxList
            orgSlug={ctx.org.slug}
            query={query}
            initial={inbox}
            selectedId={thread?.conversation.id ?? null}
            timeZone={timeZone}
            showAssignee={canManage}
          />
        </aside>
        <section aria-label="Conversation" className={cn("min-w-0 flex-1 flex-col", thread ? "flex" : "hidden lg:flex")}>
          {thread ? (
            <ThreadView
              key={thread.conversation.id}
              orgSlug={ctx.org.slug}
              initial={thread}
              timeZone={timeZone}
              maxLength={MAX_BODY_LENGTH}
              backHref={`${base}${search}`}
              members={members}
              viewerId={ctx.user.id}
            />
          ) : nothingYet ? (
            <GettingStarted isTexter={isTexter} />
          ) : (
            <div className="flex flex-1 flex-col items-center justify-center px-6 text-center">
              <div className="mb-4 flex size-11 items-center justify-center rounded-full bg-indigo-50 text-indigo-600">
                <Icon name="chat" className="size-5" />
              </div>
              <p className="text-sm font-medium text-zinc-900">Choose a conversation</p>
              <p className="mt-1 max-w-xs text-[13px] text-zinc-500">
                Its messages, their delivery status and a reply box open here.
              </p>
            </div>
          )}
        </section>
      </div>
    </div>
  );
}

function GettingStarted({ isTexter }: { isTexter: boolean }) {
  if (isTexter) {
    return (
      <div className="flex flex-1 flex-col items-center justify-center px-6 text-center">
        <div className="mb-4 flex size-11 items-center justify-center rounded-full bg-indigo-50 text-indigo-600">
          <Icon name="inbox" className="size-5" />
        </div>
        <p className="text-sm font-medium text-zinc-900">No conversations assigned to you yet</p>
        <p className="mt-1 max-w-sm text-[13px] text-zinc-500">
          When an admin assigns you a conversation or a campaign, its threads appear here.
        </p>
      </div>
    );
  }
  return (
    <div className="flex flex-1 flex-col items-center justify-center overflow-y-auto px-6 py-8">
      <div className="mb-4 flex size-11 items-center justify-center rounded-full bg-indigo-50 text-indigo-600">
        <Icon name="inbox" className="size-5" />
      </div>
      <p className="text-sm font-medium text-zinc-900">No conversations yet</p>
      <p className="mt-1 mb-6 max-w-sm text-center text-[13px] text-zinc-500">
        When a contact texts one of your numbers or you start a campaign, threads appear here.
      </p>
      <div className="w-full max-w-md">
        <Steps
          title="Getting your first conversation"
          steps={[
            {
              title: "Connect a vendor account",
              description: "An owner adds Twilio, Bandwidth, Vonage or another provider under Vendors.",
            },
            { title: "Add a sending number", description: "Admins register the numbers you already own with that vendor." },
            {
              title: "Send or receive a text",
              description: "Launch a campaign, or wait for someone to text one of your numbers.",
            },
          ]}
        />
      </div>
    </div>
  );
}
