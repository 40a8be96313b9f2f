import { describe, expect, it } from "vitest";
import { redactor } from "./http";

describe("redactor", () => {
  const redact = redactor(["AC-secret-token", "p@ss w/rd", "abc"]);

  it("hides secrets raw, URL-encoded and base64-encoded", () => {
    expect(redact("token=AC-secret-token")).toBe("token=[redacted]");
    expect(redact(`pw=${encodeURIComponent("p@ss w/rd")}`)).toBe("pw=[redacted]");
    expect(redact(`Basic ${Buffer.from("p@ss w/rd").toString("base64")}`)).toBe("Basic [redacted]");
  });

  it("leaves short values alone: a 3-character secret would redact ordinary text", () => {
    expect(redact("abcdef")).toBe("abcdef");
  });
});
