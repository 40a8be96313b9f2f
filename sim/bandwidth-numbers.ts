import { randomUUID } from "node:crypto";
import type { SimContext } from "./context";
import type { SimRequest, SimResponse } from "./http";
import { authenticateBandwidth } from "./bandwidth";
import type { BandwidthOrder } from "./state";

/**
 * dashboard.bandwidth.com's Numbers API (XML), the part a hub needs: search available
 * numbers by area code, order them (by list or by area code), poll the order, list numbers
 * in service, and disconnect. Orders are RECEIVED, then COMPLETE once the report delay has
 * passed, as Bandwidth processes them asynchronously. Numbers for sale are 555-01XX.
 */
const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';

export async function handleBandwidthNumbers(ctx: SimContext, request: SimRequest): Promise<SimResponse> {
  const match = /^\/api\/accounts\/([^/]+)\/(availableNumbers|orders|inserviceNumbers|disconnects)(?:\/([\w-]+))?$/.exec(
    request.path,
  );
  if (!match) return { status: 404 };
  const resource = match[2]!;
  const id = match[3];
  const auth = authenticateBandwidth(ctx, request, decodeURIComponent(match[1]!));
  if (!("vendor" in auth)) return { status: auth.status, headers: { "www-authenticate": 'Basic realm="Bandwidth"' } };
  const outcome = await ctx.faults.apply("bandwidth", "numbers", undefined, ctx.signal);
  if (outcome.kind === "http")
    return xml(
      outcome.status,
      `<ResponseStatus><ErrorCode>${outcome.status}</ErrorCode><Description>Simulated HTTP ${outcome.status}</Description></ResponseStatus>`,
    );

  if (resource === "availableNumbers" && request.method === "GET") return search(ctx, request);
  if (resource === "inserviceNumbers" && request.method === "GET") {
    const tns = inService(ctx, auth.accountId);
    // One number: 200 without a body when it is in service, else 404. No numbers at all: 204.
    if (id) return { status: tns.includes(id) ? 200 : 404 };
    if (tns.length === 0) return { status: 204 };
    return xml(
      200,
      `<TNs><TotalCount>${tns.length}</TotalCount><Links><first>Link=&lt;${ctx.baseUrl()}/bandwidth-dashboard${request.path}?page=1&amp;size=500&gt;;rel="first";</first></Links><TelephoneNumbers><Count>${tns.length}</Count>${list(tns)}</TelephoneNumbers></TNs>`,
    );
  }
  if ((resource === "orders" || resource === "disconnects") && request.method === "POST" && !id) {
    const order =
      resource === "orders" ? placeOrder(ctx, auth.accountId, request.body) : disconnect(ctx, auth.accountId, request.body);
    ctx.state.bandwidthOrders.push(order);
    return xml(201, render(order, "RECEIVED"), {
      location: `${ctx.baseUrl()}/bandwidth-dashboard/api/accounts/${auth.accountId}/${resource}/${order.id}`,
    });
  }
  if ((resource === "orders" || resource === "disconnects") && request.method === "GET" && id) {
    const order = ctx.state.bandwidthOrders.find(
      (o) => o.id === id && o.accountId === auth.accountId && (o.kind === "order") === (resource === "orders"),
    );
    if (!order)
      return xml(
        404,
        `<ResponseStatus><ErrorCode>5005</ErrorCode><Description>The order ${id} was not found</Description></ResponseStatus>`,
      );
    return xml(
      200,
      render(
        order,
        !isDone(ctx, order) ? "RECEIVED" : order.failed.length === 0 ? "COMPLETE" : order.completed.length ? "PARTIAL" : "FAILED",
      ),
    );
  }
  return { status: 405 };
}

/** The account's numbers in service: an order's numbers join once the order is done, not when it is placed. */
function inService(ctx: SimContext, accountId: string): string[] {
  const pending = new Set(
    ctx.state.bandwidthOrders
      .filter((o) => o.kind === "order" && o.accountId === accountId && !isDone(ctx, o))
      .flatMap((o) => o.completed),
  );
  return ctx.state.bandwidthNumbers.filter((n) => n.accountId === accountId && !pending.has(n.tn)).map((n) => n.tn);
}

function isDone(ctx: SimContext, order: BandwidthOrder): boolean {
  return Date.now() - order.createdAt.getTime() >= ctx.state.reports.delayMs;
}

function search(ctx: SimContext, request: SimRequest): SimResponse {
  const areaCode = request.query.get("areaCode") ?? "";
  const quantity = Math.min(Math.max(Number(request.query.get("quantity") ?? 5000) || 5000, 1), 5000);
  if (!/^[2-9]\d{2}$/.test(areaCode))
    return xml(
      400,
      `<SearchResult><Error><Code>4000</Code><Description>The area code ${escape(areaCode)} is not valid; give areaCode</Description></Error></SearchResult>`,
    );
  const tns = forSale(ctx, areaCode).slice(0, quantity);
  return xml(
    200,
    `<SearchResult><ResultCount>${tns.length}</ResultCount><TelephoneNumberList>${list(tns)}</TelephoneNumberList></SearchResult>`,
  );
}

function placeOrder(ctx: SimContext, accountId: string, body: string): BandwidthOrder {
  const areaCode = tag(body, "AreaCode");
  const wanted = areaCode ? forSale(ctx, areaCode).slice(0, Number(tag(body, "Quantity") ?? 1)) : numbersIn(body);
  const taken = new Set(ctx.state.bandwidthNumbers.map((n) => n.tn));
  const completed = wanted.filter((tn) => /^[2-9]\d{2}[2-9]\d{6}$/.test(tn) && !taken.has(tn));
  for (const tn of completed) ctx.state.bandwidthNumbers.push({ accountId, tn });
  return order(
    "order",
    accountId,
    body,
    completed,
    wanted.filter((tn) => !completed.includes(tn)),
  );
}

function disconnect(ctx: SimContext, accountId: string, body: string): BandwidthOrder {
  const wanted = numbersIn(body);
  const mine = (tn: string) => ctx.state.bandwidthNumbers.findIndex((n) => n.tn === tn && n.accountId === accountId);
  const completed = wanted.filter((tn) => mine(tn) >= 0);
  for (const tn of completed) ctx.state.bandwidthNumbers.splice(mine(tn), 1);
  return order(
    "disconnect",
    accountId,
    body,
    completed,
    wanted.filter((tn) => !completed.includes(tn)),
  );
}

function order(
  kind: BandwidthOrder["kind"],
  accountId: string,
  body: string,
  completed: string[],
  failed: string[],
): BandwidthOrder {
  const type = /<(\w+OrderType)>[\s\S]*<\/\1>/.exec(body)?.[0] ?? "";
  return {
    id: randomUUID(),
    kind,
    accountId,
    name: tag(body, "Name") ?? tag(body, "name") ?? "",
    siteId: tag(body, "SiteId") ?? "",
    requestXml: type,
    completed,
    failed,
    createdAt: new Date(),
  };
}

function render(order: BandwidthOrder, status: string): string {
  const created = `<OrderCreateDate>${order.createdAt.toISOString()}</OrderCreateDate>`;
  // Bandwidth's words for a number it cannot sell, and for one a disconnect cannot find on the account.
  const error =
    order.kind === "order"
      ? (tn: string) => `<Code>5005</Code><Description>Telephone number ${tn} is not available</Description>`
      : () =>
          "<Code>5006</Code><Description>Telephone number could not be disconnected since it is not associated with your account</Description>";
  const errors = order.failed.length
    ? `<ErrorList>${order.failed.map((tn) => `<Error>${error(tn)}<TelephoneNumber>${tn}</TelephoneNumber></Error>`).join("")}</ErrorList>`
    : "";
  if (order.kind === "disconnect")
    return `<DisconnectTelephoneNumberOrderResponse><orderRequest>${created}<id>${order.id}</id>${order.requestXml}</orderRequest>${errors}<OrderStatus>${status}</OrderStatus></DisconnectTelephoneNumberOrderResponse>`;
  const done = status !== "RECEIVED";
  const numbers = done
    ? `<CompletedNumbers>${order.completed.map((tn) => `<TelephoneNumber><FullNumber>${tn}</FullNumber></TelephoneNumber>`).join("")}</CompletedNumbers>`
    : "";
  const counts = done
    ? `<CompletedQuantity>${order.completed.length}</CompletedQuantity><FailedQuantity>${order.failed.length}</FailedQuantity>`
    : "";
  const inner = `${created}<Name>${escape(order.name)}</Name><id>${order.id}</id>${order.requestXml}<PartialAllowed>true</PartialAllowed><SiteId>${escape(order.siteId)}</SiteId>`;
  return `<OrderResponse>${counts}<Order>${inner}</Order><OrderStatus>${status}</OrderStatus>${numbers}${errors}</OrderResponse>`;
}

function forSale(ctx: SimContext, areaCode: string): string[] {
  const taken = new Set(ctx.state.bandwidthNumbers.map((n) => n.tn));
  return Array.from({ length: 100 }, (_, i) => `${areaCode}55501${String(i).padStart(2, "0")}`).filter((tn) => !taken.has(tn));
}

/** Ten-digit numbers from <TelephoneNumber> elements; a leading +1 or 1 is tolerated. */
function numbersIn(body: string): string[] {
  return [...new Set([...body.matchAll(/<TelephoneNumber>\s*\+?1?(\d{10})\s*<\/TelephoneNumber>/g)].map((m) => m[1]!))];
}

function tag(body: string, name: string): string | undefined {
  return new RegExp(`<${name}>\\s*([^<]*?)\\s*</${name}>`).exec(body)?.[1];
}

function list(tns: string[]): string {
  return tns.map((tn) => `<TelephoneNumber>${tn}</TelephoneNumber>`).join("");
}

function escape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function xml(status: number, body: string, headers: Record<string, string> = {}): SimResponse {
  return { status, headers: { "content-type": "application/xml; charset=utf-8", ...headers }, body: `${XML_HEAD}${body}` };
}
