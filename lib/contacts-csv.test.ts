import { describe, expect, it } from "vitest";
import { columnLetter, detectDelimiter, MAX_CSV_BYTES, planImport, previewCsv, readCsv, type CsvMapping } from "./contacts-csv";

function plan(text: string, mapping?: CsvMapping, country = "US") {
  const result = planImport(text, country, mapping);
  if (!result.ok) throw new Error(`expected a plan, got: ${result.error}`);
  return result.plan;
}

function failure(result: { ok: true } | { ok: false; error: string }): string {
  if (result.ok) throw new Error("expected a failure");
  return result.error;
}

describe("reading the file", () => {
  it("detects comma, semicolon and tab delimiters from the first line, ignoring quoted text", () => {
    expect(detectDelimiter("first,last,phone\n")).toBe(",");
    expect(detectDelimiter("first;last;phone\nA;B;1\n")).toBe(";");
    expect(detectDelimiter("first\tlast\tphone\n")).toBe("\t");
    expect(detectDelimiter('"a;b;c",phone\n')).toBe(",");
    expect(detectDelimiter("phone\n2025550123\n")).toBe(",");
  });

  it("reads semicolon and tab files as well as comma ones", () => {
    for (const text of ["first;phone\nAda;2025550100\n", "first\tphone\nAda\t2025550100\n"]) {
      expect(plan(text).rows).toEqual([{ line: 2, e164: "+12025550100", firstName: "Ada", lastName: "", customFields: {} }]);
    }
  });

  it("strips a byte-order mark so the first header is still recognised", () => {
    const result = previewCsv("\uFEFFphone,first_name\n2025550100,Ada\n", "US");
    expect(result.ok && result.preview.columns[0]!.label).toBe("phone");
    expect(plan("\uFEFFphone,first_name\n2025550100,Ada\n").rows[0]).toMatchObject({ e164: "+12025550100", firstName: "Ada" });
  });

  it("numbers rows by the line they start on, counting multi-line quoted cells and blank lines", () => {
    const text = 'name,phone,notes\nAda,2025550100,"line one\nline two\nline three"\n\nGrace,2025550101,ok\n';
    const read = readCsv(text);
    expect(read.ok && read.table.records.map((r) => [r.line, r.endLine])).toEqual([
      [1, 1],
      [2, 4],
      [6, 6],
    ]);
  });

  it("counts Windows line endings once, inside quoted cells too", () => {
    const text = 'name,phone,notes\r\nAda,2025550100,"one\r\ntwo"\r\nBad,12,x\r\n';
    expect(plan(text).bad).toEqual([{ line: 4, endLine: 4, reason: "phone: Not a valid number for US", value: "12" }]);
  });

  it("refuses an empty file and a header with no rows", () => {
    expect(failure(readCsv(""))).toMatch(/empty/);
    expect(failure(readCsv(" \n\n"))).toMatch(/empty/);
    expect(failure(planImport("first,phone\n", "US"))).toMatch(/header row but no contacts/);
    expect(failure(previewCsv("first,phone\n\n", "US"))).toMatch(/header row but no contacts/);
  });

  it("names the line where an unclosed quote opens, and reads nothing", () => {
    const text = 'first,phone\nAda,2025550100\n"Grace,2025550101\nLinus,2025550102\n';
    const message = failure(planImport(text, "US"));
    expect(message).toMatch(/^Line 3: a quoted cell starts on this line and its closing quote \("\) is missing/);
    expect(message).toMatch(/Nothing was imported/);
  });

  it("keeps stray quotes as text rather than refusing the file", () => {
    expect(plan('first,phone\nBob "The Builder",2025550100\n"Gr"ace,2025550101\n').rows.map((r) => r.firstName)).toEqual([
      'Bob "The Builder"',
      '"Gr"ace',
    ]);
  });

  it("refuses a file over the size limit with its size", () => {
    const big = "phone\n" + "2025550100\n".repeat(Math.ceil(MAX_CSV_BYTES / 11) + 1);
    expect(failure(planImport(big, "US"))).toMatch(/^The file is 5\.0 MB; the limit is 5\.0 MB/);
  });

  it("names columns by spreadsheet letters", () => {
    expect([0, 1, 25, 26, 27, 701, 702].map(columnLetter)).toEqual(["A", "B", "Z", "AA", "AB", "ZZ", "AAA"]);
  });
});

describe("header detection and column mapping", () => {
  it("recognises a header row and guesses phone, names and custom fields from it", () => {
    const result = previewCsv("First Name,Surname,Mobile,Ward,Email\nAda,Lovelace,(202) 555-0100,3,ada@example.org\n", "US");
    if (!result.ok) throw new Error(result.error);
    expect(result.preview).toMatchObject({
      delimiter: ",",
      hasHeader: true,
      rowCount: 1,
      mapping: { hasHeader: true, phone: 2, firstName: 0, lastName: 1, custom: [3, 4] },
    });
    expect(result.preview.columns.map((c) => c.label)).toEqual(["First Name", "Surname", "Mobile", "Ward", "Email"]);
    expect(result.preview.columns[2]!.samples).toEqual(["(202) 555-0100"]);
  });

  it("treats a first row holding a phone number as data, and finds the phone column by its values", () => {
    const result = previewCsv("Ada,2025550100,blue\nGrace,2025550101,green\n", "US");
    if (!result.ok) throw new Error(result.error);
    expect(result.preview).toMatchObject({
      hasHeader: false,
      rowCount: 2,
      mapping: { phone: 1, firstName: null, lastName: null, custom: [0, 2] },
    });
    expect(result.preview.columns.map((c) => c.label)).toEqual(["Column A", "Column B", "Column C"]);
    const rows = plan("Ada,2025550100,blue\n").rows;
    expect(rows[0]).toMatchObject({ line: 1, e164: "+12025550100", customFields: { "Column A": "Ada", "Column C": "blue" } });
  });

  it("lets the user say whether there is a header", () => {
    const result = previewCsv("a,b\n2025550100,x\n", "US", false);
    expect(result.ok && result.preview).toMatchObject({ hasHeader: false, rowCount: 2 });
  });

  it("labels blank and repeated headers so every custom field has its own key", () => {
    const result = previewCsv("phone,,Tag,tag\n2025550100,x,y,z\n", "US");
    expect(result.ok && result.preview.columns.map((c) => c.label)).toEqual(["phone", "Column B", "Tag", "tag (2)"]);
    expect(plan("phone,,Tag,tag\n2025550100,x,y,z\n").rows[0]!.customFields).toEqual({
      "Column B": "x",
      Tag: "y",
      "tag (2)": "z",
    });
  });

  it("uses the mapping it is given: names, chosen custom fields, other columns ignored", () => {
    const mapping: CsvMapping = { hasHeader: true, phone: 0, firstName: 2, lastName: null, custom: [3] };
    expect(plan("cell,ignored,given,team\n2025550100,zzz,Ada,Blue\n", mapping).rows).toEqual([
      { line: 2, e164: "+12025550100", firstName: "Ada", lastName: "", customFields: { team: "Blue" } },
    ]);
  });

  it("refuses a file without a phone column, and a mapping that doesn't fit the file", () => {
    expect(failure(planImport("first,last,email\nAda,Lovelace,ada@example.org\n", "US"))).toMatch(
      /No column of phone numbers was found/,
    );
    const preview = previewCsv("first,last,email\nAda,Lovelace,ada@example.org\n", "US");
    expect(preview.ok && preview.preview.mapping.phone).toBeNull();
    expect(
      failure(
        planImport("first,phone\nAda,2025550100\n", "US", {
          hasHeader: true,
          phone: 5,
          firstName: null,
          lastName: null,
          custom: [],
        }),
      ),
    ).toMatch(/doesn't have/);
    expect(
      failure(
        planImport("first,phone\nAda,2025550100\n", "US", {
          hasHeader: true,
          phone: 1,
          firstName: 1,
          lastName: null,
          custom: [],
        }),
      ),
    ).toMatch(/only one use/);
  });
});

describe("rows", () => {
  it("normalises numbers to E.164 with the org's default country", () => {
    const text = "phone\n(202) 555-0100\n+44 20 7946 0958\n020 7946 0959\n";
    expect(plan(text, undefined, "US").rows.map((r) => r.e164)).toEqual(["+12025550100", "+442079460958"]);
    expect(plan(text, undefined, "GB").rows.map((r) => r.e164)).toEqual(["+442079460958", "+442079460959"]);
  });

  it("reports every bad row with its line number and reason, after a multi-line cell", () => {
    const text = [
      "first,last,phone,notes",
      'Ada,Lovelace,2025550100,"Met at the fair;',
      'said ""call me"" in spring"',
      "Grace,Hopper,,x",
      "Alan,Turing,555-12,x",
      "Bad,Letters,call me,x",
      "Ragged,Row,2025550101",
      "Dup,Licate,(202) 555-0100,x",
      `${"N".repeat(101)},Long,2025550102,x`,
      "Linus,Torvalds,2025550103,x",
    ].join("\n");
    const result = plan(text);
    expect(result.bad.map((b) => [b.line, b.reason])).toEqual([
      [4, "phone: missing"],
      [5, "phone: Not a valid number for US"],
      [6, "phone: Contains letters"],
      [7, "has 3 columns; the header has 4"],
      [8, "duplicate of line 2"],
      [9, "first name: longer than 100 characters"],
    ]);
    expect(result.rows.map((r) => [r.line, r.e164])).toEqual([
      [2, "+12025550100"],
      [10, "+12025550103"],
    ]);
    expect(result.rows[0]!.customFields).toEqual({ notes: 'Met at the fair;\nsaid "call me" in spring' });
    expect(result.dataRows).toBe(8);
  });

  it("reports a bad multi-line row by the line it starts on, and gives both lines", () => {
    const result = plan('phone,notes\n12,"a\nb"\n');
    expect(result.bad).toEqual([{ line: 2, endLine: 3, reason: "phone: Not a valid number for US", value: "12" }]);
  });

  it("gives every reason a row has", () => {
    expect(plan(`first,last,phone\n${"a".repeat(101)},${"b".repeat(101)},call me\n`).bad[0]!.reason).toBe(
      "phone: Contains letters; first name: longer than 100 characters; last name: longer than 100 characters",
    );
  });

  it("skips blank rows silently and counts them", () => {
    const result = plan("phone,first\n2025550100,Ada\n,\n  ,  \n\n2025550101,Grace\n");
    expect(result.rows.map((r) => r.line)).toEqual([2, 6]);
    expect(result.bad).toEqual([]);
    expect(result.blankLines).toBe(2);
  });

  it("leaves blank custom cells out instead of storing empty strings", () => {
    expect(plan("phone,team,ward\n2025550100,,4\n").rows[0]!.customFields).toEqual({ ward: "4" });
  });
});
