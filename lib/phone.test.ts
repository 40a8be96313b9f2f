import { describe, expect, it } from "vitest";
import { areaCodeOf, formatPhone, toE164 } from "./phone";

describe("toE164", () => {
  it.each([
    ["(202) 555-0123", "US", "+12025550123"],
    ["202.555.0123", "US", "+12025550123"],
    ["+44 20 7946 0958", "US", "+442079460958"],
    ["020 7946 0958", "GB", "+442079460958"],
    ["  +1 202 555 0123  ", "GB", "+12025550123"],
  ])("reads %s (default %s) as %s", (input, country, e164) => {
    expect(toE164(input, country)).toMatchObject({ ok: true, e164 });
  });

  it.each([
    ["", /No number/],
    ["call me", /letters/],
    ["12", /Not a (valid|phone)/],
    ["+1 202 555 01234567", /Not a (valid|phone)/],
    ["9".repeat(50), /Too long/],
  ])("refuses %j with a reason", (input, reason) => {
    const result = toE164(input, "US");
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });
});

describe("areaCodeOf and formatPhone", () => {
  it("finds NANP area codes only", () => {
    expect(areaCodeOf("+12125550100")).toBe("212");
    expect(areaCodeOf("+442079460958")).toBeUndefined();
  });

  it("formats for people", () => {
    expect(formatPhone("+12125550100")).toBe("(212) 555-0100");
    expect(formatPhone("+442079460958")).toBe("+44 20 7946 0958");
  });
});
