import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { NAV_ITEMS } from "./nav";

// The role check lives in the route group's layout, so a page's folder decides who may see it.
describe("NAV_ITEMS", () => {
  it.each(NAV_ITEMS)("$segment lives in the route group of its least role ($minRole)", (item) => {
    const page = path.resolve("app/(app)/[org]", `(${item.minRole.toLowerCase()})`, item.segment, "page.tsx");
    expect(existsSync(page), page).toBe(true);
  });
});
