import { InviteForm } from "@/components/members/invite-form";
import { MemberRoleSelect, RemoveMemberButton, RevokeInvitationButton } from "@/components/members/member-row-actions";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { listPendingInvitations } from "@/lib/invitations";
import { listMembers } from "@/lib/members";
import { minRoleFor } from "@/lib/nav";
import { requireOrgPage, roleLabel } from "@/lib/tenancy";
import { formatDate } from "@/lib/format";

export const metadata = { title: "Members" };

export default async function MembersPage({ params }: { params: Promise<{ org: string }> }) {
  const ctx = await requireOrgPage((await params).org, minRoleFor("members"));
  const isOwner = ctx.role === "OWNER";
  const [members, invitations] = await Promise.all([listMembers(ctx.org.id), isOwner ? listPendingInvitations(ctx.org.id) : []]);
  return (
    <div className="space-y-8">
      <PageHeader title="Members" description="Who can work in this organization, and what each person may do." />
      {isOwner ? (
        <Card>
          <CardHeader title="Invite someone" description="Create a link for a new member. Owners manage vendors, numbers, members and API keys; admins run campaigns; texters answer their conversations." />
          <CardBody>
            <InviteForm orgSlug={ctx.org.slug} />
          </CardBody>
        </Card>
      ) : null}
      <section className="space-y-3">
        <h2 className="text-sm font-semibold text-zinc-900">{members.length === 1 ? "1 member" : `${members.length} members`}</h2>
        <Table>
          <THead>
            <TR>
              <TH>Name</TH>
              <TH>Email</TH>
              <TH>Role</TH>
              <TH>Joined</TH>
              {isOwner ? <TH className="text-right">Actions</TH> : null}
            </TR>
          </THead>
          <TBody>
            {members.map((m) => (
              <TR key={m.membershipId}>
                <TD className="font-medium text-zinc-900">
                  {m.name} {m.userId === ctx.user.id ? <Badge tone="indigo">you</Badge> : null}
                </TD>
                <TD>{m.email}</TD>
                <TD>{isOwner ? <MemberRoleSelect orgSlug={ctx.org.slug} membershipId={m.membershipId} role={m.role} /> : <Badge>{roleLabel(m.role)}</Badge>}</TD>
                <TD>{formatDate(m.joinedAt)}</TD>
                {isOwner ? (
                  <TD>
                    <RemoveMemberButton orgSlug={ctx.org.slug} membershipId={m.membershipId} name={m.name} />
                  </TD>
                ) : null}
              </TR>
            ))}
          </TBody>
        </Table>
      </section>
      {isOwner && invitations.length > 0 ? (
        <section className="space-y-3">
          <h2 className="text-sm font-semibold text-zinc-900">Pending invitations</h2>
          <Table>
            <THead>
              <TR>
                <TH>For</TH>
                <TH>Role</TH>
                <TH>Expires</TH>
                <TH className="text-right">Actions</TH>
              </TR>
            </THead>
            <TBody>
              {invitations.map((inv) => (
                <TR key={inv.id}>
                  <TD>{inv.email ?? <span className="text-zinc-400">anyone with the link</span>}</TD>
                  <TD>
                    <Badge>{roleLabel(inv.role)}</Badge>
                  </TD>
                  <TD>{formatDate(inv.expiresAt)}</TD>
                  <TD>
                    <RevokeInvitationButton orgSlug={ctx.org.slug} invitationId={inv.id} />
                  </TD>
                </TR>
              ))}
            </TBody>
          </Table>
        </section>
      ) : null}
    </div>
  );
}
