// The operator CLI's plumbing: command definitions, option parsing and validation, errors.
import { parseArgs } from "node:util";
import { z } from "zod";
import { ActionError, isUniqueViolation } from "@/lib/action-result";

/** One option of a command: its zod schema decides the value's type and whether it is required. */
export type OptionSpec = { schema: z.ZodType; placeholder: string; description: string };
export type OptionSpecs = Record<string, OptionSpec>;
export type OptionValues<O extends OptionSpecs> = { [K in keyof O]: z.output<O[K]["schema"]> };

/** What a command answers: lines for people, one object (merged into {"ok":true,…}) for --json. */
export type CommandOutput = { lines: string[]; json: Record<string, unknown> };

export type Command = {
  name: string;
  summary: string;
  options: OptionSpecs;
  /** Extra lines for the usage text. */
  notes?: string[];
  run: (values: Record<string, unknown>) => Promise<CommandOutput>;
};

export function defineCommand<O extends OptionSpecs>(command: {
  name: string;
  summary: string;
  options: O;
  notes?: string[];
  run: (values: OptionValues<O>) => Promise<CommandOutput>;
}): Command {
  return command as unknown as Command;
}

/**
 * An expected failure: printed as one clear line, never with a stack trace.
 * exitCode 2 for usage errors (unknown command or option, missing option), 1 otherwise.
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly options: { exitCode?: 1 | 2; field?: string; usage?: Command | "all" } = {},
  ) {
    super(message);
  }
  get exitCode(): 1 | 2 {
    return this.options.exitCode ?? 1;
  }
}

export function isOptional(spec: OptionSpec): boolean {
  return spec.schema.safeParse(undefined).success;
}

const GLOBAL_FLAGS = { json: { type: "boolean" }, help: { type: "boolean", short: "h" } } as const;

/** Splits argv into the command name, its raw option values and the global flags. */
export function parseCommandLine(
  argv: string[],
  commands: Command[],
): { command: Command | null; raw: Record<string, string>; json: boolean; help: boolean } {
  const json = argv.includes("--json");
  let index = 0;
  while (index < argv.length && ["--json", "--help", "-h"].includes(argv[index]!)) index++;
  const name = argv[index];
  if (name === undefined) return { command: null, raw: {}, json, help: true };
  if (name.startsWith("-")) throw new CliError(`expected a command before ${name}`, { exitCode: 2, usage: "all" });
  const rest = [...argv.slice(0, index), ...argv.slice(index + 1)];
  if (name === "help") {
    const topic = rest.find((a) => !a.startsWith("-"));
    return { command: topic === undefined ? null : findCommand(topic, commands), raw: {}, json, help: true };
  }
  const command = findCommand(name, commands);
  const { raw, help } = parseOptions(rest, command);
  return { command, raw, json, help };
}

function findCommand(name: string, commands: Command[]): Command {
  const command = commands.find((c) => c.name === name);
  if (!command)
    throw new CliError(`unknown command "${name}"; commands: ${commands.map((c) => c.name).join(", ")}`, {
      exitCode: 2,
      usage: "all",
    });
  return command;
}

/** util.parseArgs in its lenient mode, then our own checks so every message names the option. */
function parseOptions(args: string[], command: Command): { raw: Record<string, string>; help: boolean } {
  const config = {
    ...GLOBAL_FLAGS,
    ...Object.fromEntries(Object.keys(command.options).map((name) => [name, { type: "string" as const }])),
  };
  const { tokens } = parseArgs({ args, options: config, strict: false, allowPositionals: true, tokens: true });
  const raw: Record<string, string> = {};
  let help = false;
  const usage = { exitCode: 2 as const, usage: command };
  for (const token of tokens) {
    if (token.kind === "positional")
      throw new CliError(`${command.name}: unexpected argument "${token.value}" (options take the form --name <value>)`, usage);
    if (token.kind !== "option") continue;
    const field = token.name;
    if (field === "json" || field === "help") {
      if (token.value !== undefined) throw new CliError(`${token.rawName} does not take a value`, { ...usage, field });
      if (field === "help") help = true;
      continue;
    }
    const spec = command.options[field];
    if (!spec) throw new CliError(`unknown option ${token.rawName} for ${command.name}`, usage);
    const flag = `--${field}`;
    if (token.value === undefined || (!token.inlineValue && token.value.startsWith("-"))) {
      throw new CliError(
        `${flag}: missing value (write ${flag} <${spec.placeholder}>; for a value starting with "-", ${flag}=<value>)`,
        { ...usage, field },
      );
    }
    if (field in raw) throw new CliError(`${flag}: given more than once`, { ...usage, field });
    raw[field] = token.value;
  }
  return { raw, help };
}

/** Missing required options first (a usage error), then each value through its schema. */
export function validateOptions(command: Command, raw: Record<string, string>): Record<string, unknown> {
  for (const [field, spec] of Object.entries(command.options)) {
    if (raw[field] === undefined && !isOptional(spec)) {
      throw new CliError(`missing required option --${field} <${spec.placeholder}>`, { exitCode: 2, field, usage: command });
    }
  }
  const values: Record<string, unknown> = {};
  for (const [field, spec] of Object.entries(command.options)) {
    const result = spec.schema.safeParse(raw[field]);
    if (!result.success) throw new CliError(`--${field}: ${result.error.issues.map((i) => i.message).join("; ")}`, { field });
    values[field] = result.data;
  }
  return values;
}

/**
 * A domain refusal (ActionError) as a CliError naming the option: `fields` maps the
 * domain's field names (fieldErrors keys) to this command's option names.
 */
export function refusal(error: unknown, fields: Record<string, string> = {}): never {
  if (error instanceof ActionError) {
    const key = Object.keys(error.fieldErrors ?? {}).find((k) => k in fields);
    const field = key ? fields[key] : undefined;
    throw new CliError(field ? `--${field}: ${error.message}` : error.message, { field });
  }
  if (isUniqueViolation(error)) throw new CliError("That already exists (someone else just created it).");
  throw error;
}

/** Infrastructure failures an operator can fix, said plainly; undefined for real bugs. */
export function describeKnownFailure(error: unknown): string | undefined {
  const e = error as { code?: string; message?: string; address?: string; cause?: { code?: string } } | null;
  const code = e?.code ?? e?.cause?.code;
  // A Unix socket (DATABASE_URL's ?host=/dir) whose server is down has no file.
  const noSocket = code === "ENOENT" && /\.s\.PGSQL\.\d+$/.test(e?.address ?? "");
  if (code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "CONNECT_TIMEOUT" || noSocket)
    return `cannot reach the database (${code}); check DATABASE_URL`;
  if (code === "28P01" || code === "3D000") return `database refused the connection: ${e?.message}; check DATABASE_URL`;
  if (code === "42P01") return `the database is not migrated (${e?.message}); run \`npm run db:migrate\` first`;
  return undefined;
}

export function usageText(commands: Command[], only?: Command): string {
  const lines: string[] = [];
  const list = only ? [only] : commands;
  if (!only) {
    lines.push("Switchboard operator CLI", "", "Usage: npm run admin -- <command> [options] [--json]", "", "Commands:");
  }
  for (const command of list) {
    const synopsis = Object.entries(command.options).map(([field, spec]) =>
      isOptional(spec) ? `[--${field} <${spec.placeholder}>]` : `--${field} <${spec.placeholder}>`,
    );
    lines.push(`  ${[command.name, ...synopsis].join(" ")}`, `      ${command.summary}`);
    const width = Math.max(0, ...Object.entries(command.options).map(([f, s]) => f.length + s.placeholder.length + 5));
    for (const [field, spec] of Object.entries(command.options)) {
      lines.push(`      ${`--${field} <${spec.placeholder}>`.padEnd(width)}  ${spec.description}`);
    }
    for (const note of command.notes ?? []) lines.push(`      ${note}`);
    lines.push("");
  }
  if (!only) {
    lines.push(
      "  help [<command>]",
      "      This text, or one command's.",
      "",
      "Global options:",
      '  --json       Print exactly one JSON object on stdout: {"ok":true,…} or {"ok":false,"error":{"message","field"}}.',
      "               Use `npm run -s admin -- …` so npm's own banner does not precede it.",
      "  --help, -h   Show usage.",
      "",
      "Database: DATABASE_URL when set; otherwise the embedded PostgreSQL in ./.data, started and",
      "stopped around the command (migrations applied first, as `npm start` does).",
      "While `npm start` is running on the embedded database, it is in use: pass its URL instead,",
      "  DATABASE_URL=postgres://postgres:<EMBEDDED_PG_PASSWORD from .data/local-secrets.json>@127.0.0.1:54329/switchboard",
      "",
      "Exit codes: 0 done, 1 invalid value or refused, 2 usage error (unknown command/option, missing option).",
    );
  }
  return lines.join("\n").trimEnd();
}

export function usageJson(commands: Command[], only?: Command) {
  return {
    commands: (only ? [only] : commands).map((c) => ({
      name: c.name,
      summary: c.summary,
      options: Object.entries(c.options).map(([field, spec]) => ({
        name: `--${field}`,
        value: spec.placeholder,
        required: !isOptional(spec),
        description: spec.description,
      })),
    })),
  };
}
