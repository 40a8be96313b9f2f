import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db";
import { contacts } from "@/db/schema/contacts";
import { numberOrders } from "@/db/schema/number-orders";
import { phoneNumbers } from "@/db/schema/phone-numbers";
import { createContact } from "@/lib/contacts";
import {
  createNumberOrder,
  importOwnedNumbers,
  releaseNumber,
  searchAvailableNumbers,
  updateNumberSettings,
} from "@/lib/numbers";
import {
  orgWithVendorAccount,
  simBaseUrls,
  until,
  pipelineForFile,
  webhookUrl,
  type Pipeline,
  type VendorOrg,
} from "../helpers/sim-pipeline";

/**
 * Twilio's number inventory and Lookup through our own code, the worker and the real
 * adapter, against the simulator: search by area code, buy (the number's SmsUrl is our
 * inbound webhook, so texts to it arrive at once), add it to a Messaging Service, list what
 * the account owns, release; and Lookup v2 line types mapped to Spoke's status codes.
 */
const TWILIO = { accountSid: `AC${"0b5e".repeat(8)}`, authToken: "1234abcd1234abcd1234abcd1234abcd" };
const SERVICE = `MG${"c0de".repeat(8)}`;
let p: Pipeline;
let org: VendorOrg;

pipelineForFile(async (pipeline) => {
  p = pipeline;
  org = await orgWithVendorAccount("Twilio numbers", "twilio", { ...TWILIO, ...simBaseUrls(p.sim).twilio }, []);
  p.sim.control.addAccount({ vendor: "twilio", ...TWILIO });
});

const twilioGet = async (path: string) => {
  const response = await fetch(`${p.sim.url}/twilio/2010-04-01/Accounts/${TWILIO.accountSid}${path}`, {
    headers: { authorization: `Basic ${Buffer.from(`${TWILIO.accountSid}:${TWILIO.authToken}`).toString("base64")}` },
  });
  return (await response.json()) as Record<string, unknown>;
};

describe("Twilio numbers", () => {
  it("searches by area code, buys through the worker with our inbound webhook, adds to a service, lists and releases", async () => {
    const found = await searchAvailableNumbers(org.orgId, org.account.id, "628", 3);
    expect(found.map((n) => n.e164)).toEqual(["+16285550100", "+16285550101", "+16285550102"]);

    const { orderId } = await createNumberOrder(org.orgId, org.actor, {
      vendorAccountId: org.account.id,
      areaCode: "628",
      quantity: 2,
    });
    const order = await until(async () => {
      const [row] = await db.select().from(numberOrders).where(eq(numberOrders.id, orderId));
      return row?.status === "DONE" || row?.status === "FAILED" ? row : null;
    }, "the number order");
    expect([order.status, order.bought, order.error]).toEqual(["DONE", 2, null]);
    const bought = await db.select().from(phoneNumbers).where(eq(phoneNumbers.orgId, org.orgId)).orderBy(phoneNumbers.e164);
    expect(bought.map((n) => [n.e164, n.vendorAccountId, n.vendorNumberId?.slice(0, 2)])).toEqual([
      ["+16285550100", org.account.id, "PN"],
      ["+16285550101", org.account.id, "PN"],
    ]);
    const atTwilio = (await twilioGet("/IncomingPhoneNumbers.json")) as { incoming_phone_numbers: Record<string, string>[] };
    expect(atTwilio.incoming_phone_numbers.map((n) => [n.phone_number, n.sms_url, n.sms_method])).toEqual([
      ["+16285550100", webhookUrl(p.app, org.account, "inbound"), "POST"],
      ["+16285550101", webhookUrl(p.app, org.account, "inbound"), "POST"],
    ]);

    // A text to a bought number reaches us with no further setup.
    const [answer] = await p.sim.control.inbound({
      vendor: "twilio",
      from: "+14155550188",
      to: "+16285550100",
      body: "hello new number",
    });
    expect(answer!.response?.status).toBe(200);

    const updated = await updateNumberSettings(org.orgId, org.actor, bought[0]!.id, {
      senderType: "LONG_CODE",
      rate: null,
      messagingServiceId: SERVICE,
    });
    expect(updated.messagingServiceId).toBe(SERVICE);
    const addToService = p.sim.control
      .requests({ vendor: "twilio" })
      .filter((r) => r.path === `/v1/Services/${SERVICE}/PhoneNumbers`);
    expect(addToService.map((r) => [r.method, Object.fromEntries(new URLSearchParams(r.body))])).toEqual([
      ["POST", { PhoneNumberSid: bought[0]!.vendorNumberId }],
    ]);

    expect(await importOwnedNumbers(org.orgId, org.actor, org.account.id)).toEqual({
      imported: 0,
      alreadyPresent: 2,
      numbers: [],
    });

    expect(await releaseNumber(org.orgId, org.actor, bought[1]!.id)).toEqual({ e164: "+16285550101", releasedAtVendor: true });
    const after = (await twilioGet("/IncomingPhoneNumbers.json")) as { incoming_phone_numbers: Record<string, string>[] };
    expect(after.incoming_phone_numbers.map((n) => n.phone_number)).toEqual(["+16285550100"]);
    expect(await db.select().from(phoneNumbers).where(eq(phoneNumbers.id, bought[1]!.id))).toEqual([]);
  });

  it("looks contacts up with Lookup v2: mobile textable, landline -1, no line type from Twilio -4", async () => {
    const cases: [string, number, string | null][] = [
      ["+14155550121", 0, "mobile"],
      ["+14155550127", -1, "landline"],
      ["+14155550128", -4, "unknown"],
    ];
    const ids: string[] = [];
    for (const [e164] of cases)
      ids.push(
        (await createContact(org.orgId, org.actor, { firstName: "L", lastName: e164, e164, customFields: {} }, "US")).contact.id,
      );
    const rows = await until(async () => {
      const found = await Promise.all(
        ids.map(
          async (id) =>
            (
              await db
                .select()
                .from(contacts)
                .where(and(eq(contacts.orgId, org.orgId), eq(contacts.id, id)))
            )[0]!,
        ),
      );
      return found.every((c) => c.lineType !== null) ? found : null;
    }, "the lookups");
    expect(rows.map((c) => [c.e164, c.statusCode, c.lineType])).toEqual(cases);
    const lookups = p.sim.control.requests({ vendor: "twilio" }).filter((r) => r.path.startsWith("/v2/PhoneNumbers/"));
    expect(lookups.map((r) => [r.path, r.query.Fields])).toEqual(
      expect.arrayContaining(cases.map(([e164]) => [`/v2/PhoneNumbers/${e164}`, "line_type_intelligence"])),
    );
  });
});
