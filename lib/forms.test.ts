import { describe, expect, it } from "vitest";
import { z } from "zod";
import { parseInput } from "./forms";

describe("parseInput", () => {
  const schema = z.object({ name: z.string().min(1, "Enter a name"), note: z.string().default("") });

  it("answers the first message per field", () => {
    const form = new FormData();
    form.set("name", "");
    expect(parseInput(schema, form)).toMatchObject({
      ok: false,
      status: 422,
      error: "name: Enter a name",
      fieldErrors: { name: "Enter a name" },
    });
  });

  it("refuses a NUL character in any field before it can reach a row, naming the field", () => {
    const result = parseInput(schema, { name: "Ada", note: "a\u0000b" });
    expect(result).toMatchObject({ ok: false, status: 422, fieldErrors: { note: expect.stringContaining("NUL") } });
    expect(parseInput(schema, { name: "Ada", note: "a\\u0000b" })).toEqual({
      ok: true,
      data: { name: "Ada", note: "a\\u0000b" },
    });
  });
});
