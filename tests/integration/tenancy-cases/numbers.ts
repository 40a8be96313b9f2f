import { addNumber, createNumberOrder } from "@/lib/numbers";
import { saveVendorAccount } from "@/lib/vendors/accounts";
import type { TenancyCaseFactory } from "./types";

/** The numbers feature's pages and actions, aimed at org B's objects. */
export const numbersCases: TenancyCaseFactory = async (b) => {
  const actor = { userId: b.owner.id, label: "test" };
  const account = await saveVendorAccount(b.org.id, actor, { kind: "fake", name: "Bravo Fake", values: { deliveryDelayMs: 0 } });
  const number = await addNumber(b.org.id, actor, { vendorAccountId: account.id, e164: "+12125550142" });
  // No worker runs in the tenancy test, so the order stays QUEUED: nothing is bought.
  const { orderId } = await createNumberOrder(b.org.id, actor, { vendorAccountId: account.id, areaCode: "212", quantity: 1 });
  return {
    // "/[org]/numbers" is core's (every nav section); this file adds the progress route.
    pagePatterns: ["/api/orgs/[org]/number-orders/[orderId]"],
    pages: [],
    actions: {
      "lib/actions/numbers.ts#addNumberAction": { vendorAccountId: account.id, e164: "+12125550143", senderType: "LONG_CODE" },
      "lib/actions/numbers.ts#buyNumbersAction": { vendorAccountId: account.id, areaCode: "212", quantity: 1 },
      "lib/actions/numbers.ts#searchAvailableNumbersAction": { vendorAccountId: account.id, areaCode: "212" },
      "lib/actions/numbers.ts#importOwnedNumbersAction": { vendorAccountId: account.id },
      "lib/actions/numbers.ts#releaseNumberAction": { numberId: number.id },
      "lib/actions/numbers.ts#assignNumberAction": { numberId: number.id, userId: b.owner.id },
      "lib/actions/numbers.ts#updateNumberSettingsAction": {
        numberId: number.id,
        senderType: "TOLL_FREE",
        rate: "5",
        messagingServiceId: "MG-stolen",
      },
    },
    routes: [{ method: "GET", path: `/api/orgs/${b.org.slug}/number-orders/${orderId}` }],
  };
};
