import { describe, expect, it } from "vitest";
import { queueMessage } from "@/lib/messaging/send";
import type { RecordedRequest } from "@/sim/state";
import {
  basicAuthHeader,
  eventsOf,
  expectFailedAtFirstAttempt,
  expectImpostorTextRefused,
  expectInboundInConversation,
  expectOptedOut,
  expectRefusedAndLogged,
  expectRetriedThenFailed,
  findMessage,
  orgWithVendorAccount,
  pipelineForFile,
  sendUntilDelivered,
  simBaseUrls,
  waitForInbound,
  waitForStatus,
  webhookUrl,
  type Pipeline,
  type VendorOrg,
} from "../helpers/sim-pipeline";

/**
 * Bandwidth end to end: the production build, a worker process and the real Bandwidth
 * adapter against the simulator's Messaging API v2. Sends name the messaging application
 * and carry our id as the tag; the application's callbacks (JSON arrays, HTTP Basic with the
 * callback credentials) bring delivery events and inbound texts; wrong credentials are
 * refused and logged; outages are retried and Bandwidth's error codes end the message.
 */
const BANDWIDTH = {
  accountId: "9912345",
  username: "switchboard-api",
  password: "bw-api-password-7",
  applicationId: "4c1d0b7e-2f55-4a0e-9d55-0e0f2b7a1c11",
  callbackUsername: "switchboard-callbacks",
  callbackPassword: "cb-password-42!",
};
const OUR_NUMBER = "+19195550100";

let p: Pipeline;
let org: VendorOrg;

pipelineForFile(async (started) => {
  p = started;
  org = await orgWithVendorAccount("Bandwidth", "bandwidth", { ...BANDWIDTH, ...simBaseUrls(p.sim).bandwidth }, [OUR_NUMBER]);
  // The messaging application's callback URL is our callbacks webhook, behind the callback credentials.
  p.sim.control.addAccount({ vendor: "bandwidth", ...BANDWIDTH, callbackUrl: webhookUrl(p.app, org.account, "callbacks") });
});

/** Every message create the simulator received for one recipient. */
function sendsTo(to: string): RecordedRequest[] {
  return p.sim.control
    .requests({ vendor: "bandwidth" })
    .filter((r) => r.method === "POST" && r.path.endsWith("/messages") && r.body.includes(`"${to}"`));
}

describe("sending through Bandwidth", () => {
  it("posts the message with the application and our id as tag, and the delivery callback takes it to DELIVERED", async () => {
    const to = "+19195550123";
    const body = "Reminder: orientation is tomorrow at 10am.";
    const { message } = await queueMessage(org.orgId, { to, body });
    expect(message).toMatchObject({ status: "QUEUED", fromE164: OUR_NUMBER, vendorAccountId: org.account.id });

    const delivered = await waitForStatus(message.id, "DELIVERED");

    const sends = sendsTo(to);
    expect(sends).toHaveLength(1);
    const [send] = sends;
    expect(send!.path).toBe(`/api/v2/users/${BANDWIDTH.accountId}/messages`);
    expect(send!.headers.authorization).toBe(basicAuthHeader(BANDWIDTH.username, BANDWIDTH.password));
    expect(send!.headers["content-type"]).toMatch(/^application\/json/);
    expect(JSON.parse(send!.body)).toEqual({
      applicationId: BANDWIDTH.applicationId,
      to: [to],
      from: OUR_NUMBER,
      text: body,
      tag: message.id,
    });

    const [accepted] = p.sim.control.messages({ vendor: "bandwidth" }).filter((m) => m.to === to);
    expect(accepted!.id).toMatch(/^\d{13}[a-z0-9]{16}$/);
    expect(delivered).toMatchObject({ vendorMessageId: accepted!.id, attempts: 1, errorCode: null, errorDescription: null });
    expect(delivered.deliveredAt).toBeInstanceOf(Date);

    // One message-delivered event, with the application's callback credentials and our tag echoed.
    await p.sim.control.flush();
    const callbacks = p.sim.control
      .callbacks({ vendor: "bandwidth", kind: "status" })
      .filter((c) => c.body.includes(accepted!.id));
    expect(callbacks).toHaveLength(1);
    expect(callbacks[0]!.url).toBe(webhookUrl(p.app, org.account, "callbacks"));
    expect(callbacks[0]!.headers.authorization).toBe(basicAuthHeader(BANDWIDTH.callbackUsername, BANDWIDTH.callbackPassword));
    const [event] = JSON.parse(callbacks[0]!.body) as { type: string; message: { tag: string } }[];
    expect(event).toMatchObject({ type: "message-delivered", message: { tag: message.id } });
    expect(callbacks[0]!.response?.status).toBe(200);

    const history = (await eventsOf(message.id)).map((e) => `${e.status}:${e.vendorStatus}`);
    expect(history).toEqual(["SENDING:null", "SENT:accepted", "DELIVERED:message-delivered"]);
  });

  it("retries a Bandwidth outage (503) with backoff, then marks the message FAILED with Bandwidth's words", async () => {
    const to = "+19195550170";
    p.sim.control.injectFault({ vendor: "bandwidth", operation: "send", status: 503, to, times: "always" });
    const { message } = await queueMessage(org.orgId, { to, body: "Roster for next week is up" });

    const attempts = await expectRetriedThenFailed(message.id, () => sendsTo(to), {
      code: "internal-server-error",
      description: "Bandwidth refused the message (503): internal-server-error: Simulated HTTP 503",
    });
    expect(attempts.every((r) => JSON.parse(r.body).tag === message.id)).toBe(true);
  });

  it("fails at the first attempt when Bandwidth reports the recipient opted out (4775), and opts the contact out", async () => {
    const to = "+19195550171";
    // Bandwidth accepts the message, then reports message-failed with the code.
    p.sim.control.injectFault({ vendor: "bandwidth", operation: "send", code: "4775", to });
    const { message } = await queueMessage(org.orgId, { to, body: "Are you still available on Friday?" });

    await expectFailedAtFirstAttempt(message.id, () => sendsTo(to), {
      code: "4775",
      description: "The recipient has opted out of messages from this sender.",
    });
    const history = (await eventsOf(message.id)).map((e) => `${e.status}:${e.vendorStatus}`);
    expect(history).toEqual(["SENDING:null", "SENT:accepted", "FAILED:message-failed"]);
    await expectOptedOut(org, to);
  });
});

describe("receiving through Bandwidth", () => {
  it("stores a message-received callback as an INBOUND message in the org's conversation with that contact", async () => {
    const from = "+19195550142";
    const body = "Can I swap my Tuesday shift?";
    const [answer] = await p.sim.control.inbound({
      vendor: "bandwidth",
      account: BANDWIDTH.accountId,
      from,
      to: OUR_NUMBER,
      body,
    });
    expect(answer!.url).toBe(webhookUrl(p.app, org.account, "callbacks"));
    expect(answer!.response?.status).toBe(200);
    const [event] = JSON.parse(answer!.body) as { type: string; message: { id: string } }[];
    expect(event!.type).toBe("message-received");

    const stored = await waitForInbound(org.account.id, event!.message.id);
    expect(stored).toMatchObject({ media: [] });
    await expectInboundInConversation(org, stored, { from, to: OUR_NUMBER, body });
  });
});

describe("forged Bandwidth callbacks", () => {
  it("answers wrong Basic credentials with 403, stores nothing, and logs the refusal", async () => {
    // Another Bandwidth account's application calling our URL with its own callback credentials.
    const impostor = { ...BANDWIDTH, accountId: "9900999", callbackPassword: "not-our-password" };
    p.sim.control.addAccount({ vendor: "bandwidth", ...impostor, callbackUrl: webhookUrl(p.app, org.account, "callbacks") });

    const wrongCredentials = "the Authorization header does not match the callback username and password";
    const answer = await expectImpostorTextRefused(p, org, "callbacks", wrongCredentials, {
      vendor: "bandwidth",
      account: impostor.accountId,
      from: "+19195550144",
    });
    expect(answer.notes).toEqual(["Bandwidth would retry: the hub answered 403"]);

    // A forged delivery failure for a real message, with no credentials at all.
    const sent = await sendUntilDelivered(p, org, { to: "+19195550145", body: "Meeting moved to 3pm" });
    const forged = [
      { type: "message-failed", errorCode: 4720, to: "+19195550145", message: { id: sent.vendorMessageId, tag: sent.id } },
    ];
    await expectRefusedAndLogged(p, org.account, "callbacks", "missing Authorization header", () =>
      fetch(webhookUrl(p.app, org.account, "callbacks"), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(forged),
      }),
    );
    expect(await findMessage(sent.id)).toMatchObject({ status: "DELIVERED", errorCode: null });
  });
});
