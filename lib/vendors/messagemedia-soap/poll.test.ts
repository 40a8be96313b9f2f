import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StubVendor, testContext } from "@/tests/helpers/vendor-harness";
import type { PollResult, VendorContext } from "../types";
import { messageMediaSoapAdapter } from "./adapter";
import type { MessageMediaSoapConfig } from "./config";
import { expectRequest, fault, PASSWORD, response, USER, xml } from "./test-fixtures";

const stub = new StubVendor();
beforeAll(() => stub.start());
afterAll(() => stub.stop());

function ctx(extra: Partial<MessageMediaSoapConfig> = {}): VendorContext<MessageMediaSoapConfig> {
  const base = testContext(
    messageMediaSoapAdapter,
    { username: USER, password: PASSWORD, soapUrl: `${stub.url}/soap/`, ...extra },
    stub.url,
  );
  return { ...base, defaultCountry: "AU" } as VendorContext<MessageMediaSoapConfig>;
}
const poll = (c = ctx()): Promise<PollResult> => messageMediaSoapAdapter.poll(c);

// Replies as checkReplies lists them: uid is the recipient uid we sent, 0 when the reply answers none of ours.
const REPLIES = `<result returned="4" remaining="0"><replies>
  <reply uid="4242" receiptId="1351" format="SMS"><origin>+61412345678</origin><received>2026-01-02T03:04:05Z</received><content>Yes &amp; thanks &lt;3</content></reply>
  <reply uid="0" receiptId="1352" format="SMS"><origin>61412345679</origin><received>2026-01-02T03:05:00</received><content>  STOP  </content></reply>
  <reply receiptId="1353" format="SMS"><origin>0412 345 670</origin><received>not a date</received><content></content></reply>
  <reply uid="9" format="SMS"><origin>+61412345671</origin><received>2026-01-02T03:06:00Z</received><content>no receipt id</content></reply>
</replies></result>`;
const REPORTS = `<result returned="6" remaining="0"><reports>
  <report uid="4242" receiptId="1351" status="delivered"><recipient>+61412345678</recipient><timestamp>2026-01-02T03:04:05Z</timestamp></report>
  <report uid="4243" receiptId="1352" status="pending"><recipient>+61412345679</recipient><timestamp>2026-01-02T03:04:06+10:00</timestamp></report>
  <report uid="4244" receiptId="1353" status="failed"><recipient>+61412345670</recipient><timestamp>2026-01-02T03:04:07Z</timestamp></report>
  <report uid="4245" receiptId="1354" status="kaput"><recipient>+61412345671</recipient><timestamp>2026-01-02T03:04:08Z</timestamp></report>
  <report uid="0" receiptId="1355" status="delivered"><recipient>+61412345672</recipient><timestamp>2026-01-02T03:04:09Z</timestamp></report>
  <report uid="4246" receiptId="1356" status="expired"><recipient>+61412345673</recipient><timestamp>2026-01-02T03:04:10Z</timestamp></report>
</reports></result>`;
const M4U = `xmlns="http://xml.m4u.com.au/2009"`;

describe("messagemedia-soap: poll", () => {
  it("checks replies then reports, up to 100 of each, and turns each into an item with its raw XML", async () => {
    stub.reset([xml(200, response("checkReplies", REPLIES)), xml(200, response("checkReports", REPORTS))]);
    const { items } = await poll();
    expect(stub.requests).toHaveLength(2);
    expectRequest(stub.requests[0]!, "checkReplies", { "api:maximumReplies": "100" });
    expectRequest(stub.requests[1]!, "checkReports", { "api:maximumReports": "100" });

    expect(items.map((i) => i.key)).toEqual([
      "reply:1351",
      "reply:1352",
      "reply:1353",
      "report:1351",
      "report:1352",
      "report:1353",
      "report:1354",
      "report:1355",
      "report:1356",
    ]);
    const [first, second, third, delivered, pending, failed, unknown, noUid, expired] = items;
    expect(first).toEqual({
      key: "reply:1351",
      raw: `<reply ${M4U} uid="4242" receiptId="1351" format="SMS"><origin>+61412345678</origin><received>2026-01-02T03:04:05Z</received><content>Yes &amp; thanks &lt;3</content></reply>`,
      events: [
        {
          type: "inbound",
          from: "+61412345678",
          to: "",
          body: "Yes & thanks <3",
          media: [],
          vendorMessageId: "reply:1351",
          receivedAt: new Date("2026-01-02T03:04:05Z"),
          inReplyTo: "4242",
        },
      ],
    });
    // uid 0 links to no message of ours; digits without + are international; a time without a zone is UTC; text kept as sent.
    expect(second!.events).toEqual([
      {
        type: "inbound",
        from: "+61412345679",
        to: "",
        body: "  STOP  ",
        media: [],
        vendorMessageId: "reply:1352",
        receivedAt: new Date("2026-01-02T03:05:00Z"),
      },
    ]);
    // No uid at all; a national number is read in the org's country; an unreadable time is left out.
    expect(third!.events).toEqual([
      {
        type: "inbound",
        from: "+61412345670",
        to: "",
        body: "",
        media: [],
        vendorMessageId: "reply:1353",
        receivedAt: undefined,
      },
    ]);

    expect(delivered!.events).toEqual([
      {
        type: "status",
        vendorMessageId: "4242",
        status: "DELIVERED",
        vendorStatus: "delivered",
        errorCode: undefined,
        errorDescription: undefined,
        occurredAt: new Date("2026-01-02T03:04:05Z"),
      },
    ]);
    expect(delivered!.raw).toBe(
      `<report ${M4U} uid="4242" receiptId="1351" status="delivered"><recipient>+61412345678</recipient><timestamp>2026-01-02T03:04:05Z</timestamp></report>`,
    );
    expect(pending!.events).toEqual([
      {
        type: "status",
        vendorMessageId: "4243",
        status: "SENT",
        vendorStatus: "pending",
        errorCode: undefined,
        errorDescription: undefined,
        occurredAt: new Date("2026-01-01T17:04:06Z"),
      },
    ]);
    expect(failed!.events).toEqual([
      {
        type: "status",
        vendorMessageId: "4244",
        status: "FAILED",
        vendorStatus: "failed",
        errorCode: "failed",
        errorDescription: "The carrier could not deliver the message (MessageMedia delivery report: failed).",
        occurredAt: new Date("2026-01-02T03:04:07Z"),
      },
    ]);
    expect(expired!.events).toMatchObject([
      { status: "FAILED", vendorStatus: "expired", errorCode: "expired", errorDescription: /expired before/ },
    ]);
    // Kept and confirmed, but never guessed at: a status we do not know, and a report of no message of ours.
    expect(unknown).toMatchObject({ key: "report:1354", events: [], raw: expect.stringContaining(`status="kaput"`) });
    expect(noUid).toMatchObject({ key: "report:1355", events: [] });
  });

  it("files replies under the configured source number when it is a number", async () => {
    const one = `<result returned="1" remaining="0"><replies><reply uid="5" receiptId="77" format="SMS"><origin>+61412345678</origin><received>2026-01-02T03:04:05Z</received><content>ok</content></reply></replies></result>`;
    stub.reset([
      xml(200, response("checkReplies", one)),
      xml(200, response("checkReports", `<result returned="0" remaining="0"><reports/></result>`)),
    ]);
    const { items } = await poll(ctx({ sourceNumber: "+61491570156" }));
    expect(items[0]!.events[0]).toMatchObject({ to: "+61491570156", inReplyTo: "5" });

    stub.reset([
      xml(200, response("checkReplies", one)),
      xml(200, response("checkReports", `<result returned="0" remaining="0"><reports/></result>`)),
    ]);
    const named = await poll(ctx({ sourceNumber: "ACME" }));
    expect(named.items[0]!.events[0]).toMatchObject({ to: "" });
  });

  it("keeps a reply with no sender as an item to confirm, with no event", async () => {
    const blank = `<result returned="1" remaining="0"><replies><reply uid="5" receiptId="78" format="SMS"><origin></origin><received>2026-01-02T03:04:05Z</received><content>?</content></reply></replies></result>`;
    stub.reset([
      xml(200, response("checkReplies", blank)),
      xml(200, response("checkReports", `<result returned="0" remaining="0"><reports/></result>`)),
    ]);
    expect((await poll()).items).toMatchObject([{ key: "reply:78", events: [] }]);
  });

  it("reads ids as digit strings: a padded uid is our id, a receipt id past unsignedInt is still kept and confirmable", async () => {
    const report = `<result returned="1" remaining="0"><reports><report uid="004242" receiptId="12345678901" status="delivered"><recipient>+61412345678</recipient><timestamp>2026-01-02T03:04:05Z</timestamp></report></reports></result>`;
    stub.reset([
      xml(200, response("checkReplies", `<result returned="0" remaining="0"><replies/></result>`)),
      xml(200, response("checkReports", report)),
    ]);
    const { items, confirm } = await poll();
    expect(items).toMatchObject([{ key: "report:12345678901", events: [{ vendorMessageId: "4242", status: "DELIVERED" }] }]);
    stub.reset([xml(200, response("confirmReports", `<result confirmed="1"/>`))]);
    await confirm(["report:12345678901"]);
    expectRequest(stub.requests[0]!, "confirmReports", { "api:reports": { "api:report": { "@_receiptId": "12345678901" } } });
  });

  it("returns nothing when MessageMedia holds nothing, and asks nothing more", async () => {
    stub.reset([
      xml(200, response("checkReplies", `<result returned="0" remaining="0"><replies/></result>`)),
      xml(200, response("checkReports", `<result returned="0" remaining="0"><reports/></result>`)),
    ]);
    const result = await poll();
    expect(result.items).toEqual([]);
    await result.confirm([]);
    expect(stub.requests).toHaveLength(2);
  });

  it("fails the poll on a fault or an unreadable answer, saying why", async () => {
    stub.reset([xml(500, fault("SOAP-ENV:Client", "Authentication failed", "authenticationFailed"))]);
    await expect(poll()).rejects.toMatchObject({
      code: "authenticationFailed",
      retryable: false,
      description: /user ID or password/,
    });
    stub.reset([
      xml(200, response("checkReplies", `<result returned="0" remaining="0"><replies/></result>`)),
      xml(200, "<SOAP-ENV:Envelope"),
    ]);
    await expect(poll()).rejects.toMatchObject({
      code: "messagemedia-soap-unreadable",
      description: /checkReports with malformed XML/,
    });
    stub.reset([{ status: 502, body: "Bad Gateway" }]);
    await expect(poll()).rejects.toMatchObject({ code: "http_502", retryable: true });
  });
});

describe("messagemedia-soap: confirm", () => {
  const confirmedReplies = xml(200, response("confirmReplies", `<result confirmed="2"/>`));
  const confirmedReports = xml(200, response("confirmReports", `<result confirmed="1"/>`));

  async function pollThenConfirm(keys: string[], answers = [confirmedReplies, confirmedReports]) {
    stub.reset([xml(200, response("checkReplies", REPLIES)), xml(200, response("checkReports", REPORTS))]);
    const { confirm } = await poll();
    stub.reset(answers);
    await confirm(keys);
    return stub.requests;
  }

  it("confirms exactly the keys given: replies and reports each in their own call", async () => {
    const requests = await pollThenConfirm(["reply:1351", "report:1354", "reply:1353", "reply:1351"]);
    expect(requests).toHaveLength(2);
    expectRequest(requests[0]!, "confirmReplies", {
      "api:replies": { "api:reply": [{ "@_receiptId": "1351" }, { "@_receiptId": "1353" }] },
    });
    expectRequest(requests[1]!, "confirmReports", { "api:reports": { "api:report": { "@_receiptId": "1354" } } });
  });

  it("makes no call for a kind with no keys, nor for keys it did not make", async () => {
    const reportsOnly = await pollThenConfirm(["report:1351", "report:1356", "elsewhere:1", "reply:abc"], [confirmedReports]);
    expect(reportsOnly).toHaveLength(1);
    expectRequest(reportsOnly[0]!, "confirmReports", {
      "api:reports": { "api:report": [{ "@_receiptId": "1351" }, { "@_receiptId": "1356" }] },
    });
    expect(await pollThenConfirm([])).toHaveLength(0);
  });

  it("sends at most 100 receipts per call", async () => {
    stub.reset([
      xml(200, response("checkReplies", `<result returned="0" remaining="0"><replies/></result>`)),
      xml(200, response("checkReports", `<result returned="0" remaining="0"><reports/></result>`)),
    ]);
    const { confirm } = await poll();
    stub.reset([
      xml(200, response("confirmReplies", `<result confirmed="100"/>`)),
      xml(200, response("confirmReplies", `<result confirmed="50"/>`)),
    ]);
    await confirm(Array.from({ length: 150 }, (_, i) => `reply:${i + 1}`));
    expect(stub.requests).toHaveLength(2);
    expect(stub.requests[0]!.body.match(/<api:reply /g)).toHaveLength(100);
    expect(stub.requests[1]!.body.match(/<api:reply /g)).toHaveLength(50);
  });

  it("fails when MessageMedia refuses the confirmation, so nothing is taken as confirmed", async () => {
    stub.reset([xml(200, response("checkReplies", REPLIES)), xml(200, response("checkReports", REPORTS))]);
    const { confirm } = await poll();
    stub.reset([xml(500, fault("SOAP-ENV:Server", "Database unavailable"))]);
    await expect(confirm(["reply:1351"])).rejects.toMatchObject({
      code: "soap-server-fault",
      retryable: true,
      description: /Database unavailable/,
    });
  });
});
