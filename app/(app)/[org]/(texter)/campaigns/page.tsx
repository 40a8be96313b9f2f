import Link from "next/link";
import { ButtonLink } from "@/components/ui/button";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { Icon } from "@/components/ui/icon";
import { PageHeader } from "@/components/ui/page-header";
import { Steps } from "@/components/ui/steps";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { listCampaigns } from "@/lib/campaigns/campaigns";
import { minRoleFor } from "@/lib/nav";
import { hasRole, requireOrgPage } from "@/lib/tenancy";

export const metadata = { title: "Campaigns" };

const STATUS_TONES: Record<string, BadgeTone> = {
  DRAFT: "gray",
  RUNNING: "blue",
  PAUSED: "yellow",
  COMPLETED: "green",
  ARCHIVED: "gray",
};
const DATE = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", year: "numeric" });

export default async function Page({
  params,
  searchParams,
}: {
  params: Promise<{ org: string }>;
  searchParams: Promise<{ archived?: string }>;
}) {
  const { org } = await params;
  const ctx = await requireOrgPage(org, minRoleFor("campaigns"));
  const archived = (await searchParams).archived === "1";
  const isAdmin = hasRole(ctx.role, "ADMIN");
  const rows = await listCampaigns(ctx.org.id, { archived });
  const base = `/${ctx.org.slug}/campaigns`;

  return (
    <>
      <PageHeader
        title="Campaigns"
        description="Outreach to a list of contacts: sent one by one by your texters, or to everyone at once for notifications."
        actions={
          isAdmin ? (
            <ButtonLink href={`${base}/new`}>
              <Icon name="plus" />
              New campaign
            </ButtonLink>
          ) : null
        }
      />
      <nav className="mb-4 flex gap-4 text-sm" aria-label="Campaign lists">
        <Link href={base} className={archived ? "text-zinc-500" : "font-medium text-zinc-900"}>
          Current
        </Link>
        <Link href={`${base}?archived=1`} className={archived ? "font-medium text-zinc-900" : "text-zinc-500"}>
          Archived
        </Link>
      </nav>
      {rows.length === 0 ? (
        <EmptyState
          icon="megaphone"
          title={archived ? "No archived campaigns" : "No campaigns yet"}
          description="A campaign pairs a contact list with an opening message. Texters send each message individually, or a notification goes to everyone at once; every reply continues in Conversations."
          action={
            isAdmin && !archived ? (
              <ButtonLink href={`${base}/new`} variant="secondary">
                Create your first campaign
              </ButtonLink>
            ) : undefined
          }
        >
          {archived ? null : (
            <Steps
              title="Before you launch"
              steps={[
                {
                  title: "Import contacts",
                  description: "Upload a CSV of the people you want to reach, or pick them from your contacts.",
                },
                {
                  title: "Write the opening message",
                  description: "Keep it short and personal, and tell people how to opt out.",
                },
                {
                  title: "Choose a sender and start",
                  description: "Pick the numbers to send from and the hours messages may go out.",
                },
              ]}
            />
          )}
        </EmptyState>
      ) : (
        <Table>
          <THead>
            <TR>
              <TH>Campaign</TH>
              <TH>Mode</TH>
              <TH>Status</TH>
              <TH>Contacts</TH>
              <TH>Created</TH>
            </TR>
          </THead>
          <TBody>
            {rows.map((c) => (
              <TR key={c.id}>
                <TD>
                  {isAdmin ? (
                    <Link href={`${base}/${c.id}`} className="font-medium text-zinc-900 hover:underline">
                      {c.title}
                    </Link>
                  ) : (
                    <span className="font-medium text-zinc-900">{c.title}</span>
                  )}
                  {c.description ? <p className="text-[13px] text-zinc-500">{c.description}</p> : null}
                  {c.mode === "TEXTERS" && c.status !== "ARCHIVED" ? (
                    <Link href={`${base}/${c.id}/texting`} className="text-[13px] font-medium text-blue-700 hover:underline">
                      Text this campaign
                    </Link>
                  ) : null}
                </TD>
                <TD>{c.mode === "SEND_TO_ALL" ? "Send to all" : "Texters"}</TD>
                <TD>
                  <Badge tone={STATUS_TONES[c.status]}>{c.status.toLowerCase()}</Badge>
                </TD>
                <TD className="tabular-nums">{c.contacts.toLocaleString("en-US")}</TD>
                <TD>{DATE.format(c.createdAt)}</TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
    </>
  );
}
