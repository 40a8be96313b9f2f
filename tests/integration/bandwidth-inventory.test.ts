import { eq } from "drizzle-orm";
import { XMLParser } from "fast-xml-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db";
import { numberOrders } from "@/db/schema/number-orders";
import { phoneNumbers } from "@/db/schema/phone-numbers";
import { vendorRequestLogs } from "@/db/schema/vendor-request-logs";
import { createNumberOrder, importOwnedNumbers, releaseNumber, searchAvailableNumbers } from "@/lib/numbers";
import { saveVendorAccount } from "@/lib/vendors/accounts";
import { bandwidthAdapter } from "@/lib/vendors/bandwidth/adapter";
import type { BandwidthConfig } from "@/lib/vendors/bandwidth/config";
import { createBandwidthInventory } from "@/lib/vendors/bandwidth/inventory";
import type { VendorContext } from "@/lib/vendors/types";
import { startSimulator, type Simulator } from "@/sim/index";
import type { RecordedRequest } from "@/sim/state";
import { startWorker, type RunningWorker } from "../helpers/app";
import { ownerWithOrg } from "../helpers/fixtures";
import { until } from "../helpers/sim-pipeline";
import { testContext } from "../helpers/vendor-harness";

/**
 * Bandwidth's Numbers API over real HTTP against the simulator: the adapter's inventory on
 * its own (search, an order from RECEIVED to COMPLETE, list, a second buy that orders
 * nothing, disconnect), then the same through our numbers code and a worker process.
 */
const DEMO = {
  accountId: "9900000",
  username: "sim-bandwidth-user",
  password: "sim-bandwidth-password",
  applicationId: "93de2206-9669-4e07-948d-329f4b722ee2",
  siteId: "743",
};
const REPORT_DELAY_MS = 50;

let sim: Simulator;
let ctx: VendorContext<BandwidthConfig>;
const inventory = bandwidthAdapter.inventory;

beforeAll(async () => {
  sim = await startSimulator({ delayMs: REPORT_DELAY_MS });
  ctx = contextFor(DEMO);
});

afterAll(async () => {
  await sim?.stop();
});

describe("the Bandwidth inventory against the simulator", () => {
  it("searches 919, buys a number through its order, lists it, buys it again without a second order, and releases it", async () => {
    const found = await inventory.search(ctx, { areaCode: "919", limit: 5 });
    expect(found.map((n) => n.e164)).toEqual(["+19195550100", "+19195550101", "+19195550102", "+19195550103", "+19195550104"]);
    expect(found.every((n) => n.capabilities.sms && n.capabilities.mms)).toBe(true);
    expect(dashboard().at(-1)).toMatchObject({
      method: "GET",
      path: "/api/accounts/9900000/availableNumbers",
      query: { areaCode: "919", quantity: "5" },
    });

    sim.control.clearRequests();
    const bought = await inventory.buy(ctx, "+19195550100");
    expect(bought).toEqual({
      e164: "+19195550100",
      capabilities: { sms: true, mms: true, voice: true },
      vendorNumberId: "9195550100",
      senderType: "LONG_CODE",
    });
    const [check, post, ...polls] = dashboard();
    expect(check).toMatchObject({ method: "GET", path: "/api/accounts/9900000/inserviceNumbers/9195550100" });
    expect(post).toMatchObject({ method: "POST", path: "/api/accounts/9900000/orders" });
    expect(post!.headers["content-type"]).toBe("application/xml; charset=utf-8");
    expect(readXml(post!.body)).toEqual({
      Order: {
        Name: "Switchboard: Test account",
        ExistingTelephoneNumberOrderType: { TelephoneNumberList: { TelephoneNumber: ["9195550100"] } },
        SiteId: "743",
      },
    });
    expect(polls.length).toBeGreaterThanOrEqual(1);
    expect(polls.every((p) => p.method === "GET" && /^\/api\/accounts\/9900000\/orders\/[\w-]+$/.test(p.path))).toBe(true);

    expect((await inventory.list(ctx)).map((n) => n.e164)).toContain("+19195550100");

    sim.control.clearRequests();
    expect(await inventory.buy(ctx, "+19195550100")).toEqual(bought);
    expect(dashboard().map((r) => `${r.method} ${r.path}`)).toEqual(["GET /api/accounts/9900000/inserviceNumbers/9195550100"]);

    sim.control.clearRequests();
    await inventory.release(ctx, { e164: "+19195550100", vendorNumberId: "9195550100" });
    const [, disconnect] = dashboard();
    expect(disconnect).toMatchObject({ method: "POST", path: "/api/accounts/9900000/disconnects" });
    expect(readXml(disconnect!.body)).toEqual({
      DisconnectTelephoneNumberOrder: {
        name: "Switchboard: Test account",
        DisconnectTelephoneNumberOrderType: { TelephoneNumberList: { TelephoneNumber: ["9195550100"] } },
      },
    });
    expect((await inventory.list(ctx)).map((n) => n.e164)).not.toContain("+19195550100");
    // Released already: a second release asks, and disconnects nothing.
    sim.control.clearRequests();
    await inventory.release(ctx, { e164: "+19195550100", vendorNumberId: null });
    expect(dashboard().map((r) => r.method)).toEqual(["GET"]);
  });

  it("an order still RECEIVED when the wait ends fails retryably, and retries follow it to the number, never ordering again", async () => {
    const impatient = createBandwidthInventory({ intervalMs: 20, timeoutMs: 150 });
    sim.control.setReports({ delayMs: 60_000 });
    try {
      sim.control.clearRequests();
      const pending = { code: "bandwidth-order-pending", retryable: true };
      await expect(impatient.buy(ctx, "+19195550101")).rejects.toMatchObject(pending);
      await expect(impatient.buy(ctx, "+19195550101")).rejects.toMatchObject(pending);
      // Bandwidth finishes the order: the next retry finds the number in service.
      sim.control.setReports({ delayMs: REPORT_DELAY_MS });
      expect((await impatient.buy(ctx, "+19195550101")).e164).toBe("+19195550101");
      expect(dashboard().filter((r) => r.method === "POST" && r.path.endsWith("/orders"))).toHaveLength(1);
    } finally {
      sim.control.setReports({ delayMs: REPORT_DELAY_MS });
    }
    await inventory.release(ctx, { e164: "+19195550101", vendorNumberId: "9195550101" });
  });

  it("says when Bandwidth refuses the credentials, and asks nothing without a Site ID", async () => {
    await expect(
      inventory.search(contextFor({ ...DEMO, password: "not-the-password" }), { areaCode: "919", limit: 5 }),
    ).rejects.toMatchObject({
      code: "http_401",
      retryable: false,
      description: expect.stringMatching(/^Bandwidth refused the API username or password \(401\)/),
    });
    sim.control.clearRequests();
    await expect(inventory.buy(contextFor({ ...DEMO, siteId: undefined }), "+19195550102")).rejects.toMatchObject({
      code: "bandwidth-no-site",
      description: expect.stringMatching(/Site ID \(sub-account\)/),
    });
    expect(dashboard()).toHaveLength(0);
  });
});

describe("buying Bandwidth numbers through Switchboard", () => {
  const ACCOUNT = { ...DEMO, accountId: "9912345", username: "switchboard-api", password: "bw-api-password-7" };
  let worker: RunningWorker;

  beforeAll(async () => {
    sim.control.addAccount({ vendor: "bandwidth", ...ACCOUNT });
    worker = await startWorker();
  });

  afterAll(async () => {
    await worker?.stop();
  });

  it("previews 415, a worker buys an order of two, import finds them present, and release disconnects one", async () => {
    const { user, org } = await ownerWithOrg("Bandwidth numbers");
    const actor = { userId: user.id, label: "test" };
    const account = await saveVendorAccount(org.id, actor, {
      kind: "bandwidth",
      name: "Bandwidth East",
      values: { ...ACCOUNT, apiBaseUrl: `${sim.url}/bandwidth/api/v2`, numbersBaseUrl: `${sim.url}/bandwidth-dashboard/api` },
    });

    const preview = await searchAvailableNumbers(org.id, account.id, "415", 5);
    expect(preview.map((n) => [n.e164, n.owned])).toEqual(
      ["+14155550100", "+14155550101", "+14155550102", "+14155550103", "+14155550104"].map((e164) => [e164, false]),
    );

    const { orderId } = await createNumberOrder(org.id, actor, { vendorAccountId: account.id, areaCode: "415", quantity: 2 });
    const finished = await until(async () => {
      const [row] = await db.select().from(numberOrders).where(eq(numberOrders.id, orderId));
      return row && (row.status === "DONE" || row.status === "FAILED") ? row : null;
    }, `order ${orderId} to finish\n${worker.output()}`, 30_000);
    expect(finished).toMatchObject({ status: "DONE", bought: 2, failed: 0, error: null });

    const numbers = await db.select().from(phoneNumbers).where(eq(phoneNumbers.orgId, org.id)).orderBy(phoneNumbers.e164);
    expect(numbers.map((n) => [n.e164, n.vendorNumberId, n.senderType, n.capabilities])).toEqual([
      ["+14155550100", "4155550100", "LONG_CODE", { sms: true, mms: true, voice: true }],
      ["+14155550101", "4155550101", "LONG_CODE", { sms: true, mms: true, voice: true }],
    ]);
    const orders = sim.control
      .requests({ vendor: "bandwidth" })
      .filter((r) => r.method === "POST" && r.path === "/api/accounts/9912345/orders");
    expect(orders.map((r) => readXml(r.body))).toEqual(
      ["4155550100", "4155550101"].map((tn) => ({
        Order: {
          Name: "Switchboard: Bandwidth East",
          ExistingTelephoneNumberOrderType: { TelephoneNumberList: { TelephoneNumber: [tn] } },
          SiteId: "743",
        },
      })),
    );

    // Every exchange is on the account's Logs tab, credentials redacted.
    const logs = await db.select().from(vendorRequestLogs).where(eq(vendorRequestLogs.vendorAccountId, account.id));
    const orderLogs = logs.filter((l) => l.method === "POST" && l.url.endsWith("/accounts/9912345/orders"));
    expect(orderLogs).toHaveLength(2);
    expect(orderLogs.every((l) => l.requestHeaders.authorization === "[redacted]" && l.status === 201)).toBe(true);
    expect(JSON.stringify(logs)).not.toContain(ACCOUNT.password);

    expect(await importOwnedNumbers(org.id, actor, account.id)).toMatchObject({ imported: 0, alreadyPresent: 2 });

    expect(await releaseNumber(org.id, actor, numbers[0]!.id)).toEqual({ e164: "+14155550100", releasedAtVendor: true });
    const disconnects = sim.control
      .requests({ vendor: "bandwidth" })
      .filter((r) => r.method === "POST" && r.path === "/api/accounts/9912345/disconnects");
    expect(disconnects.map((r) => readXml(r.body))).toEqual([
      {
        DisconnectTelephoneNumberOrder: {
          name: "Switchboard: Bandwidth East",
          DisconnectTelephoneNumberOrderType: { TelephoneNumberList: { TelephoneNumber: ["4155550100"] } },
        },
      },
    ]);
    const left = await db.select({ e164: phoneNumbers.e164 }).from(phoneNumbers).where(eq(phoneNumbers.orgId, org.id));
    expect(left).toEqual([{ e164: "+14155550101" }]);
    expect((await inventory.list(contextFor(ACCOUNT))).map((n) => n.e164)).toEqual(["+14155550101"]);
  });
});

function contextFor(values: Record<string, string | undefined>): VendorContext<BandwidthConfig> {
  const config = { ...values, apiBaseUrl: `${sim.url}/bandwidth/api/v2`, numbersBaseUrl: `${sim.url}/bandwidth-dashboard/api` };
  return testContext(bandwidthAdapter, config, sim.url) as VendorContext<BandwidthConfig>;
}

/** What the simulator's Numbers API received, oldest first. */
function dashboard(): RecordedRequest[] {
  return sim.control.requests({ vendor: "bandwidth" }).filter((r) => r.api === "bandwidth-dashboard");
}

function readXml(body: string): unknown {
  return new XMLParser({ parseTagValue: false, ignoreDeclaration: true, isArray: (name) => name === "TelephoneNumber" }).parse(
    body,
  );
}

