import Link from "next/link";
import { AuthCard } from "@/components/auth/auth-card";
import { AcceptInvitationForm } from "@/components/auth/accept-invitation-form";
import { SignupForm } from "@/components/auth/signup-form";
import { Alert } from "@/components/ui/alert";
import { ButtonLink } from "@/components/ui/button";
import { findUserById } from "@/db/queries/users";
import { currentUserId } from "@/lib/auth";
import { INVITATION_PROBLEMS, lookupInvitation } from "@/lib/invitations";
import { roleLabel } from "@/lib/tenancy";

export const metadata = { title: "Invitation" };

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const invitation = await lookupInvitation(token);
  if (invitation.state !== "valid") {
    return (
      <AuthCard title="This invitation can't be used" footer={<Link href="/">Go to Switchboard</Link>}>
        <Alert tone="error">{INVITATION_PROBLEMS[invitation.state]}</Alert>
      </AuthCard>
    );
  }
  const role = roleLabel(invitation.role);
  const userId = await currentUserId();
  const user = userId ? await findUserById(userId) : undefined;
  if (user) {
    return (
      <AuthCard title={`Join ${invitation.orgName}`} description={`You were invited as ${article(role)} ${role}. You're signed in as ${user.email}.`}>
        <AcceptInvitationForm token={token} label={`Join ${invitation.orgName}`} />
      </AuthCard>
    );
  }
  return (
    <AuthCard
      title={`Join ${invitation.orgName}`}
      description={`You were invited as ${article(role)} ${role}. Create your account to accept.`}
      footer={
        <div className="space-y-2">
          <p>Already have an account?</p>
          <ButtonLink variant="secondary" href={`/login?callbackUrl=${encodeURIComponent(`/invite/${token}`)}`}>
            Sign in to accept
          </ButtonLink>
        </div>
      }
    >
      <SignupForm invitation={token} orgName={invitation.orgName} />
    </AuthCard>
  );
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? "an" : "a";
}
