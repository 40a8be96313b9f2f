import { CsvError, parse } from "csv-parse/sync";
import { z } from "zod";
import { toE164 } from "./phone";

/**
 * Reading a contacts CSV: pure functions shared by the preview (column mapping) and the
 * import, so the server always re-reads the file itself and never trusts rows a client
 * parsed. Line numbers are the file's own: the header is line 1, a quoted cell spanning
 * three lines moves every later row down by two.
 */

/** The server action body limit (next.config.mjs) is 6 MB, and the file travels as JSON text inside it. */
export const MAX_CSV_BYTES = 5_000_000;
export const MAX_CSV_ROWS = 50_000;
export const MAX_CUSTOM_FIELDS = 50;
export const MAX_NAME_LENGTH = 100;
export const MAX_CUSTOM_KEY_LENGTH = 64;
export const MAX_CUSTOM_VALUE_LENGTH = 1000;

const DELIMITERS = [",", ";", "\t"] as const;
const NO_ROWS = "The file has a header row but no contacts below it.";
export type CsvDelimiter = (typeof DELIMITERS)[number];

/** Which column (0-based) plays which part; custom columns become custom fields keyed by their header. */
export const csvMappingSchema = z.object({
  hasHeader: z.boolean(),
  phone: z.number({ message: "Choose the column that holds phone numbers" }).int().min(0),
  firstName: z.number().int().min(0).nullable().default(null),
  lastName: z.number().int().min(0).nullable().default(null),
  custom: z.array(z.number().int().min(0)).default([]),
});
export type CsvMapping = z.infer<typeof csvMappingSchema>;

export type CsvRecord = { line: number; endLine: number; cells: string[] };
export type CsvTable = { delimiter: CsvDelimiter; records: CsvRecord[]; blankLines: number };
export type CsvFailure = { ok: false; error: string };

export type CsvColumn = { index: number; label: string; samples: string[] };
export type CsvPreview = {
  delimiter: CsvDelimiter;
  hasHeader: boolean;
  columns: CsvColumn[];
  rowCount: number;
  /** Our guess at the mapping; phone is null when no column looks like phone numbers. */
  mapping: Omit<CsvMapping, "phone"> & { phone: number | null };
};

export type ImportRow = { line: number; e164: string; firstName: string; lastName: string; customFields: Record<string, string> };
export type BadRow = { line: number; endLine: number; reason: string; value: string };
export type ImportPlan = { rows: ImportRow[]; bad: BadRow[]; blankLines: number; dataRows: number };

/** Parses the whole file into trimmed cells with line numbers, or one message naming the line at fault. */
export function readCsv(text: string): { ok: true; table: CsvTable } | CsvFailure {
  // One kind of line break, so csv-parse's line counter agrees with an editor's even inside quoted cells.
  const normalized = text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  if (normalized.trim() === "") return { ok: false, error: "The file is empty." };
  if (normalized.includes("\u0000"))
    return { ok: false, error: "The file isn't plain text. If it's a spreadsheet, save it as CSV (UTF-8) and import that." };
  const delimiter = detectDelimiter(normalized);
  let lastEnd = 0;
  let parsed: { record: string[]; info: { lines: number } }[];
  try {
    parsed = parse(normalized, {
      delimiter,
      bom: true,
      info: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      max_record_size: 64_000,
      on_record: (record, context) => {
        lastEnd = context.lines;
        return record;
      },
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    if (error instanceof CsvError) return { ok: false, error: describeCsvError(error, normalized, lastEnd) };
    throw error;
  }
  let blankLines = 0;
  const records: CsvRecord[] = [];
  for (const { record, info } of parsed) {
    // Line breaks inside quoted cells are what separates the row's first line from its last.
    const inner = record.reduce((n, cell) => n + countNewlines(cell), 0);
    const cells = record.map((cell) => cell.trim());
    if (cells.every((cell) => cell === "")) {
      blankLines += 1;
      continue;
    }
    records.push({ line: info.lines - inner, endLine: info.lines, cells });
  }
  if (records.length === 0) return { ok: false, error: "The file has no rows with anything in them." };
  return { ok: true, table: { delimiter, records, blankLines } };
}

/** What the mapping step shows: columns with sample values, the row count and a guessed mapping. */
export function previewCsv(
  text: string,
  defaultCountry: string,
  hasHeader?: boolean,
): { ok: true; preview: CsvPreview } | CsvFailure {
  const read = readCsvWithinLimits(text);
  if (!read.ok) return read;
  const { table } = read;
  const header = hasHeader ?? looksLikeHeader(table.records[0]!.cells, defaultCountry);
  const labels = columnLabels(table.records[0]!.cells, header);
  const data = table.records.slice(header ? 1 : 0);
  if (data.length === 0) return { ok: false, error: NO_ROWS };
  const columns = labels.map((label, index) => ({
    index,
    label,
    samples: data
      .map((r) => r.cells[index] ?? "")
      .filter(Boolean)
      .slice(0, 3),
  }));
  return {
    ok: true,
    preview: {
      delimiter: table.delimiter,
      hasHeader: header,
      columns,
      rowCount: data.length,
      mapping: guessMapping(labels, data, header, defaultCountry),
    },
  };
}

/**
 * Checks every row against the mapping: good rows normalised (E.164, trimmed names, custom
 * fields with blanks left out), bad rows with their line and every reason. Without a
 * mapping, the guessed one is used, which needs a recognisable phone column.
 */
export function planImport(
  text: string,
  defaultCountry: string,
  mapping?: CsvMapping,
): { ok: true; plan: ImportPlan } | CsvFailure {
  const read = readCsvWithinLimits(text);
  if (!read.ok) return read;
  const { table } = read;
  const first = table.records[0]!;
  const hasHeader = mapping?.hasHeader ?? looksLikeHeader(first.cells, defaultCountry);
  const labels = columnLabels(first.cells, hasHeader);
  const data = table.records.slice(hasHeader ? 1 : 0);
  if (data.length === 0) return { ok: false, error: NO_ROWS };
  const chosen = mapping ?? guessMapping(labels, data, hasHeader, defaultCountry);
  if (chosen.phone === null) {
    return {
      ok: false,
      error: "No column of phone numbers was found. Name the column “phone”, or choose it when mapping the columns.",
    };
  }
  const invalid = checkMapping({ ...chosen, phone: chosen.phone }, labels.length);
  if (invalid) return { ok: false, error: invalid };

  const rows: ImportRow[] = [];
  const bad: BadRow[] = [];
  const seen = new Map<string, number>();
  const expected = first.cells.length;
  for (const record of data) {
    const value = (record.cells[chosen.phone] ?? "").slice(0, 40);
    if (record.cells.length !== expected) {
      const reason = `has ${plural(record.cells.length, "column")}; the ${hasHeader ? "header" : "first row"} has ${expected}`;
      bad.push({ line: record.line, endLine: record.endLine, reason, value });
      continue;
    }
    const reasons: string[] = [];
    const phone = record.cells[chosen.phone]!;
    const parsed = phone ? toE164(phone, defaultCountry) : null;
    if (!parsed) reasons.push("phone: missing");
    else if (!parsed.ok) reasons.push(`phone: ${parsed.reason}`);
    const firstName = chosen.firstName === null ? "" : record.cells[chosen.firstName]!;
    const lastName = chosen.lastName === null ? "" : record.cells[chosen.lastName]!;
    if (firstName.length > MAX_NAME_LENGTH) reasons.push(`first name: longer than ${MAX_NAME_LENGTH} characters`);
    if (lastName.length > MAX_NAME_LENGTH) reasons.push(`last name: longer than ${MAX_NAME_LENGTH} characters`);
    const customFields: Record<string, string> = {};
    for (const index of chosen.custom) {
      const cell = record.cells[index]!;
      if (cell.length > MAX_CUSTOM_VALUE_LENGTH)
        reasons.push(`${labels[index]}: longer than ${MAX_CUSTOM_VALUE_LENGTH} characters`);
      else if (cell) customFields[labels[index]!] = cell;
    }
    const e164 = parsed?.ok ? parsed.e164 : null;
    const earlier = e164 ? seen.get(e164) : undefined;
    if (earlier !== undefined) reasons.push(`duplicate of line ${earlier}`);
    if (reasons.length > 0 || !e164) {
      bad.push({ line: record.line, endLine: record.endLine, reason: reasons.join("; "), value });
      continue;
    }
    seen.set(e164, record.line);
    rows.push({ line: record.line, e164, firstName, lastName, customFields });
  }
  return { ok: true, plan: { rows, bad, blankLines: table.blankLines, dataRows: data.length } };
}

/** The delimiter that splits the first line most often, outside quotes; comma when none does. */
export function detectDelimiter(text: string): CsvDelimiter {
  const counts = new Map<string, number>();
  let quoted = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    else if (char === "\n" && !quoted) break;
    else if (!quoted) counts.set(char, (counts.get(char) ?? 0) + 1);
  }
  let best: CsvDelimiter = ",";
  for (const candidate of DELIMITERS) if ((counts.get(candidate) ?? 0) > (counts.get(best) ?? 0)) best = candidate;
  return best;
}

/** "Column A", "Column B", ... for files without a header, and for blank header cells. */
export function columnLetter(index: number): string {
  let n = index + 1;
  let out = "";
  while (n > 0) {
    const rem = (n - 1) % 26;
    out = String.fromCharCode(65 + rem) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

function readCsvWithinLimits(text: string): { ok: true; table: CsvTable } | CsvFailure {
  const bytes = new TextEncoder().encode(text).length;
  if (bytes > MAX_CSV_BYTES) {
    return {
      ok: false,
      error: `The file is ${megabytes(bytes)}; the limit is ${megabytes(MAX_CSV_BYTES)}. Split it into smaller files.`,
    };
  }
  const read = readCsv(text);
  if (!read.ok) return read;
  if (read.table.records.length - 1 > MAX_CSV_ROWS) {
    return {
      ok: false,
      error: `The file has more than ${MAX_CSV_ROWS.toLocaleString("en-US")} rows; split it into smaller files.`,
    };
  }
  return read;
}

/** A header has no phone numbers in it; a first row of data usually does. */
function looksLikeHeader(cells: string[], defaultCountry: string): boolean {
  return !cells.some((cell) => /\d{3}/.test(cell) && toE164(cell, defaultCountry).ok);
}

function columnLabels(first: string[], hasHeader: boolean): string[] {
  const used = new Map<string, number>();
  return first.map((cell, index) => {
    const base = (hasHeader && cell ? cell : `Column ${columnLetter(index)}`).slice(0, MAX_CUSTOM_KEY_LENGTH);
    const n = (used.get(base.toLowerCase()) ?? 0) + 1;
    used.set(base.toLowerCase(), n);
    return n === 1 ? base : `${base} (${n})`;
  });
}

const PHONE_HEADER =
  /^(phone|phonenumber|phoneno|mobile|mobilenumber|mobilephone|cell|cellphone|cellnumber|number|tel|telephone|e164|msisdn|sms|contactnumber)$/;
const FIRST_HEADER = /^(firstname|first|givenname|forename|fname)$/;
const LAST_HEADER = /^(lastname|last|surname|familyname|lname)$/;
const FULL_NAME_HEADER = /^(name|fullname|contactname)$/;

function guessMapping(labels: string[], data: CsvRecord[], hasHeader: boolean, defaultCountry: string): CsvPreview["mapping"] {
  const keys = labels.map((label) => (hasHeader ? label.toLowerCase().replace(/[^a-z0-9]/g, "") : ""));
  const find = (pattern: RegExp) => {
    const index = keys.findIndex((key) => pattern.test(key));
    return index === -1 ? null : index;
  };
  const phone = find(PHONE_HEADER) ?? find(/phone|mobile|cell/);
  const phoneIndex = phone ?? columnOfPhoneNumbers(labels.length, data, defaultCountry);
  const firstName = find(FIRST_HEADER) ?? find(FULL_NAME_HEADER);
  const lastName = find(LAST_HEADER);
  const taken = new Set([phoneIndex, firstName, lastName]);
  const custom = labels
    .map((_, index) => index)
    .filter((index) => !taken.has(index))
    .slice(0, MAX_CUSTOM_FIELDS);
  return { hasHeader, phone: phoneIndex, firstName, lastName, custom };
}

/** Without a telling header: the column where most of the first rows read as phone numbers. */
function columnOfPhoneNumbers(columnCount: number, data: CsvRecord[], defaultCountry: string): number | null {
  const sample = data.slice(0, 20);
  let best: { index: number; hits: number } | null = null;
  for (let index = 0; index < columnCount; index++) {
    const values = sample.map((r) => r.cells[index] ?? "").filter(Boolean);
    const hits = values.filter((v) => /\d{3}/.test(v) && toE164(v, defaultCountry).ok).length;
    if (values.length > 0 && hits / values.length >= 0.6 && hits > (best?.hits ?? 0)) best = { index, hits };
  }
  return best?.index ?? null;
}

function checkMapping(mapping: CsvMapping, columnCount: number): string | null {
  const used = [mapping.phone, mapping.firstName, mapping.lastName, ...mapping.custom].filter((i): i is number => i !== null);
  if (used.some((i) => i >= columnCount))
    return `The file has ${plural(columnCount, "column")}; the mapping names a column it doesn't have.`;
  if (new Set(used).size !== used.length) return "Each column can have only one use: check the column mapping.";
  if (mapping.custom.length > MAX_CUSTOM_FIELDS) return `Choose at most ${MAX_CUSTOM_FIELDS} columns as custom fields.`;
  return null;
}

function describeCsvError(error: CsvError, text: string, lastRecordEnd: number): string {
  const line = (error as CsvError & { lines?: number }).lines ?? lastRecordEnd + 1;
  switch (error.code) {
    case "CSV_QUOTE_NOT_CLOSED":
      return `Line ${firstNonBlankLineAfter(text, lastRecordEnd)}: a quoted cell starts on this line and its closing quote (") is missing, so the rest of the file can't be read. Nothing was imported; fix the quotes and upload the file again.`;
    case "CSV_INVALID_CLOSING_QUOTE":
      return `Line ${line}: there is text right after a closing quote. A cell with quotes in it must be quoted as a whole, with each quote inside doubled (""). Nothing was imported.`;
    case "CSV_MAX_RECORD_SIZE":
      return `Line ${line}: a row is longer than 64,000 characters; is a quote left open? Nothing was imported.`;
    default:
      return `Line ${line}: the file can't be read as CSV (${error.message}). Nothing was imported.`;
  }
}

function firstNonBlankLineAfter(text: string, after: number): number {
  const lines = text.split("\n");
  for (let i = after; i < lines.length; i++) if (lines[i]!.trim() !== "") return i + 1;
  return after + 1;
}

function countNewlines(value: string): number {
  let n = 0;
  for (const char of value) if (char === "\n") n++;
  return n;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}
