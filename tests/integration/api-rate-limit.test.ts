import { beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "@/lib/api-keys";
import { takeApiToken, type RateDecision } from "@/lib/api/rate-limit";
import { ownerWithOrg } from "../helpers/fixtures";

/** The per-key token bucket that /api/v1 takes from, on this test's database. */
let orgId: string;
let userId: string;

beforeAll(async () => {
  const { user, org } = await ownerWithOrg("Bucket");
  orgId = org.id;
  userId = user.id;
});

async function newKeyId(name: string): Promise<string> {
  return (await createApiKey({ orgId, name, createdBy: userId, actorLabel: "test" })).id;
}

const allowed = (ds: RateDecision[]) => ds.filter((d): d is Extract<RateDecision, { allowed: true }> => d.allowed);
const refused = (ds: RateDecision[]) => ds.filter((d): d is Extract<RateDecision, { allowed: false }> => !d.allowed);

describe("API rate limit buckets", () => {
  it("grants exactly the burst to requests that arrive together, each with its own remaining count", async () => {
    const keyId = await newKeyId("together");
    const limits = { perSecond: 0.01, burst: 40 };
    const decisions = await Promise.all(Array.from({ length: 100 }, () => takeApiToken(keyId, limits)));
    expect(allowed(decisions)).toHaveLength(40);
    expect(allowed(decisions).map((d) => d.remaining).sort((x, y) => x - y)).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(refused(decisions)).toHaveLength(60);
    // One token at 0.01/s is 100 s away.
    for (const d of refused(decisions)) expect(d.retryAfterSeconds).toBeGreaterThanOrEqual(99);
  });

  it("grants the burst across calls spread over separate moments too, and keeps keys apart", async () => {
    const [first, second] = [await newKeyId("first"), await newKeyId("second")];
    const limits = { perSecond: 0.01, burst: 5 };
    const decisions: RateDecision[] = [];
    for (let i = 0; i < 4; i++) {
      decisions.push(...(await Promise.all([takeApiToken(first, limits), takeApiToken(first, limits), takeApiToken(second, limits)])));
    }
    const ofFirst = decisions.filter((_, i) => i % 3 !== 2);
    const ofSecond = decisions.filter((_, i) => i % 3 === 2);
    expect(allowed(ofFirst)).toHaveLength(5);
    expect(allowed(ofSecond)).toHaveLength(4);
    expect(allowed(ofSecond).map((d) => d.remaining)).toEqual([4, 3, 2, 1]);
  });

  it("refills at the key's rate on the database's clock", async () => {
    const keyId = await newKeyId("refill");
    const limits = { perSecond: 10, burst: 2 };
    const burst = await Promise.all([takeApiToken(keyId, limits), takeApiToken(keyId, limits), takeApiToken(keyId, limits)]);
    expect(allowed(burst)).toHaveLength(2);
    expect(refused(burst)[0]?.retryAfterSeconds).toBe(1);
    await new Promise((r) => setTimeout(r, 250));
    const later = await Promise.all([takeApiToken(keyId, limits), takeApiToken(keyId, limits), takeApiToken(keyId, limits)]);
    expect(allowed(later)).toHaveLength(2);
  });
});
