import { readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db";
import { messages } from "@/db/schema/messages";
import { vendorAccounts } from "@/db/schema/vendor-accounts";
import { decryptSecret } from "@/lib/crypto/secrets";
import { queueMessage } from "@/lib/messaging/send";
import { addNumber } from "@/lib/numbers";
import { saveVendorAccount, setDefaultVendorAccount } from "@/lib/vendors/accounts";
import { freePort, startApp, startWorker, type RunningApp, type RunningWorker } from "../helpers/app";
import { ownerWithOrg, PASSWORD } from "../helpers/fixtures";
import { HttpSession } from "../helpers/http-session";
import { PIPELINE_WORKER_ENV, until, waitForStatus } from "../helpers/sim-pipeline";

/**
 * The template vendor end to end: the seed's definition, unchanged, saved through the same
 * code as the Vendors page, against a node:http server playing the vendor (the account's
 * "Send requests to" setting points the definition's hosts at it). Enabling subscribes,
 * the worker sends the substituted request, the vendor's webhook events come back as a
 * delivery report and an inbound text; and the OAuth2 web server flow connects and refreshes.
 */
const SEED = readFileSync(path.resolve("lib/vendors/template/examples/ringotel-seed.json"), "utf8");
const OUR = "+61491570157";

type Seen = { method: string; path: string; headers: http.IncomingHttpHeaders; body: string };
let vendor: { url: string; seen: Seen[]; server: http.Server };
let app: RunningApp;
let worker: RunningWorker;
let publicUrl: string;
let ids = 0;

beforeAll(async () => {
  vendor = await startVendor();
  const port = await freePort();
  publicUrl = `http://127.0.0.1:${port}`;
  [app, worker] = await Promise.all([
    startApp({ PUBLIC_URL: publicUrl }, { port }),
    startWorker({ PUBLIC_URL: publicUrl, ...PIPELINE_WORKER_ENV }),
  ]);
});

afterAll(async () => {
  await Promise.all([worker?.stop(), app?.stop()]);
  await new Promise((resolve) => vendor?.server.close(resolve));
});

describe("template vendor: the seed's definition", () => {
  let org: Awaited<ReturnType<typeof ownerWithOrg>>;
  let accountId: string;
  const actor = () => ({ userId: org.user.id, label: "test" });

  it("saves the definition unchanged, with the secret property encrypted and the others as settings", async () => {
    org = await ownerWithOrg("Template");
    const account = await saveVendorAccount(org.org.id, actor(), {
      kind: "template",
      name: "Ringotel-style gateway",
      values: {
        definition: SEED,
        originOverride: vendor.url,
        "property:API key": "rk_live_secret_42",
        "property:Server": "ns.example.com",
        "property:Domain": "acme.example",
      },
    });
    accountId = account.id;
    const [row] = await db.select().from(vendorAccounts).where(eq(vendorAccounts.id, accountId));
    expect(row!.config).toEqual({
      definition: SEED.trim(),
      originOverride: vendor.url,
      "property:Server": "ns.example.com",
      "property:Domain": "acme.example",
    });
    expect(Object.keys(row!.secrets)).toEqual(["property:API key"]);
    expect(row!.secrets["property:API key"]).toMatch(/^sb1\./);
    expect(JSON.stringify(row)).not.toContain("rk_live_secret_42");
    expect(decryptSecret(row!.secrets["property:API key"]!, { orgId: org.org.id, accountId, field: "property:API key" })).toBe(
      "rk_live_secret_42",
    );
    // Subscribing is what enabling does, so the account waits for it.
    expect(row!.enabled).toBe(false);

    // A blank secret keeps the stored one, exactly as for other vendors.
    await saveVendorAccount(org.org.id, actor(), {
      id: accountId,
      kind: "template",
      name: "Ringotel-style gateway",
      values: {
        definition: SEED,
        originOverride: vendor.url,
        "property:API key": "",
        "property:Server": "ns.example.com",
        "property:Domain": "acme.example",
      },
    });
    const [again] = await db.select().from(vendorAccounts).where(eq(vendorAccounts.id, accountId));
    expect(decryptSecret(again!.secrets["property:API key"]!, { orgId: org.org.id, accountId, field: "property:API key" })).toBe(
      "rk_live_secret_42",
    );
  });

  it("refuses a definition with an unknown placeholder, naming its path", async () => {
    const broken = SEED.replace('"$content$"', '"$text$"');
    await expect(
      saveVendorAccount(org.org.id, actor(), { kind: "template", name: "Broken", values: { definition: broken } }),
    ).rejects.toThrow(
      /Integration definition \(JSON\): API\.SendMessage\.request_parameters\.content: unknown placeholder \$text\$/,
    );
  });

  it("calls Subscribe with our webhook URL when the account is enabled", async () => {
    const before = vendor.seen.length;
    await enableThroughApp(org.user.email, org.org.slug, accountId);
    const subscribe = vendor.seen.slice(before).find((r) => r.path === "/ns-api/v2/subscriptions");
    const [row] = await db.select().from(vendorAccounts).where(eq(vendorAccounts.id, accountId));
    expect(row!.enabled).toBe(true);
    expect(subscribe?.headers.authorization).toBe("Bearer rk_live_secret_42");
    expect(JSON.parse(subscribe!.body)).toEqual({
      domain: "acme.example",
      user: "*",
      model: "message",
      "post-url": `${publicUrl}/api/webhooks/template/${row!.webhookToken}/events`,
    });
  });

  it("sends through the worker with the placeholders filled in, and is DELIVERED by the vendor's delivered event", async () => {
    await setDefaultVendorAccount(org.org.id, accountId, actor());
    await addNumber(org.org.id, actor(), { vendorAccountId: accountId, e164: OUR });
    const { message } = await queueMessage(org.org.id, { to: "+61491570110", body: 'Shift at 9 — "bring ID" & badge' });
    const sent = await waitForStatus(message.id, "SENT");
    const request = vendor.seen.find((r) => r.path === "/webhook" && r.body.includes("bring ID"));
    expect(request?.headers.authorization).toBe("Bearer rk_live_secret_42");
    expect(JSON.parse(request!.body)).toEqual({
      from: OUR,
      to: "+61491570110",
      extension: "",
      domain: new URL(publicUrl).host,
      content: 'Shift at 9 — "bring ID" & badge',
    });
    expect(sent.vendorMessageId).toMatch(/^tpl-\d+$/);

    const delivered = await postEvent({ method: "delivered", params: { messageid: sent.vendorMessageId } });
    expect(delivered.status).toBe(200);
    await waitForStatus(message.id, "DELIVERED");
  });

  it("files the vendor's message event as an inbound text in a conversation", async () => {
    const response = await postEvent({
      method: "message",
      params: { from: "+61491570111", to: OUR, content: "YES, I'll take it" },
    });
    expect(response.status).toBe(200);
    const inbound = await until(async () => {
      const [row] = await db
        .select()
        .from(messages)
        .where(and(eq(messages.vendorAccountId, accountId), eq(messages.direction, "INBOUND")));
      return row;
    }, "the inbound text");
    expect(inbound).toMatchObject({
      orgId: org.org.id,
      status: "RECEIVED",
      body: "YES, I'll take it",
      fromE164: "+61491570111",
      toE164: OUR,
    });
    expect(inbound.conversationId).toBeTruthy();
  });

  it("answers 400 to an event no model matches", async () => {
    expect((await postEvent({ method: "typing", params: {} })).status).toBe(400);
  });

  async function postEvent(body: unknown): Promise<Response> {
    const [row] = await db.select().from(vendorAccounts).where(eq(vendorAccounts.id, accountId));
    return fetch(`${app.url}/api/webhooks/template/${row!.webhookToken}/events`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  }
});

describe("template vendor: OAuth2 web server flow", () => {
  it("redirects to the authorize URL, exchanges the code for encrypted tokens, and refreshes an expired token before a send", async () => {
    const { user, org } = await ownerWithOrg("TemplateOAuth");
    const actor = { userId: user.id, label: "test" };
    const { auth: _bearer, ...rest } = JSON.parse(SEED) as Record<string, unknown>;
    const definition = JSON.stringify(
      {
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
      },
      null,
      2,
    );
    const account = await saveVendorAccount(org.id, actor, {
      kind: "template",
      name: "OAuth gateway",
      values: {
        definition,
        originOverride: vendor.url,
        "property:Client ID": "cid-1",
        "property:Client Secret": "csecret-1",
        "property:Server": "ns.example.com",
        "property:Domain": "acme",
      },
    });
    expect(Object.keys(account.secrets).sort()).toEqual(["property:Client Secret"]);

    const owner = await HttpSession.signIn(app.url, user.email, PASSWORD);
    const start = await owner.request(`/api/orgs/${org.slug}/vendors/${account.id}/oauth2/start`);
    expect(start.status).toBe(302);
    const authorize = new URL(start.headers.get("location")!);
    const callback = `${publicUrl}/api/orgs/${org.slug}/vendors/${account.id}/oauth2/callback`;
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${vendor.url}/services/oauth2/authorize`);
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      response_type: "code",
      client_id: "cid-1",
      redirect_uri: callback,
      scope: "api refresh_token",
    });
    const state = authorize.searchParams.get("state")!;

    // Another person's session cannot finish the flow with this state.
    const stranger = await ownerWithOrg("Stranger");
    const strangerSession = await HttpSession.signIn(app.url, stranger.user.email, PASSWORD);
    expect(
      (await strangerSession.request(`/api/orgs/${org.slug}/vendors/${account.id}/oauth2/callback?code=c&state=${state}`)).status,
    ).toBe(404);
    expect((await strangerSession.request(`/api/orgs/${stranger.org.slug}/vendors/${account.id}/oauth2/start`)).status).toBe(404);
    expect(
      (await owner.request(`/api/orgs/${org.slug}/vendors/${account.id}/oauth2/callback?code=c&state=${state}x`)).status,
    ).toBe(400);

    const back = await owner.request(
      `/api/orgs/${org.slug}/vendors/${account.id}/oauth2/callback?code=code-xyz&state=${encodeURIComponent(state)}`,
    );
    expect(back.status).toBe(303);
    expect(back.headers.get("location")).toBe(`${publicUrl}/${org.slug}/vendors/${account.id}?oauth2=connected`);
    const exchange = vendor.seen.find((r) => r.path === "/services/oauth2/token" && r.body.includes("authorization_code"));
    expect(Object.fromEntries(new URLSearchParams(exchange!.body))).toEqual({
      grant_type: "authorization_code",
      code: "code-xyz",
      redirect_uri: callback,
      client_id: "cid-1",
      client_secret: "csecret-1",
    });

    const [row] = await db.select().from(vendorAccounts).where(eq(vendorAccounts.id, account.id));
    const secret = (field: string) => decryptSecret(row!.secrets[field]!, { orgId: org.id, accountId: account.id, field });
    expect(row!.secrets.oauth2AccessToken).toMatch(/^sb1\./);
    expect(JSON.stringify(row)).not.toContain("at-code-xyz");
    expect(secret("oauth2AccessToken")).toBe("at-code-xyz");
    expect(secret("oauth2RefreshToken")).toBe("rt-1");

    // Saving the settings again keeps the tokens, whatever the form sends for them.
    await saveVendorAccount(org.id, actor, {
      id: account.id,
      kind: "template",
      name: "OAuth gateway",
      values: {
        definition,
        originOverride: vendor.url,
        "property:Client ID": "cid-1",
        "property:Server": "ns.example.com",
        "property:Domain": "acme",
        oauth2AccessToken: "forged",
      },
    });
    const [kept] = await db.select().from(vendorAccounts).where(eq(vendorAccounts.id, account.id));
    expect(
      decryptSecret(kept!.secrets.oauth2AccessToken!, { orgId: org.id, accountId: account.id, field: "oauth2AccessToken" }),
    ).toBe("at-code-xyz");

    // The vendor gave the token 30 s, inside the refresh margin: it is refreshed before the send.
    await enableThroughApp(user.email, org.slug, account.id);
    await setDefaultVendorAccount(org.id, account.id, actor);
    await addNumber(org.id, actor, { vendorAccountId: account.id, e164: "+61491570158" });
    const { message } = await queueMessage(org.id, { to: "+61491570120", body: "after refresh" });
    await waitForStatus(message.id, "SENT");
    const refresh = vendor.seen.find((r) => r.path === "/services/oauth2/token" && r.body.includes("refresh_token"));
    expect(Object.fromEntries(new URLSearchParams(refresh!.body))).toMatchObject({
      grant_type: "refresh_token",
      refresh_token: "rt-1",
      client_id: "cid-1",
      client_secret: "csecret-1",
    });
    const send = vendor.seen.find((r) => r.path === "/webhook" && r.body.includes("after refresh"));
    expect(send?.headers.authorization).toBe("Bearer at-refreshed");
    expect(vendor.seen.indexOf(refresh!)).toBeLessThan(vendor.seen.indexOf(send!));
  });
});

/** Enables the account as the owner's switch on the Vendors page does: the app subscribes, with its PUBLIC_URL. */
async function enableThroughApp(email: string, orgSlug: string, accountId: string): Promise<void> {
  const session = await HttpSession.signIn(app.url, email, PASSWORD);
  const { result } = await session.callAction(
    "lib/actions/vendors.ts#setVendorAccountEnabledAction",
    [orgSlug, null, { accountId, enabled: true }],
    `/${orgSlug}/vendors`,
  );
  expect(result).toMatchObject({ ok: true });
}

/** The vendor: answers sends with an id, subscriptions with 201, and OAuth2 token grants; Bearer tokens it never issued get 401. */
async function startVendor() {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      const entry = { method: req.method ?? "", path: req.url ?? "", headers: req.headers, body };
      seen.push(entry);
      const answer = (status: number, json: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(json));
      };
      if (entry.path === "/services/oauth2/token") {
        const form = new URLSearchParams(body);
        if (form.get("grant_type") === "authorization_code")
          return answer(200, {
            access_token: `at-${form.get("code")}`,
            refresh_token: "rt-1",
            expires_in: 30,
            token_type: "Bearer",
          });
        return answer(200, { access_token: "at-refreshed", expires_in: 3600, token_type: "Bearer" });
      }
      if (entry.path === "/ns-api/v2/subscriptions") return answer(201, { id: "sub-1" });
      if (entry.path === "/webhook") {
        const auth = req.headers.authorization ?? "";
        if (auth.startsWith("Bearer at-") && auth !== "Bearer at-refreshed") return answer(401, { error: "expired" });
        return answer(200, { data: { id: `tpl-${++ids}` } });
      }
      answer(404, { error: "not found" });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server };
}
