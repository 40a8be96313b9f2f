import { describe, expect, it } from "vitest";
import { queueMessage } from "@/lib/messaging/send";
import { EMPTY_TWIML } from "@/lib/vendors/twilio/webhooks";
import { twilioSignature } from "@/sim/signatures";
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
  waitForWebhooksProcessed,
  webhookUrl,
  type Pipeline,
  type VendorOrg,
} from "../helpers/sim-pipeline";

/**
 * Twilio end to end: the production build, a worker process and the real Twilio adapter
 * against the simulator's Twilio. Sends leave as Twilio's Messages.json form, signed status
 * callbacks bring them to DELIVERED, signed inbound texts (and MMS) land in conversations,
 * forged requests are refused and logged, and Twilio's errors end where they should.
 */
const TWILIO = { accountSid: `AC${"7e57".repeat(8)}`, authToken: "0f1e2d3c4b5a69788796a5b4c3d2e1f0" };
const OUR_NUMBER = "+14155550100";

let p: Pipeline;
let org: VendorOrg;

pipelineForFile(async (started) => {
  p = started;
  org = await orgWithVendorAccount("Twilio", "twilio", { ...TWILIO, ...simBaseUrls(p.sim).twilio }, [OUR_NUMBER]);
  // The simulator's Twilio account knows our inbound webhook as the number's "A message comes in" URL would.
  p.sim.control.addAccount({ vendor: "twilio", ...TWILIO, inboundUrl: webhookUrl(p.app, org.account, "inbound") });
});

/** Every Messages.json create the simulator received for one recipient. */
function sendsTo(to: string): RecordedRequest[] {
  return p.sim.control
    .requests({ vendor: "twilio" })
    .filter((r) => r.method === "POST" && r.path.endsWith("/Messages.json") && new URLSearchParams(r.body).get("To") === to);
}

describe("sending through Twilio", () => {
  it("posts Twilio's Messages.json form, and the signed status callbacks take the message to DELIVERED", async () => {
    const to = "+14155550123";
    const body = "Your shift starts at 9. Reply YES to confirm.";
    const { message } = await queueMessage(org.orgId, { to, body });
    expect(message).toMatchObject({ status: "QUEUED", fromE164: OUR_NUMBER, vendorAccountId: org.account.id });

    const delivered = await waitForStatus(message.id, "DELIVERED");

    const sends = sendsTo(to);
    expect(sends).toHaveLength(1);
    const [send] = sends;
    expect(send!.path).toBe(`/2010-04-01/Accounts/${TWILIO.accountSid}/Messages.json`);
    expect(send!.headers.authorization).toBe(basicAuthHeader(TWILIO.accountSid, TWILIO.authToken));
    expect(send!.headers["content-type"]).toMatch(/^application\/x-www-form-urlencoded/);
    expect(Object.fromEntries(new URLSearchParams(send!.body))).toEqual({
      To: to,
      From: OUR_NUMBER,
      Body: body,
      StatusCallback: webhookUrl(p.app, org.account, "status"),
    });

    const [accepted] = p.sim.control.messages({ vendor: "twilio" }).filter((m) => m.to === to);
    expect(accepted!.id).toMatch(/^SM[0-9a-f]{32}$/);
    expect(delivered).toMatchObject({
      vendorMessageId: accepted!.id,
      attempts: 1,
      errorCode: null,
      errorDescription: null,
      segments: 1,
    });
    expect(delivered.sentAt).toBeInstanceOf(Date);
    expect(delivered.deliveredAt).toBeInstanceOf(Date);

    // Both callbacks reached our status webhook, signed, and Twilio's debugger would have nothing to say.
    await p.sim.control.flush();
    const callbacks = p.sim.control.callbacks({ vendor: "twilio", kind: "status" }).filter((c) => c.body.includes(accepted!.id));
    expect(callbacks.map((c) => new URLSearchParams(c.body).get("MessageStatus"))).toEqual(["sent", "delivered"]);
    for (const callback of callbacks) {
      expect(callback.url).toBe(webhookUrl(p.app, org.account, "status"));
      expect(callback.response?.status).toBe(200);
      expect(callback.notes).toEqual([]);
    }

    // The history: the worker's SENDING and SENT (Twilio accepted it), then the reports. The two
    // reports are processed by separate jobs, so "sent" may be recorded before or after "delivered".
    // The "sent" report may have beaten the worker's record of the send and be waiting for its retry.
    await waitForWebhooksProcessed(org.account.id, "status", accepted!.id, 2);
    const history = (await eventsOf(message.id)).map((e) => `${e.status}:${e.vendorStatus}`);
    expect(history.slice(0, 2)).toEqual(["SENDING:null", "SENT:accepted"]);
    expect(history.slice(2).sort()).toEqual(["DELIVERED:delivered", "SENT:sent"]);
  });

  it("retries a Twilio outage (503) with backoff, then marks the message FAILED with Twilio's words", async () => {
    const to = "+14155550170";
    p.sim.control.injectFault({ vendor: "twilio", operation: "send", status: 503, to, times: "always" });
    const { message } = await queueMessage(org.orgId, { to, body: "Roster for next week is up" });

    await expectRetriedThenFailed(message.id, () => sendsTo(to), {
      code: "20503",
      description: "Twilio is temporarily unavailable; retry later.",
    });
  });

  it("fails at the first attempt when Twilio says the recipient unsubscribed (21610), and opts the contact out", async () => {
    const to = "+14155550171";
    p.sim.control.injectFault({ vendor: "twilio", operation: "send", code: "21610", to });
    const { message } = await queueMessage(org.orgId, { to, body: "Are you still available on Friday?" });

    await expectFailedAtFirstAttempt(message.id, () => sendsTo(to), {
      code: "21610",
      description: /replied STOP to this sender and is unsubscribed/,
    });
    await expectOptedOut(org, to);
  });
});

describe("receiving through Twilio", () => {
  it("stores a text from a phone as an INBOUND message in the org's conversation with that contact", async () => {
    const from = "+14155550142";
    const body = "Can I swap my Tuesday shift?";
    const [answer] = await p.sim.control.inbound({ vendor: "twilio", account: TWILIO.accountSid, from, to: OUR_NUMBER, body });
    expect(answer!.url).toBe(webhookUrl(p.app, org.account, "inbound"));
    expect(answer!.response).toMatchObject({ status: 200, body: EMPTY_TWIML });
    expect(answer!.notes).toEqual([]);
    const sid = new URLSearchParams(answer!.body).get("MessageSid")!;

    const stored = await waitForInbound(org.account.id, sid);
    expect(stored).toMatchObject({ media: [], vendorAccountId: org.account.id });
    await expectInboundInConversation(org, stored, { from, to: OUR_NUMBER, body });
  });

  it("stores an MMS with the media URL Twilio gave, which serves the picture", async () => {
    const from = "+14155550143";
    const [answer] = await p.sim.control.inbound({
      vendor: "twilio",
      account: TWILIO.accountSid,
      from,
      to: OUR_NUMBER,
      body: "Here is the flyer",
      media: ["image/png"],
    });
    expect(answer!.response?.status).toBe(200);
    const params = new URLSearchParams(answer!.body);
    const sid = params.get("MessageSid")!;
    expect(sid).toMatch(/^MM[0-9a-f]{32}$/);
    expect(params.get("NumMedia")).toBe("1");
    const mediaUrl = params.get("MediaUrl0")!;
    expect(mediaUrl.startsWith(`${p.sim.url}/twilio/2010-04-01/Accounts/${TWILIO.accountSid}/Messages/${sid}/Media/ME`)).toBe(
      true,
    );

    const stored = await waitForInbound(org.account.id, sid);
    expect(stored).toMatchObject({
      orgId: org.orgId,
      direction: "INBOUND",
      body: "Here is the flyer",
      fromE164: from,
      media: [mediaUrl],
    });
    const picture = await fetch(mediaUrl);
    expect(picture.status).toBe(200);
    expect(picture.headers.get("content-type")).toBe("image/png");
  });
});

describe("forged Twilio requests", () => {
  it("answers a wrong X-Twilio-Signature with 403, stores nothing, and logs the refusal", async () => {
    // Another Twilio account, with its own Auth Token, calling our URL: Twilio signs it, but not with our token.
    const impostor = { accountSid: `AC${"bad0".repeat(8)}`, authToken: "ffffeeeeddddccccbbbbaaaa99998888" };
    p.sim.control.addAccount({ vendor: "twilio", ...impostor, inboundUrl: webhookUrl(p.app, org.account, "inbound") });
    const reason = "X-Twilio-Signature does not match this URL and these parameters";

    const answer = await expectImpostorTextRefused(p, org, "inbound", reason, {
      vendor: "twilio",
      account: impostor.accountSid,
      from: "+14155550144",
    });
    expect(answer.notes).toEqual(["11200 HTTP retrieval failure: the hub answered 403"]);

    // A forged delivery report for a real message, signed over the right URL with the wrong token.
    const sent = await sendUntilDelivered(p, org, { to: "+14155550145", body: "Meeting moved to 3pm" });
    const statusUrl = webhookUrl(p.app, org.account, "status");
    const forged = {
      MessageSid: sent.vendorMessageId!,
      MessageStatus: "undelivered",
      ErrorCode: "30003",
      AccountSid: TWILIO.accountSid,
    };
    const response = await expectRefusedAndLogged(p, org.account, "status", reason, () =>
      fetch(statusUrl, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          "x-twilio-signature": twilioSignature(impostor.authToken, statusUrl, forged),
        },
        body: new URLSearchParams(forged),
      }),
    );
    expect(await response.text()).toBe("Forbidden.");
    expect(await findMessage(sent.id)).toMatchObject({ status: "DELIVERED", errorCode: null });
  });
});
