import { describe, expect, it } from "vitest";
import { nulInRequest, nulPath } from "./nul";

describe("nulPath", () => {
  it("names the first field holding a NUL, however deep", () => {
    expect(nulPath({ to: "+14155550150", body: "hi\u0000" })).toBe("body");
    expect(nulPath({ messages: [{ body: "ok" }, { body: "ok", from: "\u0000" }] })).toBe("messages.1.from");
    expect(nulPath([{ type: "inbound", media: ["a", "b\u0000"] }])).toBe("0.media.1");
    expect(nulPath("\u0000")).toBe("");
  });

  it("finds a NUL in a key, shown escaped", () => {
    expect(nulPath({ ["a\u0000b"]: 1 })).toBe("a\\u0000b");
  });

  it("passes everything else, including the text \\u0000 written out and dates", () => {
    expect(nulPath({ body: "\\u0000 and %00", n: 0, ok: true, none: null, at: new Date(0), list: [1, "two"] })).toBeNull();
    expect(nulPath(undefined)).toBeNull();
  });
});

describe("nulInRequest", () => {
  const request = (body: string, query: Record<string, string> = {}, type = "") => ({
    body,
    query,
    headers: (type ? { "content-type": type } : {}) as Record<string, string>,
  });

  it("names the vendor's own field, as its JSON or form body writes it", () => {
    expect(nulInRequest(request('{"id":"\\u0000","from":"x"}'))).toBe("id");
    expect(nulInRequest(request('{"message":{"text":"a\\u0000"}}'))).toBe("message.text");
    expect(nulInRequest(request("from=%2B14155550150&text=hi%00"))).toBe('"text"');
    expect(nulInRequest(request("text=hi%00", {}, "application/x-www-form-urlencoded; charset=utf-8"))).toBe('"text"');
    expect(nulInRequest(request("", { From: "\u0000" }))).toBe('the query parameter "From"');
    expect(nulInRequest(request("raw\u0000"))).toBe("the body");
  });

  it("passes bodies that only mention the escapes", () => {
    expect(nulInRequest(request('{"text":"write \\\\u0000 or %00"}'))).toBeNull();
    expect(nulInRequest(request("text=%2500"))).toBeNull();
    expect(nulInRequest(request("<xml>%00</xml>"))).toBeNull();
    expect(nulInRequest(request("<xml>%00</xml>", {}, "application/xml"))).toBeNull();
    expect(nulInRequest(request("text %00", {}, "text/plain"))).toBeNull();
  });
});
