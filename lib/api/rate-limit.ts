import { sql } from "drizzle-orm";
import { z } from "zod";
import { db } from "@/db";
import { withoutFlush } from "@/db/commit";
import { coalesce } from "@/lib/coalesce";
import { groupBy } from "@/lib/group-by";

const limitsSchema = z.object({
  API_RATE_PER_SECOND: z.coerce.number().positive().max(100_000).default(20),
  API_RATE_BURST: z.coerce.number().min(1).max(1_000_000).default(40),
});

export type RateLimits = { perSecond: number; burst: number };

/** Requests per second per key, and how many may come at once; from the environment. */
export function apiRateLimits(): RateLimits {
  const parsed = limitsSchema.safeParse({
    API_RATE_PER_SECOND: process.env.API_RATE_PER_SECOND || undefined,
    API_RATE_BURST: process.env.API_RATE_BURST || undefined,
  });
  // A typo in the environment must not take the API down: fall back to the defaults.
  const values = parsed.success ? parsed.data : limitsSchema.parse({});
  return { perSecond: values.API_RATE_PER_SECOND, burst: values.API_RATE_BURST };
}

export type RateDecision =
  { allowed: true; remaining: number; limits: RateLimits } | { allowed: false; retryAfterSeconds: number; limits: RateLimits };

/**
 * Takes one token from the key's bucket. The buckets live in the database, so the limit holds
 * across every web process. Requests that arrive together are served by one statement per key:
 * taken one at a time, every request of a busy integration queued behind the bucket row's lock
 * and its commit, which capped one key at a few hundred requests per second.
 */
export function takeApiToken(apiKeyId: string, limits: RateLimits = apiRateLimits()): Promise<RateDecision> {
  return takeTogether({ apiKeyId, limits });
}

type TokenRequest = { apiKeyId: string; limits: RateLimits };

const takeTogether = coalesce<TokenRequest, RateDecision>(
  async (requests) => {
    const decisions = new Map<TokenRequest, RateDecision>();
    const buckets = groupBy(requests, (r) => `${r.apiKeyId}|${r.limits.perSecond}|${r.limits.burst}`);
    await Promise.all(
      [...buckets.values()].map(async (group) => {
        const { apiKeyId, limits } = group[0]!;
        const { granted, left } = await takeTokens(apiKeyId, limits, group.length);
        // As if taken one by one in arrival order: the first `granted` get one, the rest wait.
        group.forEach((request, i) =>
          decisions.set(
            request,
            i < granted
              ? { allowed: true, remaining: Math.max(0, Math.floor(left + granted - 1 - i)), limits }
              : { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - left) / limits.perSecond)), limits },
          ),
        );
      }),
    );
    return requests.map((request) => decisions.get(request)!);
  },
  { windowMs: 1, max: 500 },
);

/**
 * Takes up to `wanted` whole tokens from the bucket, refilled on the database's clock for the time
 * since its last update, in one statement: the CTE locks the row (in READ COMMITTED a lock taken
 * after another process's update reads that update), and the update writes what is left. A key's
 * first request creates its bucket, full. It commits without waiting for the disk (db/commit.ts):
 * a crash of PostgreSQL may give back the last few hundred milliseconds' tokens, nothing more.
 */
async function takeTokens(apiKeyId: string, limits: RateLimits, wanted: number): Promise<{ granted: number; left: number }> {
  const { perSecond: rate, burst } = limits;
  for (;;) {
    const [row] = await db.execute<{ granted: number; tokens_left: number }>(sql`
      with bucket as (
        select api_key_id,
          least(${burst}::float8, tokens + extract(epoch from (clock_timestamp() - updated_at)) * ${rate}::float8) as available
        from api_rate_buckets where api_key_id = ${apiKeyId} for update
      ), took as (
        select api_key_id, available, least(${wanted}::float8, floor(available)) as granted from bucket, ${withoutFlush}
      )
      update api_rate_buckets b set tokens = took.available - took.granted, updated_at = clock_timestamp()
      from took where b.api_key_id = took.api_key_id
      returning took.granted::int as granted, (took.available - took.granted)::float8 as tokens_left`);
    if (row) return { granted: Number(row.granted), left: Number(row.tokens_left) };
    await db.execute(sql`
      insert into api_rate_buckets (api_key_id, tokens, updated_at)
      values (${apiKeyId}, ${burst}::float8, clock_timestamp()) on conflict (api_key_id) do nothing`);
  }
}
