import { describe, expect, it } from "vitest";
import { externalConfigSchema } from "./config";

const base = { number: "+250788123123", sendUrl: "https://gateway.example.com/send" };

/** The first problem the schema reports, as the settings form shows it: field and words. */
function problem(values: Record<string, unknown>): { field: string; message: string } | null {
  const parsed = externalConfigSchema.safeParse({ ...base, ...values });
  if (parsed.success) return null;
  const issue = parsed.error.issues[0]!;
  return { field: String(issue.path[0]), message: issue.message };
}

describe("external config", () => {
  it("defaults to a JSON POST expecting a 2xx", () => {
    expect(externalConfigSchema.parse(base)).toMatchObject({ method: "POST", contentType: "json", responseStatus: "2xx" });
  });

  it("refuses an unknown variable, naming the field and the placeholder", () => {
    expect(problem({ bodyTemplate: '{"text": {{txt}}}' })).toEqual({
      field: "bodyTemplate",
      message: expect.stringMatching(/^Unknown variable \{\{txt\}\} in the body template; the variables are \{\{id\}\}, /),
    });
    expect(problem({ sendUrl: "https://gw.example.com/send?to={{phone}}" })).toEqual({
      field: "sendUrl",
      message: expect.stringContaining("{{phone}} in the send URL"),
    });
    expect(problem({ headers: "X-To: {{ recipient }}" })).toEqual({
      field: "headers",
      message: expect.stringContaining("{{ recipient }} in the headers"),
    });
  });

  it("takes every variable, with spaces inside the braces", () => {
    const all = "{{id}}{{uuid}}{{text}}{{to}}{{to_no_plus}}{{from}}{{from_no_plus}}{{channel}}{{session_status}}{{ text }}";
    expect(
      problem({ contentType: "form", bodyTemplate: all, headers: `X-All: ${all}`, sendUrl: `https://gw.example.com/${all}` }),
    ).toBeNull();
  });

  it("refuses a JSON body that is not JSON once filled in, and takes variables inside strings", () => {
    expect(problem({ bodyTemplate: '{"text": {{text}}' })).toEqual({
      field: "bodyTemplate",
      message: "The body template is not JSON once its variables are filled in",
    });
    expect(problem({ bodyTemplate: '{"text": "{{text}}", "to": {{to}}, "n": 1}' })).toBeNull();
    expect(problem({ contentType: "form", bodyTemplate: "not json {{text}}" })).toBeNull();
  });

  it("refuses a body for GET", () => {
    expect(problem({ method: "GET", bodyTemplate: "text={{text}}" })).toMatchObject({
      field: "bodyTemplate",
      message: expect.stringMatching(/GET request has no body/),
    });
  });

  it("refuses a send URL that is not http(s)", () => {
    expect(problem({ sendUrl: "ftp://gw.example.com/{{to}}" })).toEqual({ field: "sendUrl", message: "Use an http(s) URL" });
    expect(problem({ sendUrl: "gateway/send" })).toEqual({
      field: "sendUrl",
      message: "Use a full URL, like https://gateway.example.com/send",
    });
  });

  it("reads headers as Name: value lines, keeping Authorization for the encrypted field", () => {
    expect(problem({ headers: "X-A: 1\nnot a header" })).toEqual({
      field: "headers",
      message: "Line 2 of the headers is not Name: value",
    });
    expect(problem({ headers: "authorization: Token abc" })).toMatchObject({
      field: "headers",
      message: expect.stringMatching(/stored encrypted/),
    });
  });

  it("takes status codes, classes and ranges", () => {
    expect(problem({ responseStatus: "200, 202-204, 3xx" })).toBeNull();
    expect(problem({ responseStatus: "ok" })).toMatchObject({ field: "responseStatus" });
    expect(problem({ responseStatus: "204-200" })).toMatchObject({ field: "responseStatus" });
  });

  it("takes JSON paths it can follow, and an expected value only with its path", () => {
    expect(problem({ responseJsonPath: "$.data['message-id'][0]", vendorIdJsonPath: "messages[0].id" })).toBeNull();
    expect(problem({ vendorIdJsonPath: "$..id" })).toEqual({
      field: "vendorIdJsonPath",
      message: "Use a path like $.status, $.data.id or $.messages[0].id",
    });
    expect(problem({ responseJsonValue: "ok" })).toEqual({
      field: "responseJsonValue",
      message: "Give the JSON path whose value this is",
    });
  });

  it("keeps the maximum length within RapidPro's bounds", () => {
    expect(externalConfigSchema.parse({ ...base, maxLength: "160" }).maxLength).toBe(160);
    expect(problem({ maxLength: 20 })).toMatchObject({ field: "maxLength" });
  });

  it("wants our number in E.164", () => {
    expect(problem({ number: "0788 123 123" })).toMatchObject({ field: "number", message: expect.stringMatching(/E\.164/) });
  });
});
