import { redirect } from "next/navigation";
import { currentUserId } from "@/lib/auth";
import { listOrgsForUser } from "@/lib/tenancy";

/** The front door: your first org's conversations, or sign-in. */
export default async function Home() {
  const userId = await currentUserId();
  if (!userId) redirect("/login");
  const [first] = await listOrgsForUser(userId);
  redirect(first ? `/${first.slug}/conversations` : "/signup");
}
