import { XMLParser } from "fast-xml-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StubVendor, testContext, type StubResponse } from "@/tests/helpers/vendor-harness";
import type { NumberInventory, OwnedNumber, VendorContext } from "../types";
import { bandwidthAdapter } from "./adapter";
import type { BandwidthConfig } from "./config";
import { createBandwidthInventory } from "./inventory";

/**
 * The Numbers API cases: what the stub answers in, the exact requests (XML bodies parsed
 * back) and the result or error out. Polling is fast here; the timing is the only change.
 */
const ACCOUNT = "/api/accounts/9900000";
const BASIC = `Basic ${Buffer.from("api-user:api-password-1").toString("base64")}`;
const ORDER = "f30a31a1-1de4-4939-b094-4521bbe5c8df";
const DISCONNECT = "b902dee1-0585-4258-becd-5c7e51ccf5e1";
const TN = "9195550100";

const stub = new StubVendor();
beforeAll(() => stub.start());
afterAll(() => stub.stop());

type Config = Partial<Record<keyof BandwidthConfig, string | undefined>>;
type Ctx = VendorContext<BandwidthConfig>;

function ctx(config: Config = {}): Ctx {
  const base = {
    accountId: "9900000",
    username: "api-user",
    password: "api-password-1",
    applicationId: "93de2206-9669-4e07-948d-329f4b722ee2",
    siteId: "743",
    apiBaseUrl: `${stub.url}/api/v2`,
    numbersBaseUrl: `${stub.url}/api`,
  };
  return testContext(bandwidthAdapter, { ...base, ...config }, stub.url) as Ctx;
}

const xml = (status: number, body: string, headers: Record<string, string> = {}): StubResponse => ({
  status,
  body: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>${body}`,
  headers: { "content-type": "application/xml", ...headers },
});
const empty = (status: number): StubResponse => ({ status, body: "" });
const tnList = (tns: string[]) => tns.map((tn) => `<TelephoneNumber>${tn}</TelephoneNumber>`).join("");
const errorList = (...errors: [code: string, description: string, tn?: string][]) =>
  `<ErrorList>${errors
    .map(
      ([code, description, tn]) =>
        `<Error><Code>${code}</Code><Description>${description}</Description>${tn ? tnList([tn]) : ""}</Error>`,
    )
    .join("")}</ErrorList>`;
const orderEcho = `<Order><Name>Switchboard: Test account</Name><id>${ORDER}</id><ExistingTelephoneNumberOrderType><TelephoneNumberList>${tnList([TN])}</TelephoneNumberList></ExistingTelephoneNumberOrderType><SiteId>743</SiteId></Order>`;
const orderCreated = xml(201, `<OrderResponse>${orderEcho}<OrderStatus>RECEIVED</OrderStatus></OrderResponse>`, {
  location: `https://dashboard.bandwidth.com/api/accounts/9900000/orders/${ORDER}`,
});
const order = (status: string, completed: string[] = [], errors = "") =>
  xml(
    200,
    `<OrderResponse><CompletedQuantity>${completed.length}</CompletedQuantity>${orderEcho}<OrderStatus>${status}</OrderStatus>` +
      `<CompletedNumbers>${completed.map((tn) => `<TelephoneNumber><FullNumber>${tn}</FullNumber></TelephoneNumber>`).join("")}</CompletedNumbers>${errors}</OrderResponse>`,
  );
const disconnect = (status: number, orderStatus: string, errors = "") =>
  xml(
    status,
    `<DisconnectTelephoneNumberOrderResponse><orderRequest><id>${DISCONNECT}</id><DisconnectTelephoneNumberOrderType><TelephoneNumberList>${tnList([TN])}</TelephoneNumberList></DisconnectTelephoneNumberOrderType></orderRequest>${errors}<OrderStatus>${orderStatus}</OrderStatus></DisconnectTelephoneNumberOrderResponse>`,
  );
const responseStatus = (status: number, code: string, description: string, headers: Record<string, string> = {}) =>
  xml(
    status,
    `<ResponseStatus><ErrorCode>${code}</ErrorCode><Description>${description}</Description></ResponseStatus>`,
    headers,
  );
const tns = (numbers: string[], next?: string) =>
  xml(
    200,
    `<TNs><TotalCount>${numbers.length}</TotalCount><Links><first>Link=&lt;https://dashboard.bandwidth.com:443/v1.0/accounts/9900000/inserviceNumbers?page=1&amp;size=500&gt;;rel="first";</first>` +
      `${next ? `<next>Link=&lt;${next.replaceAll("&", "&amp;")}&gt;;rel="next";</next>` : ""}</Links><TelephoneNumbers><Count>${numbers.length}</Count>${tnList(numbers)}</TelephoneNumbers></TNs>`,
  );

const texts = { sms: true, mms: true, voice: true };
const owned = (tn: string, senderType: OwnedNumber["senderType"] = "LONG_CODE"): OwnedNumber => ({
  e164: `+1${tn}`,
  capabilities: texts,
  vendorNumberId: tn,
  senderType,
});
const orderBody = (extra: object = {}) => ({
  Order: {
    Name: "Switchboard: Test account",
    ExistingTelephoneNumberOrderType: { TelephoneNumberList: { TelephoneNumber: [TN] } },
    SiteId: "743",
    ...extra,
  },
});
const readXml = (body: string): unknown =>
  new XMLParser({ parseTagValue: false, ignoreDeclaration: true, isArray: (name) => name === "TelephoneNumber" }).parse(body);

type Case = {
  label: string;
  call: (inventory: NumberInventory<BandwidthConfig>, ctx: Ctx) => Promise<unknown>;
  config?: Config;
  responses: StubResponse[];
  /** "METHOD path" of every request, in order. */
  requests: string[];
  /** Request bodies by index, parsed back from XML (elements compared in order too). */
  bodies?: Record<number, unknown>;
  raw?: Record<number, RegExp>;
  result?: unknown;
  error?: { code?: string; vendorCode?: string; retryable?: boolean; retryAfterSeconds?: number; description?: RegExp };
};

const search =
  (areaCode: string, limit: number): Case["call"] =>
  (inventory, c) =>
    inventory.search(c, { areaCode, limit });
const buy =
  (e164: string): Case["call"] =>
  (inventory, c) =>
    inventory.buy(c, e164);
const release =
  (e164: string): Case["call"] =>
  (inventory, c) =>
    inventory.release(c, { e164, vendorNumberId: e164.slice(2) });
const list: Case["call"] = (inventory, c) => inventory.list(c);
const inService = `GET ${ACCOUNT}/inserviceNumbers/${TN}`;

const cases: Case[] = [
  {
    label: "search: availableNumbers by area code and quantity, answered in E.164, skipping what is not a number",
    call: search("919", 3),
    responses: [
      xml(
        200,
        `<SearchResult><ResultCount>4</ResultCount><TelephoneNumberList>${tnList(["9195550100", "9195550101", "n/a", "9195550102"])}</TelephoneNumberList></SearchResult>`,
      ),
    ],
    requests: [`GET ${ACCOUNT}/availableNumbers?areaCode=919&quantity=3`],
    result: ["+19195550100", "+19195550101", "+19195550102"].map((e164) => ({ e164, capabilities: texts })),
  },
  {
    label: "search: one number is still a list, and at most `limit` come back",
    call: search("919", 1),
    responses: [
      xml(
        200,
        `<SearchResult><ResultCount>1</ResultCount><TelephoneNumberList>${tnList([TN])}</TelephoneNumberList></SearchResult>`,
      ),
    ],
    requests: [`GET ${ACCOUNT}/availableNumbers?areaCode=919&quantity=1`],
    result: [{ e164: `+1${TN}`, capabilities: texts }],
  },
  {
    label: "search: nothing available is an empty <SearchResult/>",
    call: search("919", 5),
    responses: [xml(200, "<SearchResult/>")],
    requests: [`GET ${ACCOUNT}/availableNumbers?areaCode=919&quantity=5`],
    result: [],
  },
  {
    label: "search: an area code Bandwidth would refuse is not sent",
    call: search("112", 5),
    responses: [],
    requests: [],
    error: { code: "bandwidth-area-code", retryable: false, description: /“112” is not an area code/ },
  },
  {
    label: "search: Bandwidth's <SearchResult><Error> is passed on and not retried",
    call: search("919", 5),
    responses: [
      xml(
        400,
        "<SearchResult><Error><Code>4010</Code><Description>One of more required search parameters are null or empty</Description></Error></SearchResult>",
      ),
    ],
    requests: [`GET ${ACCOUNT}/availableNumbers?areaCode=919&quantity=5`],
    error: {
      code: "http_400",
      vendorCode: "4010",
      retryable: false,
      description: /search area code 919 \(400\): 4010 One of more required/,
    },
  },
  {
    label: "search: 401 says the credentials were refused",
    call: search("919", 5),
    responses: [empty(401)],
    requests: [`GET ${ACCOUNT}/availableNumbers?areaCode=919&quantity=5`],
    error: { code: "http_401", retryable: false, description: /^Bandwidth refused the API username or password \(401\)/ },
  },
  {
    label: "search: 403 says the user lacks the Numbers API",
    call: search("919", 5),
    responses: [empty(403)],
    requests: [`GET ${ACCOUNT}/availableNumbers?areaCode=919&quantity=5`],
    error: { code: "http_403", retryable: false, description: /Numbers API of account 9900000 \(403\).*Numbers role/ },
  },
  {
    label: "search: 503 is worth retrying, after Bandwidth's Retry-After",
    call: search("919", 5),
    responses: [responseStatus(503, "503", "Service unavailable", { "retry-after": "3" })],
    requests: [`GET ${ACCOUNT}/availableNumbers?areaCode=919&quantity=5`],
    error: { code: "http_503", retryable: true, retryAfterSeconds: 3, description: /\(503\): 503 Service unavailable/ },
  },
  {
    label: "search: malformed XML is a clear error",
    call: search("919", 5),
    responses: [xml(200, `<SearchResult><TelephoneNumberList>${tnList([TN])}</SearchResult>`)],
    requests: [`GET ${ACCOUNT}/availableNumbers?areaCode=919&quantity=5`],
    error: { code: "bad_response", retryable: false, description: /search of area code 919 with malformed XML \(.+, line 1\)/ },
  },
  {
    label: "search: XML that is not a <SearchResult> is a clear error",
    call: search("919", 5),
    responses: [xml(200, "<html><body>Down for maintenance</body></html>")],
    requests: [`GET ${ACCOUNT}/availableNumbers?areaCode=919&quantity=5`],
    error: { code: "bad_response", description: /without the <SearchResult> element/ },
  },
  {
    label: "search: without a Site ID nothing is asked, and the setting is named",
    call: search("919", 5),
    config: { siteId: undefined },
    responses: [],
    requests: [],
    error: { code: "bandwidth-no-site", retryable: false, description: /Site ID \(sub-account\) setting/ },
  },
  {
    label: "buy: not in service, so it orders the number into the site and location, then polls to COMPLETE",
    call: buy(`+1${TN}`),
    config: { peerId: "518824" },
    responses: [empty(404), orderCreated, order("RECEIVED"), order("COMPLETE", [TN])],
    requests: [inService, `POST ${ACCOUNT}/orders`, `GET ${ACCOUNT}/orders/${ORDER}`, `GET ${ACCOUNT}/orders/${ORDER}`],
    bodies: { 1: orderBody({ PeerId: "518824" }) },
    raw: { 1: /^<\?xml version="1.0" encoding="UTF-8" standalone="yes"\?><Order>/ },
    result: owned(TN),
  },
  {
    label: "buy: the account's name in the order name is escaped, and no PeerId is sent without one",
    call: (inventory, c) => inventory.buy({ ...c, account: { ...c.account, name: "Smith & Sons <East>" } }, `+1${TN}`),
    responses: [empty(404), orderCreated, order("COMPLETE", [TN])],
    requests: [inService, `POST ${ACCOUNT}/orders`, `GET ${ACCOUNT}/orders/${ORDER}`],
    bodies: { 1: { Order: { ...orderBody().Order, Name: "Switchboard: Smith & Sons <East>" } } },
    raw: { 1: /<Name>Switchboard: Smith &amp; Sons &lt;East&gt;<\/Name>/ },
    result: owned(TN),
  },
  {
    label: "buy: a number already in service on the account (an earlier attempt finished) is not ordered again",
    call: buy(`+1${TN}`),
    responses: [empty(200)],
    requests: [inService],
    result: owned(TN),
  },
  {
    label: "buy: a toll-free number is TOLL_FREE",
    call: buy("+18885550100"),
    responses: [empty(200)],
    requests: [`GET ${ACCOUNT}/inserviceNumbers/8885550100`],
    result: owned("8885550100", "TOLL_FREE"),
  },
  {
    label: "buy: the order id comes from the Location header when the body has none",
    call: buy(`+1${TN}`),
    responses: [
      empty(404),
      xml(201, "<OrderResponse><OrderStatus>RECEIVED</OrderStatus></OrderResponse>", {
        location: `https://dashboard.bandwidth.com${ACCOUNT}/orders/${ORDER}`,
      }),
      order("COMPLETE", [TN]),
    ],
    requests: [inService, `POST ${ACCOUNT}/orders`, `GET ${ACCOUNT}/orders/${ORDER}`],
    result: owned(TN),
  },
  {
    label: "buy: a FAILED order passes on Bandwidth's ErrorList and is not retried",
    call: buy(`+1${TN}`),
    responses: [
      empty(404),
      orderCreated,
      order("FAILED", [], errorList(["5005", `Telephone number ${TN} is not available`, TN])),
    ],
    requests: [inService, `POST ${ACCOUNT}/orders`, `GET ${ACCOUNT}/orders/${ORDER}`],
    error: {
      code: "bandwidth-order-failed",
      vendorCode: "5005",
      retryable: false,
      description: new RegExp(
        `could not sell \\+1${TN} \\(order ${ORDER} FAILED\\): 5005 Telephone number ${TN} is not available`,
      ),
    },
  },
  {
    label: "buy: a PARTIAL order without our number fails with the error about our number",
    call: buy(`+1${TN}`),
    responses: [
      empty(404),
      orderCreated,
      order("PARTIAL", ["9195550199"], errorList(["5005", "Someone else's", "9195550198"], ["5020", "Ours", TN])),
    ],
    requests: [inService, `POST ${ACCOUNT}/orders`, `GET ${ACCOUNT}/orders/${ORDER}`],
    error: { code: "bandwidth-order-failed", vendorCode: "5020", description: /PARTIAL\): 5020 Ours\.$/ },
  },
  {
    label: "buy: an order Bandwidth no longer knows (404) is an error, not a wait",
    call: buy(`+1${TN}`),
    responses: [empty(404), orderCreated, responseStatus(404, "5005", `The order ${ORDER} was not found`)],
    requests: [inService, `POST ${ACCOUNT}/orders`, `GET ${ACCOUNT}/orders/${ORDER}`],
    error: {
      code: "http_404",
      vendorCode: "5005",
      retryable: false,
      description: /check order .+ \(404\): 5005 The order .+ was not found/,
    },
  },
  {
    label: "buy: Bandwidth refusing the order itself (an invalid SiteId) is passed on",
    call: buy(`+1${TN}`),
    responses: [
      empty(404),
      xml(400, `<OrderResponse>${errorList(["5016", "The SiteId submitted is invalid."])}${orderEcho}</OrderResponse>`),
    ],
    requests: [inService, `POST ${ACCOUNT}/orders`],
    error: {
      code: "http_400",
      vendorCode: "5016",
      retryable: false,
      description: /order 9195550100 \(400\): 5016 The SiteId submitted is invalid/,
    },
  },
  {
    label: "buy: 503 on the order is worth retrying",
    call: buy(`+1${TN}`),
    responses: [empty(404), responseStatus(503, "503", "Service unavailable")],
    requests: [inService, `POST ${ACCOUNT}/orders`],
    error: { code: "http_503", retryable: true },
  },
  {
    label: "buy: a malformed answer while polling is a clear error",
    call: buy(`+1${TN}`),
    responses: [empty(404), orderCreated, xml(200, "<OrderResponse><OrderStatus>COMPLETE</OrderStatus>")],
    requests: [inService, `POST ${ACCOUNT}/orders`, `GET ${ACCOUNT}/orders/${ORDER}`],
    error: { code: "bad_response", retryable: false, description: new RegExp(`order ${ORDER} with malformed XML`) },
  },
  {
    label: "buy: 401 on the in-service check says the credentials were refused",
    call: buy(`+1${TN}`),
    responses: [empty(401)],
    requests: [inService],
    error: { code: "http_401", retryable: false, description: /refused the API username or password/ },
  },
  {
    label: "buy: a vendor that cannot be reached is worth retrying",
    call: buy(`+1${TN}`),
    config: { numbersBaseUrl: "http://127.0.0.1:9/api" },
    responses: [],
    requests: [],
    error: { code: "network", retryable: true, description: /Could not reach/ },
  },
  {
    label: "buy: a number outside the US and Canada is not asked about",
    call: buy("+447700900123"),
    responses: [],
    requests: [],
    error: { code: "bandwidth-not-nanp", retryable: false, description: /US and Canadian numbers only/ },
  },
  {
    label: "buy: without a Site ID nothing is asked, and the setting is named",
    call: buy(`+1${TN}`),
    config: { siteId: undefined },
    responses: [],
    requests: [],
    error: { code: "bandwidth-no-site", description: /Site ID/ },
  },
  {
    label: "release: a number in service is disconnected (no Site ID needed), waiting for COMPLETE",
    call: release(`+1${TN}`),
    config: { siteId: undefined },
    responses: [empty(200), disconnect(201, "RECEIVED"), disconnect(200, "COMPLETE")],
    requests: [inService, `POST ${ACCOUNT}/disconnects`, `GET ${ACCOUNT}/disconnects/${DISCONNECT}`],
    bodies: {
      1: {
        DisconnectTelephoneNumberOrder: {
          name: "Switchboard: Test account",
          DisconnectTelephoneNumberOrderType: { TelephoneNumberList: { TelephoneNumber: [TN] } },
        },
      },
    },
    result: undefined,
  },
  {
    label: "release: a number no longer in service needs no disconnect",
    call: release(`+1${TN}`),
    responses: [empty(404)],
    requests: [inService],
    result: undefined,
  },
  {
    label: "release: a FAILED disconnect passes on Bandwidth's reason",
    call: release(`+1${TN}`),
    responses: [
      empty(200),
      disconnect(201, "RECEIVED"),
      disconnect(200, "FAILED", errorList(["5011", "The number is protected", TN])),
    ],
    requests: [inService, `POST ${ACCOUNT}/disconnects`, `GET ${ACCOUNT}/disconnects/${DISCONNECT}`],
    error: {
      code: "bandwidth-order-failed",
      vendorCode: "5011",
      retryable: false,
      description: /could not disconnect .+ FAILED\): 5011 The number is protected/,
    },
  },
  {
    label: "release: Bandwidth refusing the disconnect is passed on",
    call: release(`+1${TN}`),
    responses: [empty(200), disconnect(400, "FAILED", errorList(["54321", "Some error description"]))],
    requests: [inService, `POST ${ACCOUNT}/disconnects`],
    error: {
      code: "http_400",
      vendorCode: "54321",
      description: /disconnect \+19195550100 \(400\): 54321 Some error description/,
    },
  },
  {
    label: "list: numbers in service, following Bandwidth's next link on our own base URL",
    call: list,
    responses: [
      tns(
        ["9195550100", "9195550101"],
        "https://dashboard.bandwidth.com:443/v1.0/accounts/9900000/inserviceNumbers?page=9195550102&size=2",
      ),
      tns(["9195550102", "8885550100", "9195550101"]),
    ],
    requests: [`GET ${ACCOUNT}/inserviceNumbers?page=1&size=500`, `GET ${ACCOUNT}/inserviceNumbers?page=9195550102&size=2`],
    result: [owned("9195550100"), owned("9195550101"), owned("9195550102"), owned("8885550100", "TOLL_FREE")],
  },
  {
    label: "list: a next link back to a page already read ends the list",
    call: list,
    responses: [tns([TN], "https://dashboard.bandwidth.com/api/accounts/9900000/inserviceNumbers?page=1&size=500")],
    requests: [`GET ${ACCOUNT}/inserviceNumbers?page=1&size=500`],
    result: [owned(TN)],
  },
  {
    label: "list: 204 is an account without numbers",
    call: list,
    responses: [empty(204)],
    requests: [`GET ${ACCOUNT}/inserviceNumbers?page=1&size=500`],
    result: [],
  },
  {
    label: "list: 500 is worth retrying",
    call: list,
    responses: [responseStatus(500, "500", "Internal error")],
    requests: [`GET ${ACCOUNT}/inserviceNumbers?page=1&size=500`],
    error: { code: "http_500", retryable: true, description: /list the account's numbers \(500\)/ },
  },
];

describe("bandwidth numbers", () => {
  it.each(cases)("$label", async (c) => {
    stub.reset(c.responses);
    const inventory = createBandwidthInventory({ intervalMs: 5, timeoutMs: 500 });
    const outcome = await c.call(inventory, ctx(c.config)).then(
      (result) => ({ result, error: undefined }),
      (error: unknown) => ({ result: undefined, error }),
    );
    if (c.error) {
      expect(outcome.error, "the call should have failed").toMatchObject({ name: "VendorError" });
      const { description, ...rest } = c.error;
      expect(outcome.error).toMatchObject(rest);
      if (description) expect((outcome.error as { description: string }).description).toMatch(description);
    } else {
      if (outcome.error) throw outcome.error;
      expect(outcome.result).toEqual(c.result);
    }
    expect(stub.requests.map((r) => `${r.method} ${r.path}`)).toEqual(c.requests);
    for (const r of stub.requests) {
      expect(r.headers.authorization).toBe(BASIC);
      expect(r.headers.accept).toBe("application/xml");
      if (r.method === "POST") expect(r.headers["content-type"]).toBe("application/xml; charset=utf-8");
    }
    for (const [i, want] of Object.entries(c.bodies ?? {})) {
      // JSON keeps the elements' order, which Bandwidth's schema documents.
      expect(JSON.stringify(readXml(stub.requests[Number(i)]!.body))).toBe(JSON.stringify(want));
    }
    for (const [i, pattern] of Object.entries(c.raw ?? {})) expect(stub.requests[Number(i)]!.body).toMatch(pattern);
  });

  it("an order still RECEIVED when the wait ends is retryable, and the retry polls the same order instead of ordering again", async () => {
    const inventory = createBandwidthInventory({ intervalMs: 5, timeoutMs: 40 });
    stub.reset([empty(404), orderCreated, order("RECEIVED")]);
    await expect(inventory.buy(ctx(), `+1${TN}`)).rejects.toMatchObject({
      code: "bandwidth-order-pending",
      retryable: true,
      description: expect.stringMatching(new RegExp(`still processing order ${ORDER} .+ \\(RECEIVED after 0.04 s\\)`)),
    });
    const first = stub.requests.map((r) => `${r.method} ${r.path}`);
    expect(first.slice(0, 3)).toEqual([inService, `POST ${ACCOUNT}/orders`, `GET ${ACCOUNT}/orders/${ORDER}`]);
    expect(new Set(first.slice(2))).toEqual(new Set([`GET ${ACCOUNT}/orders/${ORDER}`]));

    // A 503 while polling leaves the order remembered too.
    stub.reset([empty(404), responseStatus(503, "503", "Service unavailable")]);
    await expect(inventory.buy(ctx(), `+1${TN}`)).rejects.toMatchObject({ code: "http_503", retryable: true });
    expect(stub.requests.map((r) => `${r.method} ${r.path}`)).toEqual([inService, `GET ${ACCOUNT}/orders/${ORDER}`]);

    stub.reset([empty(404), order("COMPLETE", [TN])]);
    expect(await inventory.buy(ctx(), `+1${TN}`)).toEqual(owned(TN));
    expect(stub.requests.map((r) => `${r.method} ${r.path}`)).toEqual([inService, `GET ${ACCOUNT}/orders/${ORDER}`]);

    // Finished orders are forgotten: a later buy (the number released meanwhile) orders afresh.
    stub.reset([empty(404), orderCreated, order("COMPLETE", [TN])]);
    await inventory.buy(ctx(), `+1${TN}`);
    expect(stub.requests.map((r) => r.method)).toEqual(["GET", "POST", "GET"]);
  });

  it("remembers pending orders per account, so another account's buy of the same number orders for itself", async () => {
    const inventory = createBandwidthInventory({ intervalMs: 5, timeoutMs: 20 });
    stub.reset([empty(404), orderCreated, order("RECEIVED")]);
    await expect(inventory.buy(ctx(), `+1${TN}`)).rejects.toMatchObject({ code: "bandwidth-order-pending" });
    stub.reset([empty(404), orderCreated, order("COMPLETE", [TN])]);
    await inventory.buy(ctx({ accountId: "9900001" }), `+1${TN}`);
    expect(stub.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      "GET /api/accounts/9900001/inserviceNumbers/9195550100",
      "POST /api/accounts/9900001/orders",
      `GET /api/accounts/9900001/orders/${ORDER}`,
    ]);
  });
});
