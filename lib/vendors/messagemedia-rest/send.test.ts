import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StubVendor, testContext, type StubResponse } from "@/tests/helpers/vendor-harness";
import type { OutboundMessage, VendorContext } from "../types";
import { messageMediaRestAdapter } from "./adapter";
import type { MessageMediaRestConfig } from "./config";

const stub = new StubVendor();
beforeAll(() => stub.start());
afterAll(() => stub.stop());

function ctx(config: Partial<MessageMediaRestConfig> = {}): VendorContext<MessageMediaRestConfig> {
  return testContext(
    messageMediaRestAdapter,
    { username: "mm-key", password: "mm-secret", apiBaseUrl: `${stub.url}/v1`, ...config },
    stub.url,
  ) as VendorContext<MessageMediaRestConfig>;
}
const json = (status: number, body: unknown, headers?: Record<string, string>): StubResponse => ({
  status,
  body: JSON.stringify(body),
  headers,
});
const message = (n: number, extra: Partial<OutboundMessage> = {}): OutboundMessage => ({
  id: `11111111-1111-4111-8111-11111111111${n}`,
  to: `+6149157015${n}`,
  from: "+61491570100",
  body: `Shift offer ${n}`,
  mediaUrls: [],
  numericId: n,
  ...extra,
});
type Sent = { messages: { destination_number: string; metadata: { switchboard_id: string } }[] };

describe("messagemedia-rest: batches", () => {
  it("sends several messages in one request and returns each one's id, in order", async () => {
    const batch = [message(1), message(2), message(3)];
    stub.reset([
      json(202, {
        messages: batch.map((m, i) => ({
          message_id: `mm-${i + 1}`,
          status: "queued",
          destination_number: m.to,
          metadata: { switchboard_id: m.id },
        })),
      }),
    ]);
    const results = await messageMediaRestAdapter.sendBatch(ctx(), batch);
    expect(results).toEqual([{ vendorMessageIds: ["mm-1"] }, { vendorMessageIds: ["mm-2"] }, { vendorMessageIds: ["mm-3"] }]);
    expect(stub.requests).toHaveLength(1);
    const sent = JSON.parse(stub.requests[0]!.body) as Sent;
    expect(sent.messages.map((m) => [m.destination_number, m.metadata.switchboard_id])).toEqual(batch.map((m) => [m.to, m.id]));
  });

  it("matches ids by the metadata MessageMedia echoes, where it echoes it", async () => {
    const batch = [message(1), message(2)];
    stub.reset([
      json(202, {
        messages: [
          { message_id: "mm-b", metadata: { switchboard_id: batch[1]!.id } },
          { message_id: "mm-a", metadata: { switchboard_id: batch[0]!.id } },
        ],
      }),
    ]);
    expect(await messageMediaRestAdapter.sendBatch(ctx(), batch)).toEqual([
      { vendorMessageIds: ["mm-a"] },
      { vendorMessageIds: ["mm-b"] },
    ]);
  });

  it("fails the whole batch on a 400, naming the refused message's recipient", async () => {
    stub.reset([
      json(400, {
        message: "Request failed to parse correctly.",
        details: ["/messages/1/destination_number: International address contains invalid characters."],
      }),
    ]);
    const error = await messageMediaRestAdapter
      .sendBatch(ctx(), [message(1), message(2, { to: "+61abc" })])
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "http_400", retryable: false, batchRefused: true });
    expect((error as Error & { description: string }).description).toBe(
      "MessageMedia refused the batch of 2 messages (none was sent) (400): Request failed to parse correctly; /messages/1/destination_number: International address contains invalid characters. (/messages/1/ is the message to +61abc)",
    );
  });

  it("marks only a batch refused for its content as batchRefused: credentials fail every message alike", async () => {
    stub.reset([json(401, { message: "Invalid authentication credentials" })]);
    await expect(messageMediaRestAdapter.sendBatch(ctx(), [message(1), message(2)])).rejects.toMatchObject({
      code: "http_401",
      batchRefused: false,
    });
    stub.reset([json(400, { message: "Invalid", details: ["/messages/0/content: must not be empty"] })]);
    await expect(messageMediaRestAdapter.send(ctx(), message(1))).rejects.toMatchObject({
      code: "http_400",
      batchRefused: false,
    });
  });

  it("refuses an answer that lists fewer ids than messages sent, without retrying", async () => {
    stub.reset([json(202, { messages: [{ message_id: "mm-1" }] })]);
    await expect(messageMediaRestAdapter.sendBatch(ctx(), [message(1), message(2)])).rejects.toMatchObject({
      code: "mm-unreadable",
      retryable: false,
    });
  });

  it("refuses more than 100 messages before calling MessageMedia", async () => {
    stub.reset([]);
    expect(messageMediaRestAdapter.maxBatch).toBe(100);
    const many = Array.from({ length: 101 }, (_, i) => message(i % 10));
    await expect(messageMediaRestAdapter.sendBatch(ctx(), many)).rejects.toMatchObject({ code: "mm-batch-too-large" });
    expect(stub.requests).toHaveLength(0);
  });

  it("honours Retry-After, in seconds or as a date", async () => {
    stub.reset([json(429, { message: "Too many requests" }, { "retry-after": "7" })]);
    await expect(messageMediaRestAdapter.send(ctx(), message(1))).rejects.toMatchObject({
      code: "http_429",
      retryable: true,
      retryAfterSeconds: 7,
    });
    stub.reset([json(503, {}, { "retry-after": "Fri, 02 Jan 2026 03:04:35 GMT" })]);
    await expect(messageMediaRestAdapter.send(ctx(), message(1))).rejects.toMatchObject({
      code: "http_503",
      retryable: true,
      retryAfterSeconds: 30,
    });
  });

  it("turns an unreachable MessageMedia into a retryable error", async () => {
    await expect(messageMediaRestAdapter.send(ctx({ apiBaseUrl: "http://127.0.0.1:9/v1" }), message(1))).rejects.toMatchObject({
      code: "network",
      retryable: true,
    });
  });
});

describe("messagemedia-rest: connection test", () => {
  it("reads GET /replies, which confirms nothing", async () => {
    stub.reset([json(200, { replies: [] })]);
    expect(await messageMediaRestAdapter.verifyCredentials(ctx())).toEqual({
      ok: true,
      detail: "MessageMedia accepted the API key mm-key with Basic authentication.",
    });
    expect(stub.requests.map((r) => `${r.method} ${r.path}`)).toEqual(["GET /v1/replies"]);
  });

  it("signs a GET with HMAC over the Date and the request line only", async () => {
    stub.reset([json(200, { replies: [] })]);
    const result = await messageMediaRestAdapter.verifyCredentials(ctx({ auth: "hmac" }));
    expect(result.detail).toMatch(/with HMAC-signed requests/);
    const [request] = stub.requests;
    const date = "Fri, 02 Jan 2026 03:04:05 GMT";
    const signature = createHmac("sha256", "mm-secret").update(`Date: ${date}\nGET /v1/replies HTTP/1.1`).digest("base64");
    expect(request!.headers.date).toBe(date);
    expect(request!.headers["content-md5"]).toBeUndefined();
    expect(request!.headers.authorization).toBe(
      `hmac username="mm-key", algorithm="hmac-sha256", headers="Date request-line", signature="${signature}"`,
    );
  });

  it("says in words when the key or secret is refused", async () => {
    stub.reset([json(401, { message: "Invalid authentication credentials" })]);
    expect(await messageMediaRestAdapter.verifyCredentials(ctx())).toMatchObject({
      ok: false,
      detail: expect.stringMatching(/^MessageMedia refused the API key or secret/),
    });
    stub.reset([json(403, { message: "Feature not enabled" })]);
    expect(await messageMediaRestAdapter.verifyCredentials(ctx())).toMatchObject({
      ok: false,
      detail: expect.stringMatching(/403\): Feature not enabled\..*SOAP rather than REST/),
    });
  });
});

describe("messagemedia-rest: settings and error table", () => {
  const parse = (values: Record<string, unknown>) =>
    messageMediaRestAdapter.configSchema.safeParse({ username: "k", password: "s", ...values });

  it("defaults to Basic, webhooks, a 60-second interval and MessageMedia's API", () => {
    expect(parse({}).data).toMatchObject({
      auth: "basic",
      receiveMode: "webhook",
      pollIntervalSeconds: 60,
      apiBaseUrl: "https://api.messagemedia.com/v1",
    });
  });

  it("refuses a bad sender, interval or public key at the field", () => {
    expect(parse({ sourceNumber: "0412 345 678!" }).error?.issues[0]?.path).toEqual(["sourceNumber"]);
    expect(parse({ pollIntervalSeconds: "5" }).error?.issues[0]).toMatchObject({
      path: ["pollIntervalSeconds"],
      message: "Poll at most every 15 seconds",
    });
    expect(parse({ publicKey: "not a key" }).error?.issues[0]?.path).toEqual(["publicKey"]);
  });

  it("polls only in poll mode", () => {
    expect(messageMediaRestAdapter.pollIntervalSeconds(parse({ receiveMode: "poll", pollIntervalSeconds: "120" }).data!)).toBe(
      120,
    );
    expect(messageMediaRestAdapter.pollIntervalSeconds(parse({}).data!)).toBeUndefined();
  });

  it("keeps report codes and HTTP statuses apart, and opts out a blacklisted recipient", () => {
    expect(messageMediaRestAdapter.errorDescription("302")).toMatchObject({ code: "302", optOut: true, retryable: false });
    expect(messageMediaRestAdapter.errorDescription("330")).toMatchObject({ retryable: true });
    expect(messageMediaRestAdapter.errorDescription("http_429")).toMatchObject({ retryable: true });
    expect(messageMediaRestAdapter.errorDescription("http_401")?.description).toMatch(/API key or secret/);
    expect(messageMediaRestAdapter.errorDescription("999")).toBeUndefined();
  });
});
