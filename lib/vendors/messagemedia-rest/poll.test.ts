import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StubVendor, testContext, type StubResponse } from "@/tests/helpers/vendor-harness";
import type { VendorContext } from "../types";
import { messageMediaRestAdapter } from "./adapter";
import type { MessageMediaRestConfig } from "./config";

const stub = new StubVendor();
beforeAll(() => stub.start());
afterAll(() => stub.stop());

function ctx(config: Partial<MessageMediaRestConfig> = {}): VendorContext<MessageMediaRestConfig> {
  return testContext(
    messageMediaRestAdapter,
    { username: "mm-key", password: "mm-secret", receiveMode: "poll", apiBaseUrl: `${stub.url}/v1`, ...config },
    stub.url,
  ) as VendorContext<MessageMediaRestConfig>;
}
const json = (status: number, body: unknown): StubResponse => ({ status, body: JSON.stringify(body) });
const requests = () => stub.requests.map((r) => `${r.method} ${r.path}`);

// As GET /v1/replies and GET /v1/delivery_reports answer in MessageMedia's API reference.
const reply = {
  metadata: { switchboard_id: "11111111-1111-4111-8111-111111111111" },
  message_id: "877c19ef-fa2e-4cec-827a-e1df9b5509f7",
  reply_id: "a175e797-2b54-468b-9850-41a3eab32f74",
  date_received: "2016-12-07T08:43:00.850Z",
  destination_number: "+61491570156",
  source_number: "+61491570157",
  vendor_account_id: { vendor_id: "MessageMedia", account_id: "MyAccount" },
  content: "My first reply!",
};
const report = {
  delivery_report_id: "01e1fa0a-6e27-4945-9cdb-18644b4de043",
  source_number: "+61491570157",
  date_received: "2017-05-20T06:30:37.642Z",
  status: "delivered",
  message_id: "d781dcab-d9d8-4fb2-9e03-872f07ae94ba",
  metadata: { switchboard_id: "22222222-2222-4222-8222-222222222222" },
};

describe("messagemedia-rest: polling", () => {
  it("fetches replies and delivery reports as items keyed by MessageMedia's ids", async () => {
    stub.reset([
      json(200, { replies: [reply] }),
      json(200, {
        delivery_reports: [
          report,
          { ...report, delivery_report_id: "0edf9022-7ccc-43e6-acab-480e93e98c1b", status: "teleported" },
        ],
      }),
    ]);
    const { items } = await messageMediaRestAdapter.poll(ctx());
    expect(requests()).toEqual(["GET /v1/replies", "GET /v1/delivery_reports"]);
    expect(stub.requests[0]!.headers.authorization).toBe(`Basic ${Buffer.from("mm-key:mm-secret").toString("base64")}`);
    expect(items).toEqual([
      {
        key: "reply:a175e797-2b54-468b-9850-41a3eab32f74",
        raw: JSON.stringify(reply),
        events: [
          {
            type: "inbound",
            from: "+61491570157",
            to: "+61491570156",
            body: "My first reply!",
            media: [],
            vendorMessageId: reply.reply_id,
            receivedAt: new Date("2016-12-07T08:43:00.850Z"),
            inReplyTo: reply.message_id,
          },
        ],
      },
      {
        key: "report:01e1fa0a-6e27-4945-9cdb-18644b4de043",
        raw: JSON.stringify(report),
        events: [
          {
            type: "status",
            vendorMessageId: report.message_id,
            status: "DELIVERED",
            vendorStatus: "delivered",
            errorCode: undefined,
            errorDescription: undefined,
            occurredAt: new Date("2017-05-20T06:30:37.642Z"),
            messageId: "22222222-2222-4222-8222-222222222222",
          },
        ],
      },
      // An unknown status is still stored (raw, for review) and confirmed, so it does not come back forever.
      { key: "report:0edf9022-7ccc-43e6-acab-480e93e98c1b", raw: expect.stringContaining("teleported"), events: [] },
    ]);
  });

  it("confirms exactly the keys it is given, replies and reports apart", async () => {
    stub.reset([json(200, { replies: [reply, { ...reply, reply_id: "r-2" }] }), json(200, { delivery_reports: [report] })]);
    const { confirm } = await messageMediaRestAdapter.poll(ctx());
    stub.reset([{ status: 202, body: "" }]);
    await confirm(["reply:a175e797-2b54-468b-9850-41a3eab32f74", "report:01e1fa0a-6e27-4945-9cdb-18644b4de043"]);
    expect(stub.requests.map((r) => [`${r.method} ${r.path}`, JSON.parse(r.body)])).toEqual([
      ["POST /v1/replies/confirmed", { reply_ids: ["a175e797-2b54-468b-9850-41a3eab32f74"] }],
      ["POST /v1/delivery_reports/confirmed", { delivery_report_ids: ["01e1fa0a-6e27-4945-9cdb-18644b4de043"] }],
    ]);
  });

  it("skips a confirm call with nothing to confirm, and confirms at most 100 ids per call", async () => {
    stub.reset([json(200, { replies: [] }), json(200, { delivery_reports: [] })]);
    const { items, confirm } = await messageMediaRestAdapter.poll(ctx());
    expect(items).toEqual([]);
    stub.reset([{ status: 202, body: "" }]);
    await confirm(Array.from({ length: 150 }, (_, i) => `report:dr-${i}`));
    expect(requests()).toEqual(["POST /v1/delivery_reports/confirmed", "POST /v1/delivery_reports/confirmed"]);
    expect((JSON.parse(stub.requests[0]!.body) as { delivery_report_ids: string[] }).delivery_report_ids).toHaveLength(100);
    expect((JSON.parse(stub.requests[1]!.body) as { delivery_report_ids: string[] }).delivery_report_ids).toEqual(
      Array.from({ length: 50 }, (_, i) => `report:dr-${i + 100}`.slice(7)),
    );
  });

  it("keeps an unreadable item for review, and leaves out one without an id", async () => {
    stub.reset([
      json(200, { replies: [{ ...reply, source_number: undefined }, { content: "no id" }] }),
      json(200, { delivery_reports: [] }),
    ]);
    const { items } = await messageMediaRestAdapter.poll(ctx());
    expect(items).toEqual([{ key: "reply:a175e797-2b54-468b-9850-41a3eab32f74", raw: expect.any(String), events: [] }]);
  });

  it("signs polls and confirms with HMAC when so set", async () => {
    stub.reset([json(200, { replies: [] }), json(200, { delivery_reports: [] })]);
    const { confirm } = await messageMediaRestAdapter.poll(ctx({ auth: "hmac" }));
    stub.reset([{ status: 202, body: "" }]);
    await confirm(["reply:r-1"]);
    expect(stub.requests[0]!.headers.authorization).toMatch(
      /^hmac username="mm-key", algorithm="hmac-sha256", headers="Date Content-MD5 request-line", signature="[A-Za-z0-9+/]+=*"$/,
    );
  });

  it("fails the poll when MessageMedia refuses it, so nothing is confirmed", async () => {
    stub.reset([json(401, { message: "Invalid authentication credentials" })]);
    await expect(messageMediaRestAdapter.poll(ctx())).rejects.toMatchObject({ code: "http_401", retryable: false });
    stub.reset([json(200, { replies: [] }), json(500, {})]);
    await expect(messageMediaRestAdapter.poll(ctx())).rejects.toMatchObject({ code: "http_500", retryable: true });
    stub.reset([json(200, { nothing: true })]);
    await expect(messageMediaRestAdapter.poll(ctx())).rejects.toMatchObject({ code: "mm-unreadable" });
  });

  it("throws when a confirm is refused, so the items come back next time", async () => {
    stub.reset([json(200, { replies: [] }), json(200, { delivery_reports: [] })]);
    const { confirm } = await messageMediaRestAdapter.poll(ctx());
    stub.reset([json(503, {})]);
    await expect(confirm(["reply:r-1"])).rejects.toMatchObject({ code: "http_503", retryable: true });
  });

  it("fetches nothing in webhook mode: MessageMedia pushes replies and reports there", async () => {
    stub.reset([]);
    const { items, confirm } = await messageMediaRestAdapter.poll(ctx({ receiveMode: "webhook" }));
    await confirm(["reply:r-1"]);
    expect(items).toEqual([]);
    expect(stub.requests).toHaveLength(0);
  });
});
