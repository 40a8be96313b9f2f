import { describe, expect, it } from "vitest";
import { keywordOf } from "./keywords";

describe("keywordOf", () => {
  it.each([
    ["STOP", "opt-out"],
    ["stop", "opt-out"],
    [" Stop. ", "opt-out"],
    ["STOPALL", "opt-out"],
    ["unsubscribe!", "opt-out"],
    ["Cancel", "opt-out"],
    ["end", "opt-out"],
    ["QUIT", "opt-out"],
    ["START", "opt-in"],
    ["unstop", "opt-in"],
    ["help", "help"],
    ["HELP?", "help"],
    ["please stop texting me", null],
    ["stopping by later", null],
    ["", null],
    ["<b>STOP</b>", null],
  ] as const)("%j is %s", (body, expected) => {
    expect(keywordOf(body, {})).toBe(expected);
  });

  it("adds the org's own opt-out keywords", () => {
    expect(keywordOf("remove", { optOutKeywords: ["REMOVE"] })).toBe("opt-out");
    expect(keywordOf("remove", {})).toBeNull();
  });
});
