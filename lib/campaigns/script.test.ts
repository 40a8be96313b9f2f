import { describe, expect, it } from "vitest";
import { previewScript, renderScript, scriptFields, validateScript } from "./script";

describe("campaign scripts", () => {
  it("fills built-in and custom fields, and leaves a missing value empty", () => {
    const script = "Hi {firstName} {lastName}, it's {texterName}. Your shift: {Shift Time}{missing}";
    expect(renderScript(script, { firstName: "Ana", lastName: "Lee", texterName: "Sam", fields: { "Shift Time": "9am" } })).toBe(
      "Hi Ana Lee, it's Sam. Your shift: 9am",
    );
  });

  it("lists each field once, in order of use", () => {
    expect(scriptFields("{a} {b} {a} { c }")).toEqual(["a", "b", "c"]);
  });

  it("names an unknown field, suggesting the close one", () => {
    expect(validateScript("Hi {firstname}", [])).toMatchObject({
      ok: false,
      field: "firstname",
      error: expect.stringContaining("Did you mean {firstName}?"),
    });
    const unknown = validateScript("Hi {shift}", ["zone"]);
    expect(unknown).toMatchObject({ ok: false, field: "shift" });
    expect(!unknown.ok && unknown.error).toContain("{shift}");
    expect(!unknown.ok && unknown.error).toContain("{zone}");
  });

  it("accepts custom fields and refuses an empty script", () => {
    expect(validateScript("Hi {firstName}, see you in {zone}", ["zone"])).toEqual({ ok: true, fields: ["firstName", "zone"] });
    expect(validateScript("   ", [])).toMatchObject({ ok: false });
  });

  it("previews with sample values and counts segments", () => {
    const preview = previewScript("Hi {firstName}! {zone}", ["zone"]);
    expect(preview.text).toBe("Hi Alex! [zone]");
    expect(preview.segments).toMatchObject({ encoding: "GSM7", segments: 1 });
    expect(previewScript("x".repeat(161), []).segments.segments).toBe(2);
    expect(previewScript("Hi {firstName} 😀", []).segments.encoding).toBe("UCS2");
  });
});
