"use server";

import { AuthError } from "next-auth";
import { redirect } from "next/navigation";
import { z } from "zod";
import { db } from "@/db";
import { createOrg, createUser, emailSchema, newUserSchema, orgNameSchema } from "@/lib/accounts";
import { toActionFailure, type ActionFailure } from "@/lib/action-result";
import { currentUserId, signIn, signOut } from "@/lib/auth";
import { parseInput, type ActionInput } from "@/lib/forms";
import { acceptInvitation } from "@/lib/invitations";

/** What the auth forms render: the error at each field, and what the person typed (never the password). */
export type FormState = (ActionFailure & { values?: Record<string, string> }) | { ok: true } | null;

const signUpSchema = newUserSchema.extend({
  orgName: z.string().optional(),
  invitation: z.string().optional(),
});

const signInSchema = z.object({
  email: emailSchema,
  password: z.string().min(1, "Enter your password").max(1024),
  callbackUrl: z.string().optional(),
});

const createOrgSchema = z.object({ orgName: orgNameSchema });

export async function signUpAction(_previous: FormState, input: ActionInput): Promise<FormState> {
  const parsed = parseInput(signUpSchema, input);
  const values = echo(input, ["name", "email", "orgName"]);
  if (!parsed.ok) return { ...parsed, values };
  const { name, email, password, orgName, invitation } = parsed.data;
  // Joining by invitation needs no org of one's own; otherwise the org name is required.
  const org = invitation ? undefined : orgNameSchema.safeParse(orgName ?? "");
  if (org && !org.success) {
    return { ok: false, status: 422, error: "orgName: " + org.error.issues[0]!.message, fieldErrors: { orgName: org.error.issues[0]!.message }, values };
  }
  let destination: string;
  try {
    // One transaction: a refused invitation or org leaves no half-made account behind.
    destination = await db.transaction(async (tx) => {
      const user = await createUser({ name, email, password }, tx);
      if (invitation) return `/${(await acceptInvitation(invitation, user.id, tx)).orgSlug}/conversations`;
      return `/${(await createOrg({ name: org!.data!, ownerUserId: user.id }, tx)).slug}/conversations`;
    });
  } catch (error) {
    return { ...toActionFailure(error), values };
  }
  await signIn("credentials", { email, password, redirectTo: destination });
  return { ok: true };
}

export async function signInAction(_previous: FormState, input: ActionInput): Promise<FormState> {
  const parsed = parseInput(signInSchema, input);
  const values = echo(input, ["email"]);
  if (!parsed.ok) return { ...parsed, values };
  try {
    await signIn("credentials", {
      email: parsed.data.email,
      password: parsed.data.password,
      redirectTo: safeCallback(parsed.data.callbackUrl),
    });
  } catch (error) {
    if (error instanceof AuthError) {
      return { ok: false, status: 401, error: "Wrong email or password.", values };
    }
    throw error;
  }
  return { ok: true };
}

export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: "/login" });
}

/** A signed-in person creating another org (the "Create organization" link in the switcher). */
export async function createOrgAction(_previous: FormState, input: ActionInput): Promise<FormState> {
  const userId = await currentUserId();
  if (!userId) redirect("/login");
  const parsed = parseInput(createOrgSchema, input);
  const values = echo(input, ["orgName"]);
  if (!parsed.ok) return { ...parsed, values };
  let slug: string;
  try {
    slug = (await createOrg({ name: parsed.data.orgName, ownerUserId: userId })).slug;
  } catch (error) {
    return { ...toActionFailure(error), values };
  }
  redirect(`/${slug}/conversations`);
}

export async function acceptInvitationAction(_previous: FormState, input: ActionInput): Promise<FormState> {
  const userId = await currentUserId();
  if (!userId) redirect("/login");
  const parsed = parseInput(z.object({ token: z.string().min(1).max(200) }), input);
  if (!parsed.ok) return parsed;
  let slug: string;
  try {
    slug = (await acceptInvitation(parsed.data.token, userId)).orgSlug;
  } catch (error) {
    return toActionFailure(error);
  }
  redirect(`/${slug}/conversations`);
}

/** Only same-site paths: an open redirect would let a phishing link bounce through our login. */
function safeCallback(url: string | undefined): string {
  if (url && url.startsWith("/") && !url.startsWith("//") && !url.startsWith("/\\")) return url;
  return "/";
}

function echo(input: ActionInput, keys: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of keys) {
    const value = input instanceof FormData ? input.get(key) : (input as Record<string, unknown> | null | undefined)?.[key];
    if (typeof value === "string") out[key] = value;
  }
  return out;
}
