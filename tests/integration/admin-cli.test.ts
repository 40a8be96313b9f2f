import { randomBytes } from "node:crypto";
import { and, eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db";
import { findOrgBySlug } from "@/db/queries/orgs";
import { findUserByEmail, verifyUserPassword } from "@/db/queries/users";
import { apiKeys } from "@/db/schema/api-keys";
import { auditLog } from "@/db/schema/audit-log";
import { memberships } from "@/db/schema/memberships";
import { orgs } from "@/db/schema/orgs";
import { vendorAccounts } from "@/db/schema/vendor-accounts";
import { admitApiKey } from "@/lib/api/rate-limit";
import { decryptSecret, encryptSecret, parseSecretsKey } from "@/lib/crypto/secrets";
import { sha256 } from "@/lib/tokens";
import { spawnTs } from "../helpers/app";
import { ownerWithOrg } from "../helpers/fixtures";

/** The real CLI as a child process against this file's database. No mocks. */
type CliRun = { code: number | null; stdout: string; stderr: string };

function cli(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  const child = spawnTs("scripts/admin.ts", args, { DATABASE_URL: process.env.DATABASE_URL!, ...env });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (c: Buffer) => (stdout += c.toString()));
  child.stderr?.on("data", (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** stdout must be exactly one JSON object. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test assertions walk the CLI's JSON freely
function json(run: CliRun): any {
  const text = run.stdout.trim();
  expect(text.split("\n"), `stdout: ${run.stdout}\nstderr: ${run.stderr}`).toHaveLength(1);
  return JSON.parse(text);
}

function expectRefused(run: CliRun, field: string | undefined, message: string | RegExp, exitCode = 1) {
  const out = json(run);
  expect(run.code, run.stdout + run.stderr).toBe(exitCode);
  expect(out.ok).toBe(false);
  expect(out.error.field).toBe(field);
  expect(out.error.message).toMatch(message);
  expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace for an expected error
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const OWNER_PASSWORD = "owner-pass-2024";

describe("admin CLI", () => {
  it("prints usage, and refuses unknown commands, unknown options and missing options", async () => {
    const [help, unknownCommand, missing, unknownOption, noValue] = await Promise.all([
      cli(["--help"]),
      cli(["launch-rockets", "--json"]),
      cli(["create-org", "--name", "Acme", "--owner-email", "a@acme.test", "--json"]),
      cli(["create-user", "--email", "a@acme.test", "--colour", "blue"]),
      cli(["create-api-key", "--org", "acme", "--name"]),
    ]);

    expect(help.code).toBe(0);
    for (const command of ["create-org", "create-user", "add-member", "create-api-key", "rotate-secrets-key", "help"])
      expect(help.stdout).toContain(command);
    for (const option of ["--owner-email", "--owner-password", "--role", "--org", "--json", "DATABASE_URL"])
      expect(help.stdout).toContain(option);

    expectRefused(unknownCommand, undefined, /unknown command "launch-rockets"/, 2);
    expectRefused(missing, "slug", /missing required option --slug/, 2);

    expect(unknownOption.code).toBe(2);
    expect(unknownOption.stderr).toMatch(/unknown option --colour/);
    expect(unknownOption.stdout).toBe("");
    expect(noValue.code).toBe(2);
    expect(noValue.stderr).toMatch(/--name: missing value/);
  });

  it("create-org creates the owner and the org, with the owner as OWNER", async () => {
    const run = await cli([
      "create-org",
      "--name",
      "Acme Corp",
      "--slug",
      "acme",
      "--owner-email",
      "Owner@Acme.test",
      "--owner-password",
      OWNER_PASSWORD,
      "--json",
    ]);
    const out = json(run);
    expect(run.code, run.stderr).toBe(0);
    expect(out).toMatchObject({
      ok: true,
      org: { slug: "acme", name: "Acme Corp" },
      owner: { email: "owner@acme.test", created: true },
    });
    expect(out.org.id).toMatch(UUID);
    expect(out.owner.id).toMatch(UUID);

    const user = await verifyUserPassword("owner@acme.test", OWNER_PASSWORD);
    expect(user?.id).toBe(out.owner.id);
    const [membership] = await db.select().from(memberships).where(eq(memberships.orgId, out.org.id));
    expect(membership).toMatchObject({ userId: out.owner.id, role: "OWNER" });
    const audit = await db.select().from(auditLog).where(eq(auditLog.orgId, out.org.id));
    expect(audit).toEqual([expect.objectContaining({ action: "org.create", actorLabel: "cli" })]);
  });

  it("create-org refuses a taken slug, a reserved slug, a weak password, and a password for an existing owner", async () => {
    const [taken, reserved, weak, existing] = await Promise.all([
      cli([
        "create-org",
        "--name",
        "Acme Two",
        "--slug",
        "acme",
        "--owner-email",
        "second@acme.test",
        "--owner-password",
        OWNER_PASSWORD,
        "--json",
      ]),
      cli(["create-org", "--name", "Api", "--slug", "api", "--owner-email", "owner@acme.test", "--json"]),
      cli([
        "create-org",
        "--name",
        "Weak",
        "--slug",
        "weak",
        "--owner-email",
        "weak@acme.test",
        "--owner-password",
        "short",
        "--json",
      ]),
      cli([
        "create-org",
        "--name",
        "Again",
        "--slug",
        "again",
        "--owner-email",
        "owner@acme.test",
        "--owner-password",
        OWNER_PASSWORD,
        "--json",
      ]),
    ]);
    expectRefused(taken, "slug", /^--slug: "acme" is taken/);
    expectRefused(reserved, "slug", /^--slug: "api" is reserved/);
    expectRefused(weak, "owner-password", /^--owner-password: Use at least 10 characters/);
    expectRefused(existing, "owner-password", /user exists; omit --owner-password/);

    // Nothing was half-made: no second org, no user for the refused slug.
    expect(await db.select({ slug: orgs.slug }).from(orgs)).toEqual([{ slug: "acme" }]);
    expect(await findUserByEmail("second@acme.test")).toBeUndefined();
    expect(await findUserByEmail("weak@acme.test")).toBeUndefined();
  });

  it("create-user and add-member", async () => {
    const created = await cli([
      "create-user",
      "--email",
      "member@acme.test",
      "--name",
      "Mia Member",
      "--password",
      "member-pass-1",
    ]);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain("Created user member@acme.test");
    expect(await verifyUserPassword("member@acme.test", "member-pass-1")).toMatchObject({ name: "Mia Member" });

    const [added, duplicateUser, unknownOrg, badRole, alreadyMember] = await Promise.all([
      cli(["add-member", "--org", "acme", "--email", "member@acme.test", "--role", "texter", "--json"]),
      cli(["create-user", "--email", "MEMBER@acme.test", "--name", "Again", "--password", "member-pass-1", "--json"]),
      cli(["add-member", "--org", "nope", "--email", "member@acme.test", "--role", "ADMIN", "--json"]),
      cli(["add-member", "--org", "acme", "--email", "member@acme.test", "--role", "BOSS", "--json"]),
      cli(["add-member", "--org", "acme", "--email", "owner@acme.test", "--role", "ADMIN", "--json"]),
    ]);
    const out = json(added);
    expect(added.code, added.stderr).toBe(0);
    expect(out).toMatchObject({
      ok: true,
      membership: { role: "TEXTER" },
      org: { slug: "acme" },
      user: { email: "member@acme.test" },
    });
    expectRefused(duplicateUser, "email", /^--email: An account with this email already exists/);
    expectRefused(unknownOrg, "org", /^--org: no organization with slug "nope"/);
    expectRefused(badRole, "role", /^--role: expected one of OWNER, ADMIN, SUPERVOLUNTEER, TEXTER$/);
    expectRefused(alreadyMember, "email", /^--email: owner@acme\.test is already a member/);

    const org = (await findOrgBySlug("acme"))!;
    const rows = await db.select({ role: memberships.role }).from(memberships).where(eq(memberships.orgId, org.id));
    expect(rows.map((r) => r.role).sort()).toEqual(["OWNER", "TEXTER"]);
    const [audit] = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.orgId, org.id), eq(auditLog.action, "member.add")));
    expect(audit).toMatchObject({ actorLabel: "cli", actorUserId: null, details: { role: "TEXTER" } });
  });

  it("create-api-key prints the key once and stores only its sha256", async () => {
    const run = await cli(["create-api-key", "--org", "acme", "--name", "CRM sync"]);
    expect(run.code, run.stderr).toBe(0);
    const key = /^\s*(sb_live_[A-Za-z0-9_-]{40,})\s*$/m.exec(run.stdout)?.[1];
    expect(key, run.stdout).toBeDefined();
    expect(run.stdout.split(key!).length - 1).toBe(1);
    expect(run.stderr).not.toContain(key);

    const org = (await findOrgBySlug("acme"))!;
    const rows = await db.select().from(apiKeys).where(eq(apiKeys.orgId, org.id));
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row).toMatchObject({ name: "CRM sync", createdBy: null, hash: sha256(key!) });
    expect(row.hash).not.toBe(key);
    expect(JSON.stringify(row)).not.toContain(key!);
    expect(key!.startsWith(row.prefix)).toBe(true);

    expect(await admitApiKey(key!)).toMatchObject({ key: { keyId: row.id, orgId: org.id }, decision: { allowed: true } });
    const audit = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.orgId, org.id), eq(auditLog.action, "api_key.create")));
    expect(audit).toEqual([expect.objectContaining({ actorLabel: "cli", targetId: row.id })]);
  });

  it("rotate-secrets-key re-encrypts under SECRETS_KEY, and changes nothing when an old key is unknown", async () => {
    const OLD = `old1:${randomBytes(32).toString("base64")}`;
    const NEW = `new1:${randomBytes(32).toString("base64")}`;
    const { org } = await ownerWithOrg("Rotate");
    const clear: Record<string, Record<string, string>> = {};

    async function account(name: string, values: Record<string, string>, key: string) {
      const [row] = await db
        .insert(vendorAccounts)
        .values({ orgId: org.id, kind: "fake", name, webhookToken: randomBytes(16).toString("hex"), secrets: {} })
        .returning({ id: vendorAccounts.id });
      const secrets = Object.fromEntries(
        Object.entries(values).map(([field, value]) => [
          field,
          encryptSecret(value, { orgId: org.id, accountId: row!.id, field }, parseSecretsKey(key)),
        ]),
      );
      await db.update(vendorAccounts).set({ secrets }).where(eq(vendorAccounts.id, row!.id));
      clear[row!.id] = values;
      return row!.id;
    }
    const oldId = await account("Old", { apiKey: "clear-api-key-A1", authToken: "clear-auth-token-A2" }, OLD);
    const currentId = await account("Current", { apiKey: "clear-api-key-B1" }, NEW);
    const stored = () =>
      db
        .select({ id: vendorAccounts.id, secrets: vendorAccounts.secrets })
        .from(vendorAccounts)
        .where(inArray(vendorAccounts.id, [oldId, currentId]));
    const before = await stored();

    // Without SECRETS_KEY_PREVIOUS the old values cannot be read: refused, all or nothing.
    const refused = await cli(["rotate-secrets-key", "--json"], { SECRETS_KEY: NEW, SECRETS_KEY_PREVIOUS: "" });
    expectRefused(refused, undefined, /nothing was changed.*"old1"/);
    expect(await stored()).toEqual(before);

    const run = await cli(["rotate-secrets-key", "--json"], { SECRETS_KEY: NEW, SECRETS_KEY_PREVIOUS: OLD });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(json(run)).toEqual({ ok: true, keyId: "new1", accounts: 2, rewritten: 2, alreadyCurrent: 1 });

    const after = await stored();
    expect(after.find((r) => r.id === currentId)!.secrets).toEqual(before.find((r) => r.id === currentId)!.secrets);
    const saved = process.env.SECRETS_KEY;
    process.env.SECRETS_KEY = NEW;
    try {
      for (const row of after) {
        expect(Object.keys(row.secrets).sort()).toEqual(Object.keys(clear[row.id]!).sort());
        for (const [field, value] of Object.entries(row.secrets)) {
          expect(value.startsWith("sb1.new1.")).toBe(true);
          expect(decryptSecret(value, { orgId: org.id, accountId: row.id, field })).toBe(clear[row.id]![field]);
        }
        for (const value of Object.values(clear[row.id]!)) expect(JSON.stringify(row.secrets)).not.toContain(value);
      }
    } finally {
      if (saved === undefined) delete process.env.SECRETS_KEY;
      else process.env.SECRETS_KEY = saved;
    }
  });

  it("adds a vendor account with encrypted secrets, and numbers to it", async () => {
    const { org } = await ownerWithOrg("Vendorcli");
    const secret = "cli-webhook-secret-42";
    const added = await cli(["add-vendor-account", "--org", org.slug, "--kind", "fake", "--name", "Dev fake", "--config", '{"deliveryDelayMs":0}', "--secrets", JSON.stringify({ webhookSecret: secret }), "--default", "true", "--json"]);
    const out = json(added);
    expect(added.code, added.stderr).toBe(0);
    expect(out.account).toMatchObject({ kind: "fake", name: "Dev fake", default: true });
    expect(out.webhookUrls.status).toMatch(/\/api\/webhooks\/fake\/wh_[\w-]+\/status$/);
    expect(added.stdout + added.stderr).not.toContain(secret);
    const [row] = await db.select().from(vendorAccounts).where(eq(vendorAccounts.id, out.account.id));
    expect(JSON.stringify(row)).not.toContain(secret);
    expect(row!.secrets.webhookSecret).toMatch(/^sb1\./);
    const [orgRow] = await db.select().from(orgs).where(eq(orgs.id, org.id));
    expect(orgRow!.features.DEFAULT_SERVICE).toBe(out.account.id);

    const [badConfig, secretInConfig, unknownKind, number, junk, otherAccount] = await Promise.all([
      cli(["add-vendor-account", "--org", org.slug, "--kind", "fake", "--name", "X", "--config", '{"deliveryDelayMs":-1}', "--json"]),
      cli(["add-vendor-account", "--org", org.slug, "--kind", "fake", "--name", "X", "--config", JSON.stringify({ webhookSecret: "in-the-open" }), "--json"]),
      cli(["add-vendor-account", "--org", org.slug, "--kind", "carrier-pigeon", "--name", "X", "--json"]),
      cli(["add-number", "--org", org.slug, "--account", out.account.id, "--e164", "(212) 555-0142", "--json"]),
      cli(["add-number", "--org", org.slug, "--account", out.account.id, "--e164", "not a number", "--json"]),
      cli(["add-number", "--org", org.slug, "--account", "00000000-0000-4000-8000-000000000000", "--e164", "2125550143", "--json"]),
    ]);
    expectRefused(badConfig, "config", /Delivery report delay \(ms\): Use 0 or more/);
    expectRefused(secretInConfig, "config", /is a secret; pass it in --secrets/);
    expectRefused(unknownKind, "kind", /expected one of fake/);
    expect(number.code, number.stderr).toBe(0);
    expect(json(number).number).toMatchObject({ e164: "+12125550142", senderType: "LONG_CODE" });
    expectRefused(await cli(["add-number", "--org", org.slug, "--account", out.account.id, "--e164", "+12125550142", "--json"]), "e164", /already one of this organization's numbers/);
    expectRefused(junk, "e164", /can't be read as a phone number/);
    expectRefused(otherAccount, "account", /no vendor account/);
  });
});
