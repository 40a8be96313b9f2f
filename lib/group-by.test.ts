import { describe, expect, it } from "vitest";
import { groupBy } from "./group-by";

describe("groupBy", () => {
  it("keeps each group's rows, and the groups, in the order they came", () => {
    const groups = groupBy(["apple", "bean", "avocado", "beet", "cherry"], (w) => w[0]);
    expect([...groups]).toEqual([
      ["a", ["apple", "avocado"]],
      ["b", ["bean", "beet"]],
      ["c", ["cherry"]],
    ]);
  });
});
