import { randomBytes } from "node:crypto";
import { encode } from "next-auth/jwt";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";

process.env.AUTH_SECRET ??= randomBytes(32).toString("base64url");
process.env.SECRETS_KEY ??= randomBytes(32).toString("base64url");
const { requestUserId, SESSION_CHECK_TTL_MS } = await import("./auth");

const COOKIE = "authjs.session-token";

/** A session cookie as Auth.js sets it after sign-in, for a token that lives `maxAge` seconds from now. */
async function sessionCookie(userId: string, maxAge: number): Promise<string> {
  const token = await encode({
    token: { sub: userId, name: "Sam", email: "sam@example.test" },
    secret: process.env.AUTH_SECRET!,
    salt: COOKIE,
    maxAge,
  });
  return `${COOKIE}=${token}`;
}

function poll(cookie: string | null, headers: Record<string, string> = {}): Request {
  return new Request("http://127.0.0.1:3000/api/orgs/acme/conversations", {
    headers: { ...(cookie ? { cookie } : {}), ...headers },
  });
}

describe("requestUserId", () => {
  let cookie: string;
  beforeAll(async () => {
    cookie = await sessionCookie("user-1", 3600);
  });
  afterEach(() => void vi.useRealTimers());

  it("answers as Auth.js does, asked again or not", async () => {
    const token = cookie.slice(COOKIE.length + 1);
    const tampered = `${COOKIE}=${token.slice(0, -6)}${token.slice(-6) === "AAAAAA" ? "BBBBBB" : "AAAAAA"}`;
    for (let round = 0; round < 2; round++) {
      expect(await requestUserId(poll(cookie))).toBe("user-1");
      expect(await requestUserId(poll(cookie, { "x-forwarded-proto": "http", "x-forwarded-host": "sb.example" }))).toBe("user-1");
      // Over https Auth.js reads __Secure-authjs.session-token: the same cookie, remembered over http, is not one there.
      expect(await requestUserId(poll(cookie, { "x-forwarded-proto": "https" }))).toBeNull();
      expect(await requestUserId(poll(tampered))).toBeNull();
      expect(await requestUserId(poll(null))).toBeNull();
      expect(await requestUserId(poll(`${COOKIE}=`))).toBeNull();
    }
  });

  it("trusts a checked session for SESSION_CHECK_TTL_MS, not a moment longer", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const start = Date.now();
    // Expired for Auth.js 10 s after it is checked, with its 15 s of tolerance for clocks 25 s after.
    const shortLived = await sessionCookie("user-2", 10);
    expect(await requestUserId(poll(shortLived))).toBe("user-2");
    vi.setSystemTime(start + 26_000);
    // Checked afresh, the token would be refused: this answer is the one remembered.
    expect(await requestUserId(poll(shortLived))).toBe("user-2");
    expect(await requestUserId(poll(shortLived, { "x-forwarded-host": "other.example" }))).toBeNull();
    vi.setSystemTime(start + SESSION_CHECK_TTL_MS + 1);
    expect(await requestUserId(poll(shortLived))).toBeNull();
    expect(await requestUserId(poll(cookie))).toBe("user-1");
  });

  it("logs no one's name or email for a refused cookie: nothing for an expired one, a line for a forged one", async () => {
    const lines: string[] = [];
    const keep = (...args: unknown[]) => void lines.push(args.map(String).join(" "));
    const spies = [vi.spyOn(console, "error").mockImplementation(keep), vi.spyOn(console, "warn").mockImplementation(keep)];
    try {
      vi.useFakeTimers({ toFake: ["Date"] });
      const expired = await sessionCookie("user-3", 10);
      vi.setSystemTime(Date.now() + 60_000);
      expect(await requestUserId(poll(expired))).toBeNull();
      expect(lines).toEqual([]);
      const token = cookie.slice(COOKIE.length + 1);
      expect(await requestUserId(poll(`${COOKIE}=${token.slice(0, 40)}${token.slice(41)}`))).toBeNull();
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^\[auth\] a session cookie was refused \(\w+\); its request is signed out$/);
      expect(lines.join("\n")).not.toMatch(/Sam|sam@example/);
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });
});
