import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseDefinition } from "./definition";

const example = (name: string) => readFileSync(path.join(import.meta.dirname, "examples", name), "utf8");
const seed = () => JSON.parse(example("ringotel-seed.json")) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- edited freely per case

function errorsOf(definition: unknown): string[] {
  const parsed = parseDefinition(JSON.stringify(definition));
  return parsed.ok ? [] : parsed.errors;
}

describe("template definitions", () => {
  it("loads the seed's example and the Plivo example unchanged", () => {
    for (const name of ["ringotel-seed.json", "plivo.json"]) {
      const parsed = parseDefinition(example(name));
      expect(parsed.ok ? [] : parsed.errors, name).toEqual([]);
    }
  });

  it("accepts the seed's Basic and OAuth2 sections as written", () => {
    const basic = {
      ...seed(),
      properties: ["Username", "Password", "Server", "Domain"],
      auth: { type: "Basic", username: "$Username$", password: "$Password$" },
    };
    expect(errorsOf(basic)).toEqual([]);
    const { auth: _auth, ...rest } = seed();
    const oauth = {
      ...rest,
      properties: ["Client ID", "Client Secret", "Server", "Domain"],
      OAuth2: {
        client_id: "$Client ID$",
        client_secret: "$Client Secret$",
        flow_type: { default: "0" },
        authorization_endpoint: "https://login.example.com/services/oauth2/authorize",
        authorization_parameters: { default: "scope=api%20refresh_token" },
        token_endpoint: "https://login.example.com/services/oauth2/token",
        token_parameters: { content_type: "application/x-www-form-urlencoded;charset=utf-8" },
        request_auth: "Bearer",
      },
    };
    expect(errorsOf(oauth)).toEqual([]);
  });

  it("names a missing field by its JSON path", () => {
    const definition = seed();
    delete definition.API.SendMessage.request_url;
    expect(errorsOf(definition)).toEqual(["API.SendMessage.request_url: Required"]);
  });

  it("refuses an unknown placeholder, naming the path and the placeholder", () => {
    const definition = seed();
    definition.API.SendMessage.request_parameters.content = "$contnt$";
    definition.Subscribe.request_parameters["post-url"] = "$webhook$";
    const errors = errorsOf(definition);
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/^API\.SendMessage\.request_parameters\.content: unknown placeholder \$contnt\$/);
    expect(errors[1]).toMatch(/^Subscribe\.request_parameters\["post-url"\]: unknown placeholder \$webhook\$/);
  });

  it("refuses $webhook_url$ outside Subscribe's and the sends' places, and event placeholders that are not whole values", () => {
    const definition = seed();
    definition.auth.token = "$webhook_url$";
    definition.Webhook[0].request_parameters.params.content = "text: $content$";
    expect(errorsOf(definition)).toEqual([
      expect.stringMatching(/^auth\.token: unknown placeholder \$webhook_url\$/),
      expect.stringMatching(/^Webhook\[0\]\.request_parameters\.params\.content: A placeholder must be the whole value/),
      "Webhook[0].request_parameters: A message event needs $content$",
    ]);
  });

  it("reports wrong types, unknown keys, duplicate event keys and bad JSON in words", () => {
    const definition = seed();
    definition.API.SendMessage.request_content_type = "text/xml";
    definition.API.SendMessage.extra = true;
    definition.Webhook[1].event_key = "message";
    definition.auth.type = "Digest";
    expect(errorsOf(definition)).toEqual([
      "auth.type: Use Basic or Bearer",
      "API.SendMessage.request_content_type: Use application/json or application/x-www-form-urlencoded",
      'API.SendMessage: Unrecognized key: "extra"',
    ]);
    const dup = seed();
    dup.Webhook[1].event_key = "message";
    expect(errorsOf(dup)).toEqual(['Webhook[1].event_key: "message" is used by another model too']);
    const parsed = parseDefinition("{ nope");
    expect(parsed.ok ? [] : parsed.errors[0]).toMatch(/^Not valid JSON/);
  });

  it("takes the Webhook models as an object keyed by name too, with paths by name", () => {
    const definition = seed();
    definition.Webhook = { message: definition.Webhook[0], delivered: { ...definition.Webhook[2], event_type: "messageRead" } };
    expect(errorsOf(definition)).toEqual(["Webhook.delivered.event_type: Use one of: message, mms, messageDelivered"]);
  });
});
