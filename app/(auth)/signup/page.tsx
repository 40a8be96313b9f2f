import Link from "next/link";
import { AuthCard } from "@/components/auth/auth-card";
import { CreateOrgForm } from "@/components/auth/create-org-form";
import { SignupForm } from "@/components/auth/signup-form";
import { currentUserId } from "@/lib/auth";

export const metadata = { title: "Create an account" };

export default async function SignupPage() {
  // A signed-in person arriving here (the switcher's "Create organization") makes another org.
  if (await currentUserId()) {
    return (
      <AuthCard title="Create an organization" description="You will be its owner. Invite your team next." footer={<Link href="/">Back</Link>}>
        <CreateOrgForm />
      </AuthCard>
    );
  }
  return (
    <AuthCard
      title="Create your account"
      description="You'll get your own organization, with you as its owner."
      footer={
        <>
          Already have an account?{" "}
          <Link className="font-medium text-indigo-600 hover:text-indigo-500" href="/login">
            Sign in
          </Link>
        </>
      }
    >
      <SignupForm />
    </AuthCard>
  );
}
