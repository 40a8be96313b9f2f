import { createHash } from "node:crypto";
import type { GetServerSidePropsContext } from "next";
import NextAuth, { AuthError, CredentialsSignin } from "next-auth";
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
  logger: { error: logAuthError },
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

/**
 * Auth.js's errors, without what its own logger adds: for a session cookie it cannot accept, the
 * token's claims (the person's name and email) as "details", and a stack. A cookie past its expiry
 * is routine (the person is signed out and signs in again; an open page asks with it every few
 * seconds until then) and is not logged; any other refusal (a token that does not decrypt: forged, or
 * sealed under an earlier AUTH_SECRET) is one line. Other errors keep their cause's stack.
 */
export function logAuthError(error: Error): void {
  const type = error instanceof AuthError ? error.type : error.name;
  const cause = error.cause && typeof error.cause === "object" && "err" in error.cause ? error.cause.err : undefined;
  if (type === "JWTSessionError") {
    if (cause instanceof Error && cause.name === "JWTExpired") return;
    console.warn(
      `[auth] a session cookie was refused (${cause instanceof Error ? cause.name : error.message}); its request is signed out`,
    );
    return;
  }
  console.error(`[auth] ${type}: ${error.message}`, cause instanceof Error ? cause.stack : "");
}

/** The signed-in user's id, or null. The user row is re-read by the tenancy wrapper. */
export async function currentUserId(): Promise<string | null> {
  const session = await auth();
  return session?.user?.id ?? null;
}

/**
 * How long requestUserId trusts a session it has checked. Open pages poll their JSON every 2 to 3 s,
 * and Auth.js's check of the cookie (decrypting the token, then encrypting the refreshed one it
 * hands back) cost 2.5-3.8 ms of a poll at p50 and up to 19 ms at p99 on a slow host, as much as the
 * inbox's queries (docs/performance.md, *d. inbox*). A session is a token, not a row, so nothing a
 * person does in between changes the answer for the same cookie (signing out deletes the cookie, it
 * cannot revoke the token); only its expiry can, and a token that expires within the window is
 * honoured until the window ends, at most 30 s past its 14 days (Auth.js itself allows 15 s of clock
 * skew). Who may see what is still read from the memberships on every request (lib/tenancy.ts).
 */
export const SESSION_CHECK_TTL_MS = 30_000;
/** At most this many recent sessions are remembered, the oldest forgotten first. */
const SESSION_CHECK_MAX = 10_000;
const checkedSessions = new Map<string, { userId: string; until: number }>();

/**
 * The same, read from a request's own headers: for the JSON routes that pages poll, which the
 * web process serves outside Next.js (scripts/machine-lane.ts), where auth() has no request scope.
 * Auth.js checks the session cookie exactly as currentUserId's does; the request's scheme, which
 * names the cookie (`__Secure-` over https), is told to it as Next.js would tell it: the proxy's
 * x-forwarded-proto, else the request's own. A refreshed cookie is dropped, as auth() drops it.
 * A signed-in answer is remembered for SESSION_CHECK_TTL_MS under a digest of exactly what Auth.js
 * was given (cookie, host, scheme); anything else is checked by Auth.js every time.
 */
export async function requestUserId(request: Request): Promise<string | null> {
  const url = new URL(request.url);
  const given = {
    cookie: request.headers.get("cookie") ?? "",
    host: request.headers.get("x-forwarded-host") ?? request.headers.get("host") ?? url.host,
    "x-forwarded-proto": request.headers.get("x-forwarded-proto") ?? url.protocol.replace(/:$/, ""),
  };
  if (!given.cookie) return null;
  const key = createHash("sha256").update(`${given["x-forwarded-proto"]}\n${given.host}\n${given.cookie}`).digest("base64url");
  const now = Date.now();
  const remembered = checkedSessions.get(key);
  if (remembered && remembered.until > now) return remembered.userId;
  checkedSessions.delete(key);
  // Auth.js's pages-router form ({ req, res }) is the one that takes headers instead of reading next/headers.
  const session = await auth({
    req: { headers: new Headers(given) },
    res: new Response(),
  } as unknown as GetServerSidePropsContext);
  const userId = session?.user?.id ?? null;
  if (userId) {
    if (checkedSessions.size >= SESSION_CHECK_MAX) checkedSessions.delete(checkedSessions.keys().next().value!);
    checkedSessions.set(key, { userId, until: now + SESSION_CHECK_TTL_MS });
  }
  return userId;
}
