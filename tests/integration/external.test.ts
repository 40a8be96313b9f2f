import http from "node:http";
import type { AddressInfo } from "node:net";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db";
import { messages } from "@/db/schema/messages";
import { queueMessage } from "@/lib/messaging/send";
import { getVendorAccountView } from "@/lib/vendors/accounts";
import {
  eventsOf,
  expectInboundInConversation,
  orgWithVendorAccount,
  pipelineForFile,
  rowCounts,
  until,
  waitForOutput,
  waitForStatus,
  waitForWebhooksProcessed,
  type Pipeline,
  type VendorOrg,
} from "../helpers/sim-pipeline";

/**
 * The External (RapidPro) vendor end to end: the production build and a worker send through
 * the real adapter to a small HTTP gateway in this test, which answers as its settings expect
 * and calls us back at RapidPro's /c/ex/<token>/… URLs, as a gateway written for RapidPro would.
 */
const OUR = "+14155550100";
const REFUSED_TO = "+14155550199";

type GatewayRequest = { method: string; path: string; headers: http.IncomingHttpHeaders; body: string };

/** The gateway: takes every send with an id of its own, except to REFUSED_TO, where it is out of credit. */
class Gateway {
  url = "";
  requests: GatewayRequest[] = [];
  private server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      this.requests.push({ method: req.method ?? "", path: req.url ?? "", headers: req.headers, body });
      const refused = body.includes(JSON.stringify(REFUSED_TO));
      res.writeHead(200, { "content-type": refused ? "text/plain" : "application/json" });
      res.end(
        refused
          ? "FAILED: no credit left on this account"
          : JSON.stringify({ status: "ACCEPTED", id: `GW-${this.requests.length}` }),
      );
    });
  });

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  sendsTo(to: string): GatewayRequest[] {
    return this.requests.filter((r) => r.body.includes(JSON.stringify(to)));
  }
}

const gateway = new Gateway();
let p: Pipeline;
let org: VendorOrg;

beforeAll(() => gateway.start());
afterAll(() => gateway.stop());

pipelineForFile(async (started) => {
  p = started;
  org = await orgWithVendorAccount(
    "External",
    "external",
    {
      number: OUR,
      sendUrl: `${gateway.url}/send`,
      authorizationHeader: "Token gw-secret-token",
      responseContains: "ACCEPTED",
      vendorIdJsonPath: "$.id",
    },
    [OUR],
  );
});

/** Calls one of the account's webhooks as the gateway does. */
function callUs(
  path: string,
  init: { method?: string; form?: Record<string, string>; query?: Record<string, string> } = {},
): Promise<Response> {
  const query = init.query ? `?${new URLSearchParams(init.query)}` : "";
  return fetch(`${p.app.url}${path}${query}`, {
    method: init.method ?? "POST",
    headers: init.form ? { "content-type": "application/x-www-form-urlencoded" } : {},
    body: init.form ? new URLSearchParams(init.form).toString() : undefined,
  });
}

const exPath = (action: string) => `/c/ex/${org.account.webhookToken}/${action}`;

describe("the External vendor's URLs", () => {
  it("are RapidPro's /c/ex/<token>/<action> on the vendor page", async () => {
    const view = await getVendorAccountView(org.orgId, org.account.id);
    expect(view.webhookUrls.map((w) => new URL(w.url).pathname)).toEqual(["receive", "sent", "delivered", "failed"].map(exPath));
  });
});

describe("sending through an External gateway", () => {
  it("posts the seed's JSON to the send URL, and the gateway's delivered callback takes the message to DELIVERED", async () => {
    const to = "+14155550123";
    const body = 'Shift at 9 — reply "YES" & bring <ID>';
    const { message } = await queueMessage(org.orgId, { to, body });
    const sent = await waitForStatus(message.id, "SENT");

    const [send, ...more] = gateway.sendsTo(to);
    expect(more).toEqual([]);
    expect(send).toMatchObject({ method: "POST", path: "/send" });
    expect(send!.headers).toMatchObject({ "content-type": "application/json", authorization: "Token gw-secret-token" });
    expect(send!.body).toBe(
      `{ "id": "${message.id}", "text": ${JSON.stringify(body)}, "to": "${to}", "to_no_plus": "${to.slice(1)}", "from": "${OUR}", "from_no_plus": "${OUR.slice(1)}", "channel": "${org.account.id}" }`,
    );
    expect(sent.vendorMessageId).toMatch(/^GW-\d+$/);

    // RapidPro's callbacks name the message by the id we sent: sent at the generic URL, delivered at /c/ex.
    const sentAnswer = await callUs(`/api/webhooks/external/${org.account.webhookToken}/sent`, { form: { id: message.id } });
    expect(sentAnswer.status).toBe(200);
    const answer = await callUs(exPath("delivered"), { form: { id: message.id } });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ message: "Status Update Accepted" });

    const delivered = await waitForStatus(message.id, "DELIVERED");
    expect(delivered).toMatchObject({ vendorMessageId: sent.vendorMessageId, attempts: 1, errorCode: null });
    await waitForWebhooksProcessed(org.account.id, "sent", message.id, 1);
    await waitForWebhooksProcessed(org.account.id, "delivered", message.id, 1);
    // The two callbacks are processed by separate jobs, in either order.
    const history = (await eventsOf(message.id)).map((e) => `${e.status}:${e.vendorStatus}`);
    expect(history.slice(0, 2)).toEqual(["SENDING:null", "SENT:accepted"]);
    expect(history.slice(2).sort()).toEqual(["DELIVERED:delivered", "SENT:sent"]);
  });

  it("fails the message for good, in words, when the gateway's answer fails the response check", async () => {
    const { message } = await queueMessage(org.orgId, { to: REFUSED_TO, body: "Your code is 123456" });
    const failed = await waitForStatus(message.id, "FAILED");
    expect(gateway.sendsTo(REFUSED_TO)).toHaveLength(1);
    expect(failed).toMatchObject({
      attempts: 1,
      vendorMessageId: null,
      errorCode: "external-response-check",
      errorDescription: 'The gateway\'s answer does not contain "ACCEPTED" (HTTP 200: "FAILED: no credit left on this account").',
    });
  });
});

describe("receiving through an External gateway", () => {
  it("files the seed's form POST to /c/ex/<token>/receive in the conversation with the sender, at its date", async () => {
    const from = "+14155550142";
    const text = "Love is patient. Love is kind.";
    const answer = await callUs(exPath("receive"), { form: { from, text, date: "2012-04-23T18:25:43.511Z" } });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ message: "Message Accepted" });

    const stored = await inboundWithBody(text);
    await expectInboundInConversation(org, stored, { from, to: OUR, body: text });
    expect(stored.createdAt).toEqual(new Date("2012-04-23T18:25:43.511Z"));
  });

  it("takes a receive by GET, with courier's sender for from", async () => {
    const text = "Running late, there by 10";
    const answer = await callUs(exPath("receive"), { method: "GET", query: { sender: "+14155550143", text } });
    expect(answer.status).toBe(200);
    const stored = await inboundWithBody(text);
    expect(stored).toMatchObject({ fromE164: "+14155550143", toE164: OUR, direction: "INBOUND" });
  });

  it("answers a receive without from 400, naming from, and stores nothing", async () => {
    const before = await rowCounts(org.account.id);
    const answer = await callUs(exPath("receive"), { form: { text: "who am I?" } });
    expect(answer.status).toBe(400);
    expect(await answer.text()).toBe("Bad request: from: missing (the sender's phone number)");
    expect(await rowCounts(org.account.id)).toEqual(before);
    await waitForOutput(p.app.output, `webhook not understood for account ${org.account.id} (external/receive): from: missing`);
  });

  it("answers 404 for an action External does not have, and for another kind's token", async () => {
    expect((await callUs(exPath("stopped"), { form: { from: "+14155550142" } })).status).toBe(404);
    expect((await callUs(`/c/ex/wh_not_a_real_token_123/receive`, { form: { from: "+14155550142", text: "x" } })).status).toBe(
      404,
    );
  });
});

function inboundWithBody(body: string) {
  return until(async () => {
    const [row] = await db
      .select()
      .from(messages)
      .where(and(eq(messages.vendorAccountId, org.account.id), eq(messages.direction, "INBOUND"), eq(messages.body, body)));
    return row;
  }, `the inbound text “${body}”`);
}
