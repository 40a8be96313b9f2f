import { db } from "@/db";
import { messages } from "@/db/schema/messages";
import type { TenancyCaseFactory } from "./types";

/**
 * The dashboard's pattern is core's (it is a nav section); this file gives org B traffic, so a
 * leak would have numbers to show, and tries the page with each range.
 */
export const dashboardCases: TenancyCaseFactory = async (b) => {
  await db.insert(messages).values([
    {
      orgId: b.org.id,
      direction: "OUTBOUND",
      body: "b out",
      fromE164: "+13125550177",
      toE164: "+13125550178",
      status: "FAILED",
      errorDescription: "Bravo only",
    },
    { orgId: b.org.id, direction: "INBOUND", body: "b in", fromE164: "+13125550178", toE164: "+13125550177", status: "RECEIVED" },
  ]);
  return {
    pagePatterns: ["/[org]/dashboard"],
    pages: ["24h", "7d", "30d"].map((range) => `/${b.org.slug}/dashboard?range=${range}`),
    actions: {},
  };
};
