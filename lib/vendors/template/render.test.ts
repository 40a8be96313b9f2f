import { describe, expect, it } from "vitest";
import { formEncode, readResponseMap, renderRequest, renderUrl, withOrigin } from "./render";

const values = {
  to: "+1 555/0006&x=1",
  content: 'Say "hi"\nthen & go',
  Server: "api.example.com:8443",
  "API key": "k-1\r\nX-Evil: 1",
  Base: "https://gw.example.com/v2",
};

describe("placeholder substitution", () => {
  it("puts a host or base in as typed and percent-encodes data in the path and query", () => {
    expect(renderUrl("https://$Server$/send/$to$?text=$content$", values)).toBe(
      "https://api.example.com:8443/send/%2B1%20555%2F0006%26x%3D1?text=Say%20%22hi%22%0Athen%20%26%20go",
    );
    expect(renderUrl("$Base$/messages", values)).toBe("https://gw.example.com/v2/messages");
    expect(withOrigin("https://api.example.com/webhook?a=1", "http://127.0.0.1:9")).toBe("http://127.0.0.1:9/webhook?a=1");
  });

  it("escapes values as JSON strings in a JSON body, whole values and embedded ones", () => {
    const rendered = renderRequest(
      {
        request_method: "POST",
        request_url: "https://x.test/m",
        request_content_type: "application/json",
        request_parameters: { to: "$to$", text: "$content$", note: "to $to$", n: 3, list: ["$to$"] },
      },
      values,
    );
    expect(JSON.parse(rendered.body!)).toEqual({
      to: values.to,
      text: values.content,
      note: `to ${values.to}`,
      n: 3,
      list: [values.to],
    });
    expect(rendered.headers["content-type"]).toBe("application/json");
  });

  it("form-encodes a form body, nested keys as params[key], and keeps line breaks out of headers", () => {
    const rendered = renderRequest(
      {
        request_method: "POST",
        request_url: "https://x.test/m",
        request_content_type: "application/x-www-form-urlencoded",
        request_headers: { "X-Api-Key": "$API key$" },
        request_parameters: { To: "$to$", params: { Body: "$content$" } },
      },
      values,
    );
    expect(rendered.body).toBe("To=%2B1+555%2F0006%26x%3D1&params%5BBody%5D=Say+%22hi%22%0Athen+%26+go");
    expect(new URLSearchParams(rendered.body).get("params[Body]")).toBe(values.content);
    expect(rendered.headers["X-Api-Key"]).toBe("k-1 X-Evil: 1");
  });

  it("puts a GET's parameters in the query", () => {
    const rendered = renderRequest(
      {
        request_method: "GET",
        request_url: "https://x.test/send?v=1",
        request_content_type: "application/json",
        request_parameters: { to: "$to$" },
      },
      values,
    );
    expect(rendered).toEqual({ method: "GET", url: "https://x.test/send?v=1&to=%2B1+555%2F0006%26x%3D1", headers: {} });
    expect(formEncode({ a: [1, 2] })).toBe("a%5B%5D=1&a%5B%5D=2");
  });
});

describe("response_map", () => {
  it("reads $messageid$ where the map puts it, through objects and arrays", () => {
    expect(readResponseMap({ data: { id: "$messageid$" } }, { data: { id: "9612c4e2" } })).toBe("9612c4e2");
    expect(readResponseMap({ message_uuid: ["$messageid$"] }, { message_uuid: ["u-1", "u-2"] })).toBe("u-1");
    expect(readResponseMap({ data: { id: "$messageid$" } }, { data: { id: 42 } })).toBe("42");
    expect(readResponseMap({ data: { id: "$messageid$" } }, { error: "nope" })).toBeUndefined();
  });
});
