import { describe, expect, it } from "vitest";
import { countSegments } from "./segments";

describe("countSegments", () => {
  it.each([
    ["empty", "", "GSM7", 0, 0],
    ["160 GSM characters: one part", "a".repeat(160), "GSM7", 160, 1],
    ["161 GSM characters: two parts", "a".repeat(161), "GSM7", 161, 2],
    ["306 GSM characters: two parts of 153", "a".repeat(306), "GSM7", 306, 2],
    ["307 GSM characters: three parts", "a".repeat(307), "GSM7", 307, 3],
    ["€ costs two septets: 80 of them fill one part", "€".repeat(80), "GSM7", 160, 1],
    ["159 plus one extension character overflows", `${"a".repeat(159)}^`, "GSM7", 161, 2],
    ["an escape pair is not split across parts", `${"a".repeat(152)}{${"a".repeat(10)}`, "GSM7", 164, 2],
    ["á and í are not GSM: UCS-2", "Café à Málaga? ¿Sí! ÄÖÜ", "UCS2", 23, 1],
    ["70 UCS-2 characters: one part", "ж".repeat(70), "UCS2", 70, 1],
    ["71 UCS-2 characters: two parts", "ж".repeat(71), "UCS2", 71, 2],
    ["134 UCS-2 characters: two parts of 67", "ж".repeat(134), "UCS2", 134, 2],
    ["an emoji is two UTF-16 units", "😀", "UCS2", 2, 1],
    ["35 emoji fill one part", "😀".repeat(35), "UCS2", 70, 1],
    ["a surrogate pair is not split across parts", `${"ж".repeat(66)}😀${"ж".repeat(5)}`, "UCS2", 73, 2],
    ["one emoji turns a GSM text into UCS-2", `Hello 👋 ${"a".repeat(60)}`, "UCS2", 69, 1],
  ])("%s", (_label, body, encoding, units, segments) => {
    const info = countSegments(body);
    expect(info.encoding).toBe(encoding);
    expect(info.units).toBe(units);
    expect(info.segments).toBe(segments);
  });

  it("keeps accented GSM letters in GSM-7, but not letters outside the alphabet", () => {
    expect(countSegments("éèùìòÇÅåÄÖÑÜäöñüàÉ").encoding).toBe("GSM7");
    expect(countSegments("á").encoding).toBe("UCS2");
    expect(countSegments("Ünïcode ç").nonGsmCharacters).toEqual(["ï", "ç"]);
  });

  it("reports the room left in the last part", () => {
    expect(countSegments("a".repeat(150)).remaining).toBe(10);
    expect(countSegments("a".repeat(160 + 3)).remaining).toBe(153 - 10);
  });
});
