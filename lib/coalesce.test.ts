import { describe, expect, it } from "vitest";
import { coalesce } from "./coalesce";

describe("coalesce", () => {
  it("hands items that arrive together to one flush, and each caller its own answer", async () => {
    const flushes: number[][] = [];
    const double = coalesce<number, number>(
      async (items) => {
        flushes.push(items);
        return items.map((n) => n * 2);
      },
      { windowMs: 5, max: 100 },
    );
    expect(await Promise.all([double(1), double(2), double(3)])).toEqual([2, 4, 6]);
    expect(flushes).toEqual([[1, 2, 3]]);
    expect(await double(4)).toBe(8);
    expect(flushes).toHaveLength(2);
  });

  it("flushes as soon as `max` items wait, without waiting out the window", async () => {
    const flushes: string[][] = [];
    const take = coalesce<string>(async (items) => void flushes.push(items), { windowMs: 60_000, max: 2 });
    await Promise.all([take("a"), take("b")]);
    expect(flushes).toEqual([["a", "b"]]);
  });

  it("rejects every caller of a flush that failed, and serves the next ones afresh", async () => {
    let fail = true;
    const call = coalesce<number, number>(
      async (items) => {
        if (fail) throw new Error("database went away");
        return items;
      },
      { windowMs: 1, max: 10 },
    );
    const answers = await Promise.allSettled([call(1), call(2)]);
    expect(answers.map((a) => a.status)).toEqual(["rejected", "rejected"]);
    fail = false;
    expect(await call(3)).toBe(3);
  });
});
