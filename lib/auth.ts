import type { GetServerSidePropsContext } from "next";
import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { z } from "zod";
import { ensureLocalSecrets } from "./env";
import { verifyUserPassword } from "@/db/queries/users";

ensureLocalSecrets();

const credentialsSchema = z.object({
  email: z.string().trim().email(),
  password: z.string().min(1).max(1024),
});

class InvalidLogin extends CredentialsSignin {
  code = "invalid_login";
}

export const { handlers, auth, signIn, signOut } = NextAuth({
  // Behind a proxy the Host header is the only way to know our URL; PUBLIC_URL pins it when set.
  trustHost: true,
  session: { strategy: "jwt", maxAge: 60 * 60 * 24 * 14 },
  pages: { signIn: "/login" },
  providers: [
    Credentials({
      credentials: { email: { label: "Email" }, password: { label: "Password", type: "password" } },
      async authorize(raw) {
        const parsed = credentialsSchema.safeParse(raw);
        if (!parsed.success) throw new InvalidLogin();
        const user = await verifyUserPassword(parsed.data.email, parsed.data.password);
        if (!user) throw new InvalidLogin();
        return { id: user.id, email: user.email, name: user.name };
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      if (user?.id) token.sub = user.id;
      return token;
    },
    session({ session, token }) {
      if (token.sub) session.user.id = token.sub;
      return session;
    },
  },
});

/** The signed-in user's id, or null. The user row is re-read by the tenancy wrapper. */
export async function currentUserId(): Promise<string | null> {
  const session = await auth();
  return session?.user?.id ?? null;
}

/**
 * The same, read from a request's own headers: for the JSON routes that pages poll, which the
 * web process serves outside Next.js (scripts/machine-lane.ts), where auth() has no request scope.
 * Auth.js checks the session cookie exactly as currentUserId's does; the request's scheme, which
 * names the cookie (`__Secure-` over https), is told to it as Next.js would tell it: the proxy's
 * x-forwarded-proto, else the request's own. A refreshed cookie is dropped, as auth() drops it.
 */
export async function requestUserId(request: Request): Promise<string | null> {
  const url = new URL(request.url);
  const headers = new Headers({
    cookie: request.headers.get("cookie") ?? "",
    host: request.headers.get("x-forwarded-host") ?? request.headers.get("host") ?? url.host,
    "x-forwarded-proto": request.headers.get("x-forwarded-proto") ?? url.protocol.replace(/:$/, ""),
  });
  // Auth.js's pages-router form ({ req, res }) is the one that takes headers instead of reading next/headers.
  const session = await auth({ req: { headers }, res: new Response() } as unknown as GetServerSidePropsContext);
  return session?.user?.id ?? null;
}
