import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createVendorHttp } from "@/lib/vendors/http";
import type {
  AnyVendorAdapter,
  OutboundMessage,
  SendResult,
  VendorContext,
  VendorEvent,
  WebhookRequest,
} from "@/lib/vendors/types";

/**
 * Table-driven adapter tests, as Courier's handlertest does them. Incoming cases: a webhook
 * request in; verification, events and the exact response out. Outgoing cases: what the
 * vendor answers in; the exact requests the adapter made and its result or error out.
 * A stub vendor on loopback answers the adapter's HTTP and records every request.
 */
export type RecordedRequest = { method: string; path: string; headers: Record<string, string>; body: string };
export type StubResponse = { status: number; body: string; headers?: Record<string, string> };

export type IncomingCase = {
  label: string;
  action: string;
  config?: Record<string, unknown>;
  request: { method?: "GET" | "POST"; query?: Record<string, string>; headers?: Record<string, string>; body?: string };
  /** Headers computed from the finished request, e.g. a valid signature. */
  sign?: (ctx: VendorContext, request: WebhookRequest) => Record<string, string>;
  /** null: the request verifies; a pattern: it is refused with a matching reason. */
  expectVerify?: RegExp | null;
  expectEvents?: VendorEvent[];
  expectParseError?: RegExp;
  expectResponse?: { status: number; body?: string | RegExp; headers?: Record<string, string> };
  expectDedupeKey?: string | null;
};

export type OutgoingCase = {
  label: string;
  config?: Record<string, unknown>;
  message?: Partial<OutboundMessage>;
  /** What the stub vendor answers, request by request (the last repeats). */
  vendorResponses?: StubResponse[];
  expectRequests?: {
    method: string;
    path: string | RegExp;
    headers?: Record<string, string | RegExp>;
    body?: string | RegExp | ((body: string) => void);
  }[];
  expectResult?: SendResult | ((result: SendResult) => void);
  expectError?: { code?: string; vendorCode?: string; retryable?: boolean; description?: RegExp; optOut?: boolean };
};

export type VendorSuite = {
  /** The adapter's config for tests; `stubUrl` is the stub vendor's base URL, for base-URL settings. */
  config: (stubUrl: string) => Record<string, unknown>;
  incoming?: IncomingCase[];
  outgoing?: OutgoingCase[];
};

export const TEST_ACCOUNT = {
  id: "00000000-0000-4000-8000-000000000001",
  orgId: "00000000-0000-4000-8000-0000000000aa",
  name: "Test account",
  webhookToken: "wh_testtoken",
};

export function runVendorCases(adapter: AnyVendorAdapter, suite: VendorSuite): void {
  const stub = new StubVendor();
  beforeAll(() => stub.start());
  afterAll(() => stub.stop());

  if (suite.incoming?.length)
    describe(`${adapter.kind}: incoming`, () => {
      for (const c of suite.incoming ?? []) {
        it(c.label, () => {
          const ctx = testContext(adapter, { ...suite.config(stub.url), ...c.config }, stub.url);
          const handler = adapter.webhooks[c.action];
          expect(handler, `webhook action ${c.action}`).toBeDefined();
          const request: WebhookRequest = {
            method: c.request.method ?? "POST",
            url: `${stub.url}/api/webhooks/${adapter.kind}/${TEST_ACCOUNT.webhookToken}/${c.action}${queryString(c.request.query)}`,
            headers: lower(c.request.headers ?? {}),
            query: c.request.query ?? {},
            body: c.request.body ?? "",
          };
          if (c.sign) Object.assign(request.headers, lower(c.sign(ctx, request)));
          const refusal = handler!.verify(ctx, request);
          if (c.expectVerify !== undefined) {
            if (c.expectVerify === null) expect(refusal).toBeNull();
            else expect(refusal).toMatch(c.expectVerify);
          }
          if (refusal) return;
          if (c.expectDedupeKey !== undefined) expect(handler!.dedupeKey?.(request) ?? null).toEqual(c.expectDedupeKey);
          if (c.expectParseError) {
            expect(() => handler!.parse(ctx, request)).toThrow(c.expectParseError);
            return;
          }
          const events = handler!.parse(ctx, request);
          if (c.expectEvents) expect(events).toEqual(c.expectEvents);
          if (c.expectResponse) {
            const response = handler!.respond(ctx, events);
            expect(response.status).toBe(c.expectResponse.status);
            if (typeof c.expectResponse.body === "string") expect(response.body).toBe(c.expectResponse.body);
            else if (c.expectResponse.body) expect(response.body).toMatch(c.expectResponse.body);
            if (c.expectResponse.headers) expect(response.headers).toMatchObject(c.expectResponse.headers);
          }
        });
      }
    });

  if (suite.outgoing?.length)
    describe(`${adapter.kind}: outgoing`, () => {
      for (const c of suite.outgoing ?? []) {
        it(c.label, async () => {
          stub.reset(c.vendorResponses ?? [{ status: 200, body: "{}" }]);
          const ctx = testContext(adapter, { ...suite.config(stub.url), ...c.config }, stub.url);
          const message: OutboundMessage = {
            id: "11111111-1111-4111-8111-111111111111",
            to: "+15005550006",
            from: "+15005550001",
            body: "Hello from the harness",
            mediaUrls: [],
            numericId: 4242,
            ...c.message,
          };
          let result: SendResult | undefined;
          let error: unknown;
          try {
            result = await adapter.send(ctx, message);
          } catch (e) {
            error = e;
          }
          if (c.expectError) {
            expect(error, "send should have failed").toBeDefined();
            expect(error).toMatchObject(Object.fromEntries(Object.entries(c.expectError).filter(([k]) => k !== "description")));
            if (c.expectError.description)
              expect((error as { description: string }).description).toMatch(c.expectError.description);
          } else if (error) {
            throw error;
          }
          if (typeof c.expectResult === "function") c.expectResult(result!);
          else if (c.expectResult) expect(result).toEqual(c.expectResult);
          if (c.expectRequests) {
            const seen = await stub.waitFor(c.expectRequests.length);
            expect(seen.length, "requests made").toBe(c.expectRequests.length);
            c.expectRequests.forEach((want, i) => {
              const got = seen[i]!;
              expect(got.method).toBe(want.method);
              if (typeof want.path === "string") expect(got.path).toBe(want.path);
              else expect(got.path).toMatch(want.path);
              for (const [name, value] of Object.entries(want.headers ?? {})) {
                if (typeof value === "string") expect(got.headers[name.toLowerCase()], name).toBe(value);
                else expect(got.headers[name.toLowerCase()], name).toMatch(value);
              }
              if (typeof want.body === "function") want.body(got.body);
              else if (typeof want.body === "string") expect(got.body).toBe(want.body);
              else if (want.body) expect(got.body).toMatch(want.body);
            });
          }
        });
      }
    });
}

/** A context as production builds it, pointed at the stub vendor, without the database log. */
export function testContext(adapter: AnyVendorAdapter, config: Record<string, unknown>, baseUrl: string): VendorContext {
  return {
    account: { ...TEST_ACCOUNT, kind: adapter.kind },
    config: adapter.configSchema.parse(config) as Record<string, unknown>,
    http: createVendorHttp({ secrets: [] }),
    webhookUrl: (action) => `${baseUrl}/api/webhooks/${adapter.kind}/${TEST_ACCOUNT.webhookToken}/${action}`,
    defaultCountry: "US",
    now: () => new Date("2026-01-02T03:04:05.000Z"),
  };
}

/** A loopback HTTP server standing in for a vendor (or for our webhook, for the fake vendor's callbacks). */
export class StubVendor {
  url = "";
  requests: RecordedRequest[] = [];
  private responses: StubResponse[] = [{ status: 200, body: "{}" }];
  private server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      this.requests.push({
        method: req.method ?? "",
        path: req.url ?? "",
        headers: lower(req.headers as Record<string, string>),
        body,
      });
      const answer = this.responses.length > 1 ? this.responses.shift()! : this.responses[0]!;
      res.writeHead(answer.status, { "content-type": "application/json", ...answer.headers });
      res.end(answer.body);
    });
  });

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  reset(responses: StubResponse[]): void {
    this.requests = [];
    this.responses = [...responses];
  }

  async waitFor(count: number, timeoutMs = 3000): Promise<RecordedRequest[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.requests.length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    // A little longer, so an unexpected extra request is seen too.
    await new Promise((r) => setTimeout(r, 50));
    return this.requests;
  }
}

function lower(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
}

function queryString(query: Record<string, string> | undefined): string {
  return query && Object.keys(query).length > 0 ? `?${new URLSearchParams(query).toString()}` : "";
}
