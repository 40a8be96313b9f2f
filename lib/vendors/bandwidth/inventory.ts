import { httpFailure, VendorError } from "../errors";
import { basicAuthHeader, type VendorHttpResponse } from "../http";
import type { AvailableNumber, NumberInventory, OwnedNumber, VendorContext } from "../types";
import { retryAfterSeconds } from "../vendor-response";
import type { BandwidthConfig } from "./config";
import {
  child,
  errorsIn,
  parseLoosely,
  readXml,
  refusal,
  saying,
  telephoneNumbers,
  text,
  xmlDocument,
  type BandwidthErrorItem,
} from "./numbers-xml";

type Ctx = VendorContext<BandwidthConfig>;

/** How often and how long buy() and release() wait on Bandwidth's asynchronous orders. */
export type OrderPolling = { intervalMs: number; timeoutMs: number };

type OrderState = { id?: string; status?: string; completed: string[]; errors: BandwidthErrorItem[] };
type OrderKind = "orders" | "disconnects";

const DEFAULT_POLLING: OrderPolling = { intervalMs: 500, timeoutMs: 30_000 };
const FINAL_STATUSES = new Set(["COMPLETE", "PARTIAL", "FAILED"]);
const NANP = /^\+1([2-9]\d{2}[2-9]\d{6})$/;
// Bandwidth's voice and messaging numbers do all three; the API does not say per number.
const CAPABILITIES = { sms: true, mms: true, voice: true };
const TOLL_FREE_AREA_CODES = new Set(["800", "833", "844", "855", "866", "877", "888"]);
const PAGE_SIZE = 500;
const MAX_PAGES = 200; // 100 000 numbers: a bound on a next link that never ends
const MAX_SEARCH = 5000; // availableNumbers' own limit on quantity

/**
 * Bandwidth's Numbers (Dashboard) API, XML over HTTP Basic with the same API user as
 * messaging: availableNumbers, orders, inserviceNumbers and disconnects under
 * /accounts/{accountId}. Orders are asynchronous (RECEIVED, then COMPLETE, PARTIAL or
 * FAILED), so buy() polls the order it placed.
 *
 * A buy must never order twice: it first asks whether the number is already in service on
 * the account (an earlier attempt finished), and an order it stopped waiting on is
 * remembered, so the retry polls that order again instead of placing another. That memory is
 * this process's: after a crash the in-service check finds a finished order, and one still
 * running makes a new order for its number fail at Bandwidth, which sells a number once.
 */
export function createBandwidthInventory(polling: OrderPolling = DEFAULT_POLLING): NumberInventory<BandwidthConfig> {
  const pendingOrders = new Map<string, string>();

  return {
    async search(ctx, { areaCode, limit }) {
      requireSite(ctx);
      if (!/^[2-9]\d{2}$/.test(areaCode))
        throw refusal(
          "bandwidth-area-code",
          `“${areaCode}” is not an area code: Bandwidth wants three digits, the first 2 to 9.`,
        );
      const quantity = String(Math.min(Math.max(Math.trunc(limit) || 1, 1), MAX_SEARCH));
      const response = await request(
        ctx,
        "GET",
        accountUrl(ctx, `/availableNumbers?${new URLSearchParams({ areaCode, quantity })}`),
      );
      if (response.status !== 200) throw numbersError(ctx, response, `search area code ${areaCode}`);
      const result = readXml(response.body, "SearchResult", `the search of area code ${areaCode}`);
      return telephoneNumbers(child(result, "TelephoneNumberList"))
        .slice(0, limit)
        .map((tn): AvailableNumber => ({ e164: `+1${tn}`, capabilities: { ...CAPABILITIES } }));
    },

    async buy(ctx, e164) {
      const tn = tenDigits(e164);
      const siteId = requireSite(ctx);
      if (await isInService(ctx, tn)) return toOwned(tn);
      const key = `${accountUrl(ctx, "")}|${tn}`;
      let orderId = pendingOrders.get(key);
      if (!orderId) {
        orderId = await placeOrder(ctx, tn, siteId);
        pendingOrders.set(key, orderId);
      }
      let order: OrderState;
      try {
        order = await waitForOrder(ctx, "orders", orderId, polling);
      } catch (error) {
        // Bandwidth may still be working on it: the retry asks about the same order.
        if (!(error instanceof VendorError && error.retryable)) pendingOrders.delete(key);
        throw error;
      }
      if (!isFinal(order))
        throw new VendorError({
          code: "bandwidth-order-pending",
          retryable: true,
          description: `Bandwidth is still processing order ${orderId} for ${e164} (${order.status} after ${polling.timeoutMs / 1000} s); trying again looks at the same order.`,
        });
      pendingOrders.delete(key);
      if (order.completed.includes(tn)) return toOwned(tn);
      throw orderFailed(order, tn, `Bandwidth could not sell ${e164} (order ${orderId} ${order.status})`);
    },

    async release(ctx, number) {
      const tn = tenDigits(number.e164);
      // No longer on the account: what the disconnect would do is already so.
      if (!(await isInService(ctx, tn))) return;
      const body = xmlDocument({
        DisconnectTelephoneNumberOrder: {
          name: orderName(ctx),
          DisconnectTelephoneNumberOrderType: { TelephoneNumberList: { TelephoneNumber: [tn] } },
        },
      });
      const response = await request(ctx, "POST", accountUrl(ctx, "/disconnects"), body);
      if (response.status !== 201 && response.status !== 200) throw numbersError(ctx, response, `disconnect ${number.e164}`);
      const placed = readOrder(response, "DisconnectTelephoneNumberOrderResponse", `the disconnect of ${number.e164}`);
      // Accepted is enough: Bandwidth completes a disconnect on its own; we wait only to pass on a refusal.
      if (!placed.id) return;
      const order = isFinal(placed) ? placed : await waitForOrder(ctx, "disconnects", placed.id, polling);
      if (order.status === "COMPLETE" || !isFinal(order)) return;
      throw orderFailed(order, tn, `Bandwidth could not disconnect ${number.e164} (disconnect ${placed.id} ${order.status})`);
    },

    async list(ctx) {
      const owned = new Map<string, OwnedNumber>();
      let query: URLSearchParams | undefined = new URLSearchParams({ page: "1", size: String(PAGE_SIZE) });
      const seen = new Set<string>();
      for (let page = 0; query && page < MAX_PAGES; page++) {
        seen.add(query.toString());
        const response = await request(ctx, "GET", accountUrl(ctx, `/inserviceNumbers?${query}`));
        // 204: Bandwidth's answer when the account has no numbers at all.
        if (response.status === 204) break;
        if (response.status !== 200) throw numbersError(ctx, response, "list the account's numbers");
        const tns = readXml(response.body, "TNs", "the list of numbers in service");
        for (const tn of telephoneNumbers(child(tns, "TelephoneNumbers"))) owned.set(tn, toOwned(tn));
        const next = nextPage(text(child(child(tns, "Links"), "next")));
        query = next && !seen.has(next.toString()) ? next : undefined;
      }
      return [...owned.values()];
    },
  };
}

export const bandwidthInventory = createBandwidthInventory();

/** Orders go to a sub-account; without its ID Bandwidth refuses them, so say which setting before asking. */
function requireSite(ctx: Ctx): string {
  if (ctx.config.siteId) return ctx.config.siteId;
  throw refusal(
    "bandwidth-no-site",
    "Buying numbers through Bandwidth needs the Site ID (sub-account) setting of this account: the sub-account new numbers go to.",
  );
}

/** Bandwidth answers 200 without a body for a number in service on the account, 404 otherwise. */
async function isInService(ctx: Ctx, tn: string): Promise<boolean> {
  const response = await request(ctx, "GET", accountUrl(ctx, `/inserviceNumbers/${tn}`));
  if (response.status === 200) return true;
  if (response.status === 404) return false;
  throw numbersError(ctx, response, `check whether ${tn} is in service`);
}

async function placeOrder(ctx: Ctx, tn: string, siteId: string): Promise<string> {
  // Element order as Bandwidth documents it: the order type, then SiteId and PeerId.
  const body = xmlDocument({
    Order: {
      Name: orderName(ctx),
      ExistingTelephoneNumberOrderType: { TelephoneNumberList: { TelephoneNumber: [tn] } },
      SiteId: siteId,
      PeerId: ctx.config.peerId,
    },
  });
  const response = await request(ctx, "POST", accountUrl(ctx, "/orders"), body);
  if (response.status !== 201 && response.status !== 200) throw numbersError(ctx, response, `order ${tn}`);
  const order = readOrder(response, "OrderResponse", `the order for ${tn}`);
  if (order.id) return order.id;
  // Placed, but without its id we cannot follow it: say where to look rather than order again.
  throw refusal(
    "bad_response",
    `Bandwidth accepted the order for ${tn} without saying its id; check the Bandwidth App before trying again.`,
  );
}

async function waitForOrder(ctx: Ctx, kind: OrderKind, id: string, polling: OrderPolling): Promise<OrderState> {
  const deadline = Date.now() + polling.timeoutMs;
  const root = kind === "orders" ? "OrderResponse" : "DisconnectTelephoneNumberOrderResponse";
  for (;;) {
    await sleep(Math.min(polling.intervalMs, Math.max(0, deadline - Date.now())));
    const what = `${kind === "orders" ? "order" : "disconnect"} ${id}`;
    const response = await request(ctx, "GET", accountUrl(ctx, `/${kind}/${encodeURIComponent(id)}`));
    if (response.status !== 200) throw numbersError(ctx, response, `check ${what}`);
    const order = readOrder(response, root, what);
    if (!order.status) throw refusal("bad_response", `Bandwidth answered about ${what} without its <OrderStatus>.`);
    if (isFinal(order) || Date.now() >= deadline) return { ...order, id };
  }
}

/** An order or disconnect answer: its id (in the body, else the Location header), status, numbers done and errors. */
function readOrder(response: VendorHttpResponse, root: string, what: string): OrderState {
  const doc = readXml(response.body, root, what);
  const echoed = child(doc, "Order") ?? child(doc, "orderRequest");
  const location = response.headers.get("location")?.split("?")[0]?.split("/").pop();
  return {
    id: text(child(echoed, "id")) ?? (location || undefined),
    status: text(child(doc, "OrderStatus"))?.toUpperCase(),
    completed: telephoneNumbers(child(doc, "CompletedNumbers"), "FullNumber"),
    errors: errorsIn(child(doc, "ErrorList")),
  };
}

function isFinal(order: OrderState): boolean {
  return order.status !== undefined && FINAL_STATUSES.has(order.status);
}

function orderFailed(order: OrderState, tn: string, headline: string): VendorError {
  const mine = order.errors.filter((e) => !e.tn || e.tn === tn);
  const errors = mine.length ? mine : order.errors;
  return new VendorError({
    code: "bandwidth-order-failed",
    vendorCode: errors[0]?.code,
    retryable: false,
    description: `${headline}${saying(errors)}.`,
  });
}

/** A refused request: 401/403 name the credentials; 429, 5xx and network trouble are worth retrying. */
function numbersError(ctx: Ctx, response: VendorHttpResponse, what: string): VendorError {
  const errors = errorsIn(parseLoosely(response.body));
  const status = response.status;
  const description =
    status === 401
      ? `Bandwidth refused the API username or password (401) when asked to ${what}. Check them in this account's settings.`
      : status === 403
        ? `Bandwidth refused this API user the Numbers API of account ${ctx.config.accountId} (403) when asked to ${what}; the user needs the Numbers role in the Bandwidth App.`
        : `Bandwidth could not ${what} (${status})${saying(errors)}`;
  return httpFailure(status, description, retryAfterSeconds(response, ctx.now()), errors[0]?.code);
}

/**
 * Bandwidth links the next page as `Link=<…/inserviceNumbers?page=…&size=…>;rel="next";`,
 * on a host and path of its own choosing. Only its page and size are taken, for our own base
 * URL: credentials never follow a link elsewhere.
 */
function nextPage(link: string | undefined): URLSearchParams | undefined {
  const start = link?.indexOf("<") ?? -1;
  const end = link?.indexOf(">", start) ?? -1;
  if (!link || start < 0 || end < 0) return undefined;
  let url: URL;
  try {
    url = new URL(link.slice(start + 1, end));
  } catch {
    return undefined;
  }
  const page = url.searchParams.get("page");
  return page ? new URLSearchParams({ page, size: url.searchParams.get("size") ?? String(PAGE_SIZE) }) : undefined;
}

function request(ctx: Ctx, method: "GET" | "POST", url: string, body?: string): Promise<VendorHttpResponse> {
  const headers: Record<string, string> = {
    authorization: basicAuthHeader(ctx.config.username, ctx.config.password),
    accept: "application/xml",
  };
  if (body !== undefined) headers["content-type"] = "application/xml; charset=utf-8";
  return ctx.http.request({ method, url, headers, body });
}

function accountUrl(ctx: Ctx, path: string): string {
  return `${ctx.config.numbersBaseUrl.replace(/\/+$/, "")}/accounts/${encodeURIComponent(ctx.config.accountId)}${path}`;
}

/** Bandwidth limits order names to 50 characters; ours says where the order came from. */
function orderName(ctx: Ctx): string {
  return `Switchboard: ${ctx.account.name}`.slice(0, 50);
}

/** Bandwidth's Numbers API speaks 10-digit US and Canadian numbers. */
function tenDigits(e164: string): string {
  const tn = NANP.exec(e164)?.[1];
  if (tn) return tn;
  throw refusal("bandwidth-not-nanp", `Bandwidth's Numbers API handles US and Canadian numbers only; ${e164} is not one.`);
}

function toOwned(tn: string): OwnedNumber {
  return {
    e164: `+1${tn}`,
    capabilities: { ...CAPABILITIES },
    vendorNumberId: tn,
    senderType: TOLL_FREE_AREA_CODES.has(tn.slice(0, 3)) ? "TOLL_FREE" : "LONG_CODE",
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
