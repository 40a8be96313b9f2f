import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "@/db";
import { apiKeys } from "@/db/schema/api-keys";
import { apiRateBuckets } from "@/db/schema/api-rate-buckets";
import { createApiKey, revokeApiKey } from "@/lib/api-keys";
import { admitApiKey, type RateDecision, type RateLimits } from "@/lib/api/rate-limit";
import { ownerWithOrg } from "../helpers/fixtures";

/** The API's door (the key and a token from its bucket, in one statement), on this test's database. */
let orgId: string;
let userId: string;

beforeAll(async () => {
  const { user, org } = await ownerWithOrg("Bucket");
  orgId = org.id;
  userId = user.id;
});

/** A new key as its caller presents it. */
async function newKey(name: string): Promise<string> {
  return (await createApiKey({ orgId, name, createdBy: userId, actorLabel: "test" })).key;
}

/** The rate decision for one call with `key`, which must be let in. */
async function takeApiToken(key: string, limits: RateLimits): Promise<RateDecision> {
  const admission = await admitApiKey(key, limits);
  expect(admission?.key.orgId).toBe(orgId);
  return admission!.decision;
}

const allowed = (ds: RateDecision[]) => ds.filter((d): d is Extract<RateDecision, { allowed: true }> => d.allowed);
const refused = (ds: RateDecision[]) => ds.filter((d): d is Extract<RateDecision, { allowed: false }> => !d.allowed);

describe("API rate limit buckets", () => {
  it("grants exactly the burst to requests that arrive together, each with its own remaining count", async () => {
    const key = await newKey("together");
    const limits = { perSecond: 0.01, burst: 40 };
    const decisions = await Promise.all(Array.from({ length: 100 }, () => takeApiToken(key, limits)));
    expect(allowed(decisions)).toHaveLength(40);
    expect(
      allowed(decisions)
        .map((d) => d.remaining)
        .sort((x, y) => x - y),
    ).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(refused(decisions)).toHaveLength(60);
    // One token at 0.01/s is 100 s away.
    for (const d of refused(decisions)) expect(d.retryAfterSeconds).toBeGreaterThanOrEqual(99);
  });

  it("grants the burst across calls spread over separate moments too, and keeps keys apart", async () => {
    const [first, second] = [await newKey("first"), await newKey("second")];
    const limits = { perSecond: 0.01, burst: 5 };
    const decisions: RateDecision[] = [];
    for (let i = 0; i < 4; i++) {
      decisions.push(
        ...(await Promise.all([takeApiToken(first, limits), takeApiToken(first, limits), takeApiToken(second, limits)])),
      );
    }
    const ofFirst = decisions.filter((_, i) => i % 3 !== 2);
    const ofSecond = decisions.filter((_, i) => i % 3 === 2);
    expect(allowed(ofFirst)).toHaveLength(5);
    expect(allowed(ofSecond)).toHaveLength(4);
    expect(allowed(ofSecond).map((d) => d.remaining)).toEqual([4, 3, 2, 1]);
  });

  it("refills at the key's rate on the database's clock", async () => {
    const key = await newKey("refill");
    const limits = { perSecond: 10, burst: 2 };
    const burst = await Promise.all([takeApiToken(key, limits), takeApiToken(key, limits), takeApiToken(key, limits)]);
    expect(allowed(burst)).toHaveLength(2);
    expect(refused(burst)[0]?.retryAfterSeconds).toBe(1);
    await new Promise((r) => setTimeout(r, 250));
    const later = await Promise.all([takeApiToken(key, limits), takeApiToken(key, limits), takeApiToken(key, limits)]);
    expect(allowed(later)).toHaveLength(2);
  });

  it("lets no unknown, malformed or revoked key in, the moment it is revoked, and leaves no bucket for a stranger", async () => {
    const limits = { perSecond: 10, burst: 5 };
    const buckets = async () => (await db.select().from(apiRateBuckets)).length;
    const before = await buckets();
    const stranger = `sb_live_${"z".repeat(43)}`;
    const answers = await Promise.all(
      [stranger, stranger, "not-a-key", `sb_live_${"x".repeat(300)}`].map((k) => admitApiKey(k, limits)),
    );
    expect(answers).toEqual([null, null, null, null]);
    expect(await buckets()).toBe(before);

    const key = await newKey("revoked");
    const admitted = await admitApiKey(key, limits);
    expect(admitted).toMatchObject({ key: { orgId }, decision: { allowed: true } });
    await revokeApiKey(orgId, admitted!.key.keyId, userId);
    // Its bucket still has tokens, and calls arriving together are refused all the same.
    expect(await Promise.all([admitApiKey(key, limits), admitApiKey(key, limits)])).toEqual([null, null]);
  });

  it("notes a key's use once for calls that come together, and again only after a minute", async () => {
    const key = await newKey("used");
    const lastUsed = async () =>
      (await db.select({ at: apiKeys.lastUsedAt }).from(apiKeys).where(eq(apiKeys.name, "used")))[0]!.at;
    expect(await lastUsed()).toBeNull();
    await Promise.all(Array.from({ length: 10 }, () => admitApiKey(key, { perSecond: 100, burst: 100 })));
    const first = await lastUsed();
    expect(first).toBeInstanceOf(Date);
    await admitApiKey(key, { perSecond: 100, burst: 100 });
    expect(await lastUsed()).toEqual(first);
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      vi.setSystemTime(first!.getTime() + 61_000);
      await admitApiKey(key, { perSecond: 100, burst: 100 });
      expect(await lastUsed()).toEqual(new Date(first!.getTime() + 61_000));
    } finally {
      vi.useRealTimers();
    }
  });
});
