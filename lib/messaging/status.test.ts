import { describe, expect, it } from "vitest";
import { canAdvance, statusesBefore } from "./status";

describe("status order", () => {
  it.each([
    ["QUEUED", "SENDING", true],
    ["SENDING", "SENT", true],
    ["SENT", "DELIVERED", true],
    ["QUEUED", "DELIVERED", true],
    ["SENDING", "FAILED", true],
    ["SENT", "FAILED", true],
    ["DELIVERED", "FAILED", false],
    ["FAILED", "DELIVERED", false],
    ["DELIVERED", "SENT", false],
    ["SENT", "SENT", false],
    ["SENT", "SENDING", false],
  ] as const)("%s -> %s: %s", (from, to, allowed) => {
    expect(canAdvance(from, to)).toBe(allowed);
  });

  it("lists the statuses a report may move forward from", () => {
    expect(statusesBefore("SENT").sort()).toEqual(["QUEUED", "SENDING"]);
    expect(statusesBefore("DELIVERED").sort()).toEqual(["QUEUED", "SENDING", "SENT"]);
  });
});
