import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp, type RunningApp } from "../helpers/app";
import { listActions } from "../helpers/http-session";

/** Requests no browser sends: each gets a clear 4xx, never a 500. */
let app: RunningApp;
beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app?.stop();
});

const signUp = () => listActions().get("lib/actions/auth.ts#signUpAction")!;

describe("malformed requests", () => {
  it.each(["/%ZZ", "/demo/%E0%A4%A", "/invite/%C0"])("answers 400 to the malformed path %s", async (path) => {
    const response = await fetch(`${app.url}${path}`);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: "bad_request" } });
  });

  // Vendors and API clients call these: a broken path must be their mistake (4xx), never a retryable 500.
  it.each([
    "/api/webhooks/twilio/%ZZ/inbound",
    "/api/webhooks/%E0%A4%A/x/y",
    "/c/ex/%C0/receive",
    "/api/v1/messages/%ZZ",
    "/api/webhooks/smssync/%ZZ/sync",
    "/api/orgs/%ZZ/conversations",
  ])("answers 400 to the malformed webhook or API path %s", async (path) => {
    const response = await fetch(`${app.url}${path}`, { method: "POST", body: "a=b" });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: "bad_request" } });
  });

  it.each([
    ["text/plain;charset=UTF-8", "{not json"],
    ["multipart/form-data; boundary=xx", "garbage"],
  ])("answers 400 to an action body of %s that does not parse", async (contentType, body) => {
    const response = await fetch(`${app.url}/signup`, {
      method: "POST",
      headers: { "next-action": signUp(), "content-type": contentType },
      body,
    });
    expect(response.status).toBe(400);
  });

  // The pages' JSON routes skip the proxy (proxy.ts): an action header there is not an action.
  it("answers 4xx to an action posted to a JSON route", async () => {
    const response = await fetch(`${app.url}/api/orgs/some-org/conversations`, {
      method: "POST",
      headers: { "next-action": signUp(), "content-type": "text/plain;charset=UTF-8" },
      body: "{not json",
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
  });

  it("answers 413 to an action body over the size limit", async () => {
    const body = JSON.stringify([null, { name: "x".repeat(7 * 1024 * 1024) }]);
    const response = await fetch(`${app.url}/signup`, {
      method: "POST",
      headers: { "next-action": signUp(), "content-type": "text/plain;charset=UTF-8" },
      body,
    });
    expect(response.status).toBe(413);
  });

  it("answers 4xx to an unknown action id and garbage sign-in posts", async () => {
    const unknown = await fetch(`${app.url}/login`, {
      method: "POST",
      headers: { "next-action": "deadbeef", "content-type": "text/plain" },
      body: "[1]",
    });
    expect(unknown.status).toBe(400);
    const credentials = await fetch(`${app.url}/api/auth/callback/credentials`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{{{",
      redirect: "manual",
    });
    expect(credentials.status).toBeGreaterThanOrEqual(300);
    expect(credentials.status).toBeLessThan(500);
  });

  it("answers wrongly typed action input with field errors", async () => {
    const response = await fetch(`${app.url}/signup`, {
      method: "POST",
      headers: { "next-action": signUp(), "content-type": "text/plain;charset=UTF-8", accept: "text/x-component" },
      body: JSON.stringify([null, { name: 5, email: ["a"], password: { x: 1 } }]),
    });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toContain('"status":422');
    expect(text).toContain('"email":"Invalid input: expected string, received array"');
  });

  it("renders a 404 page for unknown pages and invitation links", async () => {
    expect((await fetch(`${app.url}/a/b/c/d`)).status).toBe(404);
    const invite = await fetch(`${app.url}/invite/inv_${"a".repeat(300)}`);
    expect(invite.status).toBe(200);
    expect(await invite.text()).toContain("not valid");
  });
});
