import Link from "next/link";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/auth/auth-card";
import { LoginForm } from "@/components/auth/login-form";
import { currentUserId } from "@/lib/auth";

export const metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string; joined?: string }> }) {
  const { callbackUrl } = await searchParams;
  if (await currentUserId()) redirect(callbackUrl?.startsWith("/") && !callbackUrl.startsWith("//") ? callbackUrl : "/");
  const invitation = callbackUrl?.startsWith("/invite/");
  return (
    <AuthCard
      title="Sign in to Switchboard"
      description="Text your staff, volunteers and customers through every vendor you use."
      footer={
        <>
          New here?{" "}
          <Link className="font-medium text-indigo-600 hover:text-indigo-500" href={invitation ? callbackUrl! : "/signup"}>
            Create an account
          </Link>
        </>
      }
    >
      <LoginForm callbackUrl={callbackUrl} notice={invitation ? "Sign in to accept your invitation." : undefined} />
    </AuthCard>
  );
}
