import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db";
import { orgs } from "@/db/schema/orgs";
import { findCampaignStats } from "@/lib/stats/campaign";
import { findOrgStats } from "@/lib/stats/org";
import { startApp, type RunningApp } from "../helpers/app";
import { memberOf, ownerWithOrg, PASSWORD } from "../helpers/fixtures";
import { HttpSession } from "../helpers/http-session";
import { ago, NOW, NUM, seedAlpha, seedBravo } from "./stats-seed";

/**
 * Aggregates over messages seeded at known offsets from one instant, checked exactly, for an
 * org with traffic, a campaign, and a second org whose data must never show in the first's.
 */
const TZ = "America/Los_Angeles";

let app: RunningApp;
let alpha: Awaited<ReturnType<typeof ownerWithOrg>>;
let bravo: Awaited<ReturnType<typeof ownerWithOrg>>;
let empty: Awaited<ReturnType<typeof ownerWithOrg>>;
let campaignId: string;
let bravoCampaignId: string;

beforeAll(async () => {
  [alpha, bravo, empty] = await Promise.all([ownerWithOrg("StatsA"), ownerWithOrg("StatsB"), ownerWithOrg("StatsEmpty")]);
  await db
    .update(orgs)
    .set({ features: { timeZone: TZ } })
    .where(eq(orgs.id, alpha.org.id));
  campaignId = await seedAlpha(alpha.org.id);
  bravoCampaignId = await seedBravo(bravo.org.id);
  app = await startApp();
});

afterAll(async () => {
  await app?.stop();
});

describe("org stats", () => {
  it("counts the last 30 days by day, per vendor account, reason and number", async () => {
    const stats = await findOrgStats(alpha.org.id, { range: "30d", timeZone: TZ, now: NOW });
    expect(stats.unit).toBe("day");
    expect(stats.traffic).toHaveLength(30);
    expect(stats.traffic.at(-1)!.bucket).toBe(localBucket(NOW, "day"));
    expect(stats.totals).toEqual({ outbound: 158, inbound: 54, delivered: 124, failed: 28, deliveryRate: 124 / 152 });
    expect(stats.vendors).toEqual([
      {
        vendorAccountId: expect.any(String),
        name: "Twilio Main",
        kind: "twilio",
        sent: 108,
        delivered: 84,
        failed: 18,
        pending: 6,
        deliveryRate: 84 / 102,
      },
      {
        vendorAccountId: expect.any(String),
        name: "Bandwidth Backup",
        kind: "bandwidth",
        sent: 50,
        delivered: 40,
        failed: 10,
        pending: 0,
        deliveryRate: 0.8,
      },
    ]);
    expect(stats.failures).toEqual([
      { errorCode: "30007", errorDescription: "Carrier violation", count: 12 },
      { errorCode: "4720", errorDescription: "Invalid destination", count: 10 },
      { errorCode: "30003", errorDescription: "Unreachable handset", count: 6 },
    ]);
    expect(stats.busiestNumbers).toEqual([
      { e164: NUM.main, outbound: 108, inbound: 34, total: 142 },
      { e164: NUM.backup, outbound: 50, inbound: 0, total: 50 },
      { e164: NUM.quiet, outbound: 0, inbound: 20, total: 20 },
    ]);
    const tenDaysAgo = stats.traffic.find((b) => b.bucket === localBucket(ago(240), "day"));
    expect(tenDaysAgo).toMatchObject({ outbound: 0, inbound: 20 });
  });

  it("buckets the last 24 hours by the org's local hour", async () => {
    const stats = await findOrgStats(alpha.org.id, { range: "24h", timeZone: TZ, now: NOW });
    expect(stats.unit).toBe("hour");
    expect(stats.traffic).toHaveLength(24);
    expect(stats.totals).toMatchObject({ outbound: 108, inbound: 34 });
    const byBucket = new Map(stats.traffic.map((b) => [b.bucket, b]));
    expect(byBucket.get(localBucket(ago(2), "hour"))).toEqual({
      bucket: localBucket(ago(2), "hour"),
      outbound: 100,
      inbound: 30,
      delivered: 80,
      failed: 15,
    });
    expect(byBucket.get(localBucket(ago(5), "hour"))).toMatchObject({ outbound: 8, delivered: 4, failed: 3 });
    expect(stats.traffic.reduce((n, b) => n + b.outbound + b.inbound, 0)).toBe(142);
  });

  it("counts the last 7 days by day", async () => {
    const stats = await findOrgStats(alpha.org.id, { range: "7d", timeZone: TZ, now: NOW });
    expect(stats.traffic).toHaveLength(7);
    expect(stats.totals).toMatchObject({ outbound: 158, inbound: 34, delivered: 124, failed: 28 });
    expect(stats.traffic.find((b) => b.bucket === localBucket(ago(72), "day"))).toMatchObject({
      outbound: 50,
      delivered: 40,
      failed: 10,
    });
  });

  it("never shows another org's messages, accounts, errors or numbers", async () => {
    const stats = await findOrgStats(alpha.org.id, { range: "30d", timeZone: TZ, now: NOW });
    const text = JSON.stringify(stats);
    for (const leak of ["Bravo Vendor", "Bravo secret error", NUM.bravo]) expect(text).not.toContain(leak);
    const theirs = await findOrgStats(bravo.org.id, { range: "30d", timeZone: TZ, now: NOW });
    expect(theirs.totals).toMatchObject({ outbound: 40, inbound: 0, failed: 40 });
    expect(JSON.stringify(theirs)).not.toContain("Twilio Main");
  });

  it("knows an org with no messages at all", async () => {
    const stats = await findOrgStats(empty.org.id, { range: "7d", timeZone: TZ, now: NOW });
    expect(stats.hasAnyMessages).toBe(false);
    expect(stats.traffic.every((b) => b.outbound === 0 && b.inbound === 0)).toBe(true);
  });
});

describe("campaign stats", () => {
  it("counts sends, delivery, replies after the send, opt-outs and top errors", async () => {
    const stats = await findCampaignStats(alpha.org.id, campaignId);
    expect(stats?.totals).toEqual({
      contacts: 10,
      sent: 8,
      delivered: 4,
      failed: 3,
      pending: 1,
      deliveryRate: 4 / 7,
      replies: 3,
      repliedContacts: 2,
      optOuts: 2,
    });
    expect(stats?.topErrors).toEqual([
      { errorDescription: "Carrier violation", count: 2 },
      { errorDescription: "Unreachable handset", count: 1 },
    ]);
    expect(stats?.unit).toBe("hour");
    expect(stats?.series).toEqual([
      { bucket: localBucket(ago(5), "hour"), delivered: 4, failed: 3, pending: 1, replies: 0 },
      { bucket: localBucket(ago(4), "hour"), delivered: 0, failed: 0, pending: 0, replies: 1 },
      { bucket: localBucket(ago(3), "hour"), delivered: 0, failed: 0, pending: 0, replies: 2 },
    ]);
  });

  it("answers nothing for another org's campaign or a malformed id", async () => {
    expect(await findCampaignStats(alpha.org.id, bravoCampaignId)).toBeNull();
    expect(await findCampaignStats(alpha.org.id, "not-a-uuid")).toBeNull();
    expect((await findCampaignStats(bravo.org.id, bravoCampaignId))?.totals).toMatchObject({
      sent: 40,
      failed: 40,
      deliveryRate: 0,
    });
  });
});

describe("dashboard page", () => {
  it("shows an admin the org's numbers for the chosen range", async () => {
    const admin = await memberOf(alpha.org.id, "StatsA", "ADMIN");
    const session = await HttpSession.signIn(app.url, admin.user.email, PASSWORD);
    const response = await session.request(`/${alpha.org.slug}/dashboard?range=30d`);
    expect(response.status).toBe(200);
    const html = (await response.text()).replaceAll("<!-- -->", "");
    for (const text of [
      "Messages out and in",
      "158",
      "81.5%",
      "Twilio Main",
      "82.3%",
      "Bandwidth Backup",
      "80.0%",
      "Carrier violation",
      "Code 30007",
      NUM.main,
      "108 out · 34 in",
    ]) {
      expect(html).toContain(text);
    }
    for (const leak of ["Bravo Vendor", "Bravo secret error", NUM.bravo]) expect(html).not.toContain(leak);
    expect(html).toMatch(/aria-current="page"[^>]*>30d</);
  });

  it("falls back to 7 days for an unknown range, and 24h counts only today's traffic", async () => {
    const session = await HttpSession.signIn(app.url, alpha.user.email, PASSWORD);
    const fallback = (await (await session.request(`/${alpha.org.slug}/dashboard?range=bogus`)).text()).replaceAll(
      "<!-- -->",
      "",
    );
    expect(fallback).toMatch(/aria-current="page"[^>]*>7d</);
    const day = (await (await session.request(`/${alpha.org.slug}/dashboard?range=24h`)).text()).replaceAll("<!-- -->", "");
    expect(day).toMatch(/data-stat="Sent"[\s\S]*?>108</);
    expect(day).toMatch(/data-stat="Received"[\s\S]*?>34</);
  });

  it("is not found for a texter", async () => {
    const texter = await memberOf(alpha.org.id, "StatsA", "TEXTER");
    const session = await HttpSession.signIn(app.url, texter.user.email, PASSWORD);
    expect((await session.request(`/${alpha.org.slug}/dashboard`)).status).toBe(404);
  });

  it("shows an empty state to an org with no messages", async () => {
    const session = await HttpSession.signIn(app.url, empty.user.email, PASSWORD);
    const response = await session.request(`/${empty.org.slug}/dashboard`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("No messages yet");
    expect(html).not.toContain("Messages out and in");
  });
});

/** The org-local hour or day an instant falls in, formatted as the queries label buckets. */
function localBucket(at: Date, unit: "hour" | "day"): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", {
      timeZone: TZ,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      hourCycle: "h23",
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${unit === "hour" ? parts.hour : "00"}:00`;
}
