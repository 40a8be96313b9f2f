import { sql } from "drizzle-orm";
import { z } from "zod";
import { db } from "@/db";

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
 * Takes one token from the key's bucket. Refill and take happen in one statement on the
 * database's clock, so the limit holds across every web process: the conditional upsert
 * locks the row, refills it for the time since its last update, and takes a token only
 * when a whole one is there. No row back means refused; the CTE's snapshot of the row
 * (taken before the upsert) says how long until the next token.
 */
export async function takeApiToken(apiKeyId: string, limits: RateLimits = apiRateLimits()): Promise<RateDecision> {
  const { perSecond: rate, burst } = limits;
  const refilled = sql`least(${burst}::float8, api_rate_buckets.tokens + extract(epoch from (clock_timestamp() - api_rate_buckets.updated_at)) * ${rate}::float8)`;
  const [row] = await db.execute<{ taken: number | null; current: number | null }>(sql`
    with taken as (
      insert into api_rate_buckets (api_key_id, tokens, updated_at)
      values (${apiKeyId}, ${burst - 1}::float8, clock_timestamp())
      on conflict (api_key_id) do update
        set tokens = ${refilled} - 1, updated_at = clock_timestamp()
        where ${refilled} >= 1
      returning tokens
    )
    select
      (select tokens from taken)::float8 as taken,
      (select ${refilled} from api_rate_buckets where api_key_id = ${apiKeyId})::float8 as current`);
  if (row?.taken !== null && row?.taken !== undefined)
    return { allowed: true, remaining: Math.max(0, Math.floor(Number(row.taken))), limits };
  const current = Number(row?.current ?? 0);
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - current) / rate)), limits };
}
