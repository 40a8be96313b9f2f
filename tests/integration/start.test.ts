import { once } from "node:events";
import { describe, expect, it } from "vitest";
import { verifyUserPassword } from "@/db/queries/users";
import { findOrgBySlug } from "@/db/queries/orgs";
import { freePort, spawnTs } from "../helpers/app";

/** `npm start`'s script against this file's database (DATABASE_URL mode), as a user runs it. */
async function runStart(env: Record<string, string>) {
  const port = await freePort();
  const child = spawnTs("scripts/start.ts", [], { PORT: String(port), ...env });
  let output = "";
  child.stdout!.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (output += c.toString()));
  const deadline = Date.now() + 90_000;
  while (!output.includes("Stop with Ctrl-C") && child.exitCode === null && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
  }
  return { child, port, output: () => output };
}

describe("npm start", () => {
  it("migrates, seeds the demo org once with the given login, serves, and stops cleanly on SIGTERM", async () => {
    const env = { DEMO_OWNER_EMAIL: "Boss@Demo.test", DEMO_OWNER_PASSWORD: "demo-password-123" };
    const first = await runStart(env);
    expect(first.output()).toContain(`Switchboard is running at http://localhost:${first.port}`);
    expect(first.output()).toContain("sign in as boss@demo.test");
    expect(first.output()).toContain("password: demo-password-123");
    expect((await fetch(`http://127.0.0.1:${first.port}/api/health`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${first.port}/login`)).status).toBe(200);
    expect(await findOrgBySlug("demo")).toBeDefined();
    expect(await verifyUserPassword("boss@demo.test", "demo-password-123")).toBeDefined();

    first.child.kill("SIGTERM");
    const [code] = (await once(first.child, "exit")) as [number | null];
    expect(code).toBe(0);
    expect(first.output()).toContain("stopped.");
    await expect(fetch(`http://127.0.0.1:${first.port}/api/health`)).rejects.toThrow();

    // The second run reuses the data: no new seed, and the password is not printed again.
    const second = await runStart(env);
    expect(second.output()).toContain("the password was shown on the first run");
    expect(second.output()).not.toContain("demo-password-123");
    second.child.kill("SIGINT");
    const [code2] = (await once(second.child, "exit")) as [number | null];
    expect(code2).toBe(0);
  });

  it("refuses to start in production without AUTH_SECRET and SECRETS_KEY, naming both", async () => {
    const child = spawnTs("scripts/start.ts", [], { NODE_ENV: "production", AUTH_SECRET: "", SECRETS_KEY: "" });
    let output = "";
    child.stderr!.on("data", (c: Buffer) => (output += c.toString()));
    const [code] = (await once(child, "exit")) as [number | null];
    expect(code).toBe(1);
    expect(output).toMatch(/refusing to start in production: set AUTH_SECRET and SECRETS_KEY/);
  });
});
