import { describe, expect, it } from "vitest";
import { fillTemplate, SAMPLE_VARIABLES, splitText, unknownPlaceholders } from "./template";

const vars = { ...SAMPLE_VARIABLES, text: "" };
const fill = (template: string, text: string, encoding: Parameters<typeof fillTemplate>[2]) =>
  fillTemplate(template, { ...vars, text }, encoding);

describe("external templates", () => {
  it("escapes a JSON variable as a whole string outside quotes, without quotes inside them", () => {
    expect(fill("[{{text}}]", 'a"b\\c\n\t', "json")).toBe('["a\\"b\\\\c\\n\\t"]');
    expect(fill('{"a": "x {{text}} y", "b": {{text}}}', '"', "json")).toBe('{"a": "x \\" y", "b": "\\""}');
    // An escaped quote does not end the string.
    expect(fill('{"a": "\\"{{text}}"}', "q", "json")).toBe('{"a": "\\"q"}');
  });

  it("escapes XML, and replaces what XML 1.0 cannot carry", () => {
    expect(fill("<t>{{text}}</t>", "a&b<c>'d\"\r\n\u0001", "xml")).toBe("<t>a&amp;b&lt;c&gt;&apos;d&quot;&#13;&#10;\ufffd</t>");
  });

  it("URL-encodes for URLs (%20) and forms (+)", () => {
    expect(fill("{{text}}", "a b&c/é", "url")).toBe("a%20b%26c%2F%C3%A9");
    expect(fill("{{text}}", "a b&c/é", "form")).toBe("a+b%26c%2F%C3%A9");
  });

  it("keeps a lone surrogate from breaking the request", () => {
    expect(fill("{{text}}", "x\ud83d", "url")).toBe("x%EF%BF%BD");
  });

  it("lists placeholders that are not variables", () => {
    expect(unknownPlaceholders("{{text}} {{ txt }} {{}} {text}")).toEqual(["{{ txt }}", "{{}}"]);
  });

  it("splits at spaces within the length, by characters not UTF-16 units, cutting a long word where it must", () => {
    expect(splitText("short", 60)).toEqual(["short"]);
    expect(splitText("aaa bbb ccc", undefined)).toEqual(["aaa bbb ccc"]);
    expect(splitText("aaa bbb ccc", 7)).toEqual(["aaa bbb", "ccc"]);
    expect(splitText("abcdefghij", 4)).toEqual(["abcd", "efgh", "ij"]);
    expect(splitText("👋👋👋👋 👋", 4)).toEqual(["👋👋👋👋", "👋"]);
  });
});
