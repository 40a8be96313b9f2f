import type { ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { and, count, eq, like, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db";
import { auditLog } from "@/db/schema/audit-log";
import { numberOrders } from "@/db/schema/number-orders";
import { orgs } from "@/db/schema/orgs";
import { phoneNumbers } from "@/db/schema/phone-numbers";
import { vendorAccounts } from "@/db/schema/vendor-accounts";
import { enqueue } from "@/lib/jobs";
import { getBoss } from "@/lib/queue";
import { saveVendorAccount, setVendorAccountEnabled } from "@/lib/vendors/accounts";
import { buyNumbersJob } from "@/workers/jobs/buy-numbers";
import { spawnTs, startApp, stopProcess, type RunningApp } from "../helpers/app";
import { memberOf, ownerWithOrg, PASSWORD } from "../helpers/fixtures";
import { HttpSession } from "../helpers/http-session";

/**
 * The numbers page over HTTP against the production build, with real worker processes
 * buying from the fake vendor: orders, progress, hand-added numbers, release, assignment,
 * import, rate overrides, and what a crash in the middle of an order leaves behind.
 */
type Failure = { ok: false; status: number; error: string; fieldErrors?: Record<string, string> };
type Result<T> = { ok: true; data: T } | Failure;
type OrderJson = {
  id: string;
  status: string;
  quantity: number;
  bought: number;
  failed: number;
  error: string | null;
  areaCode: string;
  accountName: string;
};

let app: RunningApp;
let worker: Worker;
let owner: Awaited<ReturnType<typeof ownerWithOrg>>;
let session: HttpSession;
let accountId: string;

beforeAll(async () => {
  [app, worker] = await Promise.all([startApp(), startWorker()]);
  owner = await ownerWithOrg("Numbers");
  session = await HttpSession.signIn(app.url, owner.user.email, PASSWORD);
  accountId = (
    await saveVendorAccount(
      owner.org.id,
      { userId: owner.user.id, label: "test" },
      { kind: "fake", name: "Fake East", values: { deliveryDelayMs: 0 } },
    )
  ).id;
});

afterAll(async () => {
  await worker?.stop();
  await app?.stop();
});

describe("buying numbers", () => {
  it("buys 3 in 212 through a worker, with progress on the JSON route and the numbers on the page", async () => {
    const placed = await act<{ orderId: string }>("buyNumbersAction", {
      vendorAccountId: accountId,
      areaCode: "212",
      quantity: 3,
    });
    expect(placed).toMatchObject({ ok: true });
    const orderId = ok(placed).orderId;

    const seen: OrderJson[] = [];
    const final = await waitFor(async () => {
      const response = await session.request(`/api/orgs/${owner.org.slug}/number-orders/${orderId}`);
      expect(response.status).toBe(200);
      const { order } = (await response.json()) as { order: OrderJson };
      seen.push(order);
      return order.status === "DONE" || order.status === "FAILED" ? order : null;
    }, 100);
    expect(final).toMatchObject({
      id: orderId,
      status: "DONE",
      quantity: 3,
      bought: 3,
      failed: 0,
      error: null,
      areaCode: "212",
      accountName: "Fake East",
    });
    // The bar moved: the worker reported a running order part-way, and progress never went back.
    expect(seen.some((o) => o.status === "RUNNING" && o.bought < 3)).toBe(true);
    expect(seen.map((o) => o.bought)).toEqual([...seen.map((o) => o.bought)].sort((a, b) => a - b));

    const bought = await db
      .select()
      .from(phoneNumbers)
      .where(and(eq(phoneNumbers.orgId, owner.org.id), like(phoneNumbers.e164, "+1212%")));
    expect(bought.map((n) => n.e164).sort()).toEqual(["+12125550100", "+12125550101", "+12125550102"]);
    expect(bought.every((n) => n.vendorNumberId?.startsWith("PNFAKE") && n.vendorAccountId === accountId)).toBe(true);

    const page = await numbersPage();
    for (const shown of ["(212) 555-0100", "(212) 555-0101", "(212) 555-0102", "Fake East", "1/s"]) expect(page).toContain(shown);
    expect(page).toContain("(default)");

    const actions = await auditActions(owner.org.id);
    expect(actions.filter((a) => a === "phone_number.buy")).toHaveLength(3);
    expect(actions).toEqual(expect.arrayContaining(["number_order.create", "number_order.done"]));
  });

  it("answers 404 for orders that are not the org's, and 401 without a session", async () => {
    expect((await session.request(`/api/orgs/${owner.org.slug}/number-orders/${randomUUID()}`)).status).toBe(404);
    expect((await session.request(`/api/orgs/${owner.org.slug}/number-orders/not-an-id`)).status).toBe(404);
    const [order] = await db
      .select({ id: numberOrders.id })
      .from(numberOrders)
      .where(eq(numberOrders.orgId, owner.org.id))
      .limit(1);
    expect((await new HttpSession(app.url).request(`/api/orgs/${owner.org.slug}/number-orders/${order!.id}`)).status).toBe(401);
  });

  it("refuses a bad area code, quantity or account at the field, placing no order", async () => {
    const other = await ownerWithOrg("NoInventory");
    const otherSession = await HttpSession.signIn(app.url, other.user.email, PASSWORD);
    // An account whose kind has no number inventory (an SMSsync phone, say).
    const [phone] = await db
      .insert(vendorAccounts)
      .values({ orgId: other.org.id, kind: "smssync", name: "Office phone", webhookToken: `wh_${randomUUID()}` })
      .returning();
    const disabled = await saveVendorAccount(
      owner.org.id,
      { userId: owner.user.id, label: "test" },
      { kind: "fake", name: "Fake Off", values: {} },
    );
    await setVendorAccountEnabled(owner.org.id, disabled.id, false, { userId: owner.user.id, label: "test" });
    const before = await countOrders(owner.org.id);

    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ areaCode: "21" }, "areaCode", /3-digit/],
      [{ areaCode: "abc" }, "areaCode", /3-digit/],
      [{ areaCode: "112" }, "areaCode", /start with 2 to 9/],
      [{ areaCode: "911" }, "areaCode", /service codes/],
      [{ quantity: 0 }, "quantity", /at least 1/],
      [{ quantity: 51 }, "quantity", /at most 50/],
      [{ quantity: "lots" }, "quantity", /how many/],
      [{ vendorAccountId: "" }, "vendorAccountId", /vendor account/],
      [{ vendorAccountId: disabled.id }, "vendorAccountId", /disabled/],
    ];
    for (const [override, field, message] of cases) {
      const result = await act("buyNumbersAction", { vendorAccountId: accountId, areaCode: "212", quantity: 2, ...override });
      expect(result, JSON.stringify(override)).toMatchObject({ ok: false, status: 422 });
      expect((result as Failure).fieldErrors?.[field], JSON.stringify(override)).toMatch(message);
    }
    const noInventory = await otherSession.callAction<Failure>(
      "lib/actions/numbers.ts#buyNumbersAction",
      [other.org.slug, null, { vendorAccountId: phone!.id, areaCode: "212", quantity: 1 }],
      `/${other.org.slug}/numbers`,
    );
    expect(noInventory.result).toMatchObject({ ok: false, status: 422 });
    expect(noInventory.result.fieldErrors?.vendorAccountId).toMatch(/no number inventory/);
    expect(noInventory.result.error).toContain("Office phone");

    expect(await countOrders(owner.org.id)).toBe(before);
    expect(await countOrders(other.org.id)).toBe(0);
    // The page still renders for an org whose account kind has no adapter here.
    expect((await otherSession.request(`/${other.org.slug}/numbers`)).status).toBe(200);
  });

  it("ends with a clear failure when every number on offer is already the org's, and buys what is left otherwise", async () => {
    // The fake vendor offers +1<area>5550100 to 0199; the org already has all of 646's.
    await db
      .insert(phoneNumbers)
      .values(
        Array.from({ length: 100 }, (_, i) => ({
          orgId: owner.org.id,
          vendorAccountId: accountId,
          e164: `+164655501${String(i).padStart(2, "0")}`,
        })),
      );
    const none = await placeAndWait("646", 2);
    expect(none).toMatchObject({ status: "FAILED", bought: 0, failed: 2 });
    expect(none.error).toMatch(/No more numbers available in area code 646/);
    expect(await countLike("+1646%")).toBe(100);

    await db.delete(phoneNumbers).where(and(eq(phoneNumbers.orgId, owner.org.id), eq(phoneNumbers.e164, "+16465550177")));
    const partly = await placeAndWait("646", 3);
    expect(partly).toMatchObject({ status: "DONE", bought: 1, failed: 2 });
    expect(partly.error).toMatch(/^Bought 1 of 3\. No more numbers available/);
    expect(await countLike("+1646%")).toBe(100);
  });

  it("buys each number once when the same order runs again after finishing, or after its worker is killed mid-way", async () => {
    const [done] = await db
      .select()
      .from(numberOrders)
      .where(and(eq(numberOrders.orgId, owner.org.id), eq(numberOrders.areaCode, "212")));
    const jobId = await enqueue(buyNumbersJob, { orderId: done!.id });
    await waitFor(async () =>
      (await (await getBoss()).getJobById(buyNumbersJob.name, jobId!))?.state === "completed" ? true : null,
    );
    expect(await orderRow(done!.id)).toMatchObject({ status: "DONE", bought: 3, failed: 0 });
    expect(await countLike("+1212%")).toBe(3);

    const orderId = ok(
      await act<{ orderId: string }>("buyNumbersAction", { vendorAccountId: accountId, areaCode: "718", quantity: 12 }),
    ).orderId;
    const midway = await waitFor(async () => {
      const row = await orderRow(orderId);
      return row.bought >= 3 ? row : null;
    }, 20);
    // SIGKILL: the worker gets no chance to finish or tidy up anything.
    worker.kill("SIGKILL");
    await worker.stopped;
    const atCrash = await orderRow(orderId);
    expect(atCrash.status).toBe("RUNNING");
    expect(atCrash.bought).toBeGreaterThanOrEqual(midway.bought);
    expect(atCrash.bought).toBeLessThan(12);
    // What the order row counts is exactly what exists: nothing bought is lost.
    expect(await countLike("+1718%")).toBe(atCrash.bought);

    // Another worker takes the order up again (the killed one's job only comes back after its heartbeat lapses).
    worker = await startWorker();
    await enqueue(buyNumbersJob, { orderId });
    const finished = await waitFor(async () => {
      const row = await orderRow(orderId);
      return row.status === "DONE" || row.status === "FAILED" ? row : null;
    });
    expect(finished).toMatchObject({ status: "DONE", quantity: 12, bought: 12, failed: 0, error: null });
    const numbers = await db
      .select({ e164: phoneNumbers.e164 })
      .from(phoneNumbers)
      .where(and(eq(phoneNumbers.orgId, owner.org.id), like(phoneNumbers.e164, "+1718%")));
    expect(numbers).toHaveLength(12);
    expect(new Set(numbers.map((n) => n.e164)).size).toBe(12);
    const [buys] = await db
      .select({ n: count() })
      .from(auditLog)
      .where(
        and(
          eq(auditLog.orgId, owner.org.id),
          eq(auditLog.action, "phone_number.buy"),
          sql`${auditLog.details}->>'orderId' = ${orderId}`,
        ),
      );
    expect(buys!.n).toBe(12);
  });
});

describe("orders side by side", () => {
  it("gives each number to one order when two orders want the same area code at once", async () => {
    const [first, second] = await Promise.all(
      [4, 5].map(
        async (quantity) =>
          ok(await act<{ orderId: string }>("buyNumbersAction", { vendorAccountId: accountId, areaCode: "917", quantity }))
            .orderId,
      ),
    );
    const rows = await waitFor(async () => {
      const both = await Promise.all([orderRow(first!), orderRow(second!)]);
      return both.every((o) => o.status === "DONE" || o.status === "FAILED") ? both : null;
    });
    expect(rows.map((o) => [o.status, o.bought, o.failed])).toEqual([
      ["DONE", 4, 0],
      ["DONE", 5, 0],
    ]);
    const numbers = await db
      .select({ e164: phoneNumbers.e164 })
      .from(phoneNumbers)
      .where(and(eq(phoneNumbers.orgId, owner.org.id), like(phoneNumbers.e164, "+1917%")));
    expect(new Set(numbers.map((n) => n.e164)).size).toBe(9);
    expect(numbers).toHaveLength(9);
  });
});

describe("numbers by hand", () => {
  it("adds a number typed any way, and refuses an unreadable or duplicate one without writing", async () => {
    const added = await act<{ id: string; e164: string }>("addNumberAction", {
      vendorAccountId: accountId,
      e164: "(212) 555-0199",
      senderType: "TOLL_FREE",
    });
    expect(added).toMatchObject({ ok: true, data: { e164: "+12125550199" } });
    const [row] = await db
      .select()
      .from(phoneNumbers)
      .where(eq(phoneNumbers.id, ok(added).id));
    expect(row).toMatchObject({
      orgId: owner.org.id,
      vendorAccountId: accountId,
      e164: "+12125550199",
      senderType: "TOLL_FREE",
      rate: null,
    });
    expect(await numbersPage()).toContain("3/s");

    const before = await countNumbers(owner.org.id);
    const letters = (await act("addNumberAction", { vendorAccountId: accountId, e164: "abc" })) as Failure;
    expect(letters).toMatchObject({ ok: false, status: 422 });
    expect(letters.fieldErrors?.e164).toMatch(/letters/i);
    const short = (await act("addNumberAction", { vendorAccountId: accountId, e164: "555-01" })) as Failure;
    expect(short.fieldErrors?.e164).toMatch(/not a valid number|not a phone number/i);

    const duplicate = (await act("addNumberAction", { vendorAccountId: accountId, e164: "+1 212 555 0199" })) as Failure;
    expect(duplicate).toMatchObject({ ok: false, status: 409 });
    expect(duplicate.error).toContain("(212) 555-0199");
    expect(duplicate.error).toMatch(/already one of this organization's numbers/);
    expect(duplicate.fieldErrors?.e164).toBeTruthy();

    const unknownAccount = await act("addNumberAction", { vendorAccountId: randomUUID(), e164: "(212) 555-0198" });
    expect(unknownAccount).toMatchObject({ ok: false, status: 404 });
    expect(await countNumbers(owner.org.id)).toBe(before);
  });

  it("reads numbers without a country code in the org's default country", async () => {
    const [org] = await db.select().from(orgs).where(eq(orgs.id, owner.org.id));
    await db
      .update(orgs)
      .set({ features: { ...org!.features, defaultCountry: "GB" } })
      .where(eq(orgs.id, owner.org.id));
    try {
      const added = await act<{ e164: string }>("addNumberAction", { vendorAccountId: accountId, e164: "020 7946 0958" });
      expect(added).toMatchObject({ ok: true, data: { e164: "+442079460958" } });
      expect(await numbersPage()).toContain("+44 20 7946 0958");
    } finally {
      await db.update(orgs).set({ features: org!.features }).where(eq(orgs.id, owner.org.id));
    }
  });

  it("releases a number at the vendor and removes it", async () => {
    const added = ok(await act<{ id: string }>("addNumberAction", { vendorAccountId: accountId, e164: "+1 (415) 555-0111" }));
    expect(await numbersPage()).toContain("(415) 555-0111");
    expect(await act("releaseNumberAction", { numberId: added.id })).toMatchObject({
      ok: true,
      data: { e164: "+14155550111", releasedAtVendor: true },
    });
    expect(await db.select().from(phoneNumbers).where(eq(phoneNumbers.id, added.id))).toHaveLength(0);
    expect(await numbersPage()).not.toContain("(415) 555-0111");
    expect(await act("releaseNumberAction", { numberId: added.id })).toMatchObject({ ok: false, status: 404 });
    expect(await auditActions(owner.org.id)).toContain("phone_number.release");
  });

  it("overrides the sending rate per number and goes back to the default", async () => {
    const added = ok(await act<{ id: string }>("addNumberAction", { vendorAccountId: accountId, e164: "+14155550122" }));
    const set = await act("updateNumberSettingsAction", {
      numberId: added.id,
      senderType: "LONG_CODE",
      rate: "5",
      messagingServiceId: "MG-east",
    });
    expect(set).toMatchObject({ ok: true, data: { rate: 5 } });
    const row = (await numbersPage()).split('data-e164="+14155550122"')[1]!.split("</tr>")[0]!;
    expect(row).toContain("5/s");
    expect(row).toContain("(override)");
    expect(row).toContain("MG-east");

    const bad = (await act("updateNumberSettingsAction", { numberId: added.id, senderType: "LONG_CODE", rate: "-1" })) as Failure;
    expect(bad).toMatchObject({ ok: false, status: 422 });
    expect(bad.fieldErrors?.rate).toMatch(/more than 0/);

    expect(await act("updateNumberSettingsAction", { numberId: added.id, senderType: "SHORT_CODE", rate: "" })).toMatchObject({
      ok: true,
      data: { rate: null },
    });
    const after = (await numbersPage()).split('data-e164="+14155550122"')[1]!.split("</tr>")[0]!;
    expect(after).toContain("100/s");
    expect(after).toContain("(default)");
  });
});

describe("assigning and importing", () => {
  it("assigns a number to a texter and back, refusing people outside the org", async () => {
    const texter = await memberOf(owner.org.id, "Numbers", "TEXTER");
    const outsider = await ownerWithOrg("Outsider");
    const added = ok(await act<{ id: string }>("addNumberAction", { vendorAccountId: accountId, e164: "+14155550133" }));
    const assigned = async () =>
      (await db.select({ a: phoneNumbers.assignedUserId }).from(phoneNumbers).where(eq(phoneNumbers.id, added.id)))[0]!.a;

    expect(await act("assignNumberAction", { numberId: added.id, userId: texter.user.id })).toMatchObject({ ok: true });
    expect(await assigned()).toBe(texter.user.id);
    // The select streams in its own chunk (its bound action is encrypted first), so find it by its label.
    const select = /aria-label="Texter for \(415\) 555-0133">(.*?)<\/select>/.exec(await numbersPage())?.[1];
    expect(select).toMatch(new RegExp(`<option value="${texter.user.id}" selected="">Numbers TEXTER</option>`));

    const refused = (await act("assignNumberAction", { numberId: added.id, userId: outsider.user.id })) as Failure;
    expect(refused).toMatchObject({ ok: false, status: 422 });
    expect(refused.fieldErrors?.userId).toMatch(/member/);
    expect(await assigned()).toBe(texter.user.id);

    expect(await act("assignNumberAction", { numberId: added.id, userId: null })).toMatchObject({ ok: true });
    expect(await assigned()).toBeNull();
    expect(await act("assignNumberAction", { numberId: added.id, userId: texter.user.id })).toMatchObject({ ok: true });
    expect(await act("assignNumberAction", { numberId: added.id, userId: "" })).toMatchObject({ ok: true });
    expect(await assigned()).toBeNull();
    expect(await auditActions(owner.org.id)).toEqual(expect.arrayContaining(["phone_number.assign", "phone_number.unassign"]));
  });

  it("lets an admin see and assign numbers but not buy, add or release them", async () => {
    const admin = await memberOf(owner.org.id, "Numbers", "ADMIN");
    const adminSession = await HttpSession.signIn(app.url, admin.user.email, PASSWORD);
    const page = await adminSession.request(`/${owner.org.slug}/numbers`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("(212) 555-0100");
    expect(html).not.toContain("Buy numbers");
    const [number] = await db
      .select()
      .from(phoneNumbers)
      .where(and(eq(phoneNumbers.orgId, owner.org.id), eq(phoneNumbers.e164, "+12125550100")));
    const call = (name: string, input: Record<string, unknown>) =>
      adminSession.callAction(`lib/actions/numbers.ts#${name}`, [owner.org.slug, null, input], `/${owner.org.slug}/numbers`);
    expect((await call("assignNumberAction", { numberId: number!.id, userId: admin.user.id })).result).toMatchObject({
      ok: true,
    });
    expect((await call("buyNumbersAction", { vendorAccountId: accountId, areaCode: "212", quantity: 1 })).result).toMatchObject({
      ok: false,
      status: 403,
    });
    expect((await call("addNumberAction", { vendorAccountId: accountId, e164: "+14155550144" })).result).toMatchObject({
      ok: false,
      status: 403,
    });
    expect((await call("releaseNumberAction", { numberId: number!.id })).result).toMatchObject({ ok: false, status: 403 });
    expect(await db.select().from(phoneNumbers).where(eq(phoneNumbers.id, number!.id))).toHaveLength(1);
  });

  it("imports the numbers an account already owns: 2, then none the second time", async () => {
    const first = await act<{ imported: number; alreadyPresent: number; numbers: string[] }>("importOwnedNumbersAction", {
      vendorAccountId: accountId,
    });
    expect(first).toMatchObject({ ok: true, data: { imported: 2, alreadyPresent: 0 } });
    const imported = ok(first).numbers;
    expect(imported).toHaveLength(2);
    expect(imported.every((e164) => /^\+120155501\d\d$/.test(e164))).toBe(true);
    const rows = await db
      .select()
      .from(phoneNumbers)
      .where(and(eq(phoneNumbers.orgId, owner.org.id), like(phoneNumbers.e164, "+1201%")));
    expect(rows.map((r) => r.e164).sort()).toEqual([...imported].sort());
    expect(rows.every((r) => r.vendorAccountId === accountId && r.vendorNumberId)).toBe(true);

    expect(await act("importOwnedNumbersAction", { vendorAccountId: accountId })).toMatchObject({
      ok: true,
      data: { imported: 0, alreadyPresent: 2 },
    });
    expect(await countLike("+1201%")).toBe(2);
  });
});

// --- helpers ---

type Worker = ChildProcess & { stop: () => Promise<void>; stopped: Promise<void> };

/** A real worker process (`npm run worker`) on this file's database, ready once it says it is working. */
async function startWorker(): Promise<Worker> {
  const child = spawnTs("workers/run.ts", [], { DATABASE_URL: process.env.DATABASE_URL! }) as Worker;
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stopped = new Promise((resolve) => child.once("exit", () => resolve()));
  child.stop = () => stopProcess(child);
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`worker exited:\n${output}`);
      return output.includes("working") ? true : null;
    },
    100,
    60_000,
  );
  return child;
}

async function act<T = unknown>(name: string, input: Record<string, unknown>): Promise<Result<T>> {
  return (
    await session.callAction<Result<T>>(
      `lib/actions/numbers.ts#${name}`,
      [owner.org.slug, null, input],
      `/${owner.org.slug}/numbers`,
    )
  ).result;
}

function ok<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected success, got ${result.status}: ${result.error}`);
  return result.data;
}

async function numbersPage(): Promise<string> {
  const response = await session.request(`/${owner.org.slug}/numbers`);
  expect(response.status).toBe(200);
  return response.text();
}

async function placeAndWait(areaCode: string, quantity: number) {
  const orderId = ok(
    await act<{ orderId: string }>("buyNumbersAction", { vendorAccountId: accountId, areaCode, quantity }),
  ).orderId;
  return waitFor(async () => {
    const row = await orderRow(orderId);
    return row.status === "DONE" || row.status === "FAILED" ? row : null;
  });
}

async function orderRow(orderId: string) {
  const [row] = await db.select().from(numberOrders).where(eq(numberOrders.id, orderId));
  return row!;
}

async function countLike(pattern: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(phoneNumbers)
    .where(and(eq(phoneNumbers.orgId, owner.org.id), like(phoneNumbers.e164, pattern)));
  return row!.n;
}

async function countOrders(orgId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(numberOrders).where(eq(numberOrders.orgId, orgId));
  return row!.n;
}

async function countNumbers(orgId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(phoneNumbers).where(eq(phoneNumbers.orgId, orgId));
  return row!.n;
}

async function auditActions(orgId: string): Promise<string[]> {
  return (await db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.orgId, orgId))).map((r) => r.action);
}

async function waitFor<T>(probe: () => Promise<T | null>, intervalMs = 150, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
