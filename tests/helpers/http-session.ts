import { readFileSync } from "node:fs";
import path from "node:path";

/**
 * A browser-less signed-in person: next-auth's own CSRF and credentials endpoints set the
 * session cookie, then pages and server actions are requested as a browser would.
 */
export class HttpSession {
  private cookies = new Map<string, string>();

  constructor(readonly baseUrl: string) {}

  static async signIn(baseUrl: string, email: string, password: string): Promise<HttpSession> {
    const session = new HttpSession(baseUrl);
    const { csrfToken } = (await (await session.request("/api/auth/csrf")).json()) as { csrfToken: string };
    const response = await session.request("/api/auth/callback/credentials", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ email, password, csrfToken, callbackUrl: "/" }).toString(),
    });
    if (![...session.cookies.keys()].some((name) => name.includes("session-token"))) {
      throw new Error(`sign-in failed for ${email}: ${response.status} ${response.headers.get("location")}`);
    }
    return session;
  }

  /** The Cookie header this session sends. */
  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  async request(pathname: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0) headers.set("cookie", this.cookieHeader());
    const response = await fetch(new URL(pathname, this.baseUrl), { ...init, headers, redirect: "manual" });
    for (const raw of response.headers.getSetCookie()) {
      const [pair] = raw.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(raw) || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  /**
   * Calls a server action by "file#export" as React's client does: POST with the
   * Next-Action header and the arguments encoded as JSON. Returns the action's value.
   */
  async callAction<T = unknown>(ref: string, args: unknown[], pagePath = "/"): Promise<{ status: number; result: T }> {
    const response = await this.request(pagePath, {
      method: "POST",
      headers: { "next-action": actionId(ref), accept: "text/x-component", "content-type": "text/plain;charset=UTF-8" },
      body: JSON.stringify(args),
    });
    const text = await response.text();
    return { status: response.status, result: parseActionResult<T>(text, ref) };
  }
}

/** Every server action the build knows, as "file#export" -> id, from Next's own manifest. */
export function listActions(): Map<string, string> {
  const manifest = JSON.parse(readFileSync(path.resolve(".next/server/server-reference-manifest.json"), "utf8")) as {
    node: Record<string, { filename?: string; exportedName?: string }>;
  };
  const out = new Map<string, string>();
  for (const [id, entry] of Object.entries(manifest.node)) {
    if (entry.filename && entry.exportedName) out.set(`${entry.filename}#${entry.exportedName}`, id);
  }
  return out;
}

function actionId(ref: string): string {
  const id = listActions().get(ref);
  if (!id) throw new Error(`no server action ${ref} in the build`);
  return id;
}

/** The flight response's rows are "<id>:<json>"; row 0 names the row holding the action's value. */
function parseActionResult<T>(text: string, ref: string): T {
  const rows = new Map<string, string>();
  for (const line of text.split("\n")) {
    const match = /^([0-9a-f]+):(.*)$/.exec(line);
    if (match) rows.set(match[1]!, match[2]!);
  }
  const head = rows.get("0");
  if (!head) throw new Error(`unexpected response from ${ref}: ${text.slice(0, 300)}`);
  const pointer = (JSON.parse(head) as { a?: unknown }).a;
  if (typeof pointer === "string" && pointer.startsWith("$@")) return JSON.parse(rows.get(pointer.slice(2))!) as T;
  return pointer as T;
}
