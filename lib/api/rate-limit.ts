import { sql } from "drizzle-orm";
import { z } from "zod";
import { db } from "@/db";
import { apiKeys } from "@/db/schema/api-keys";
import { withoutFlush } from "@/db/commit";
import { coalesce } from "@/lib/coalesce";
import { groupBy } from "@/lib/group-by";
import { noteKeyUsed, presentedKeyHash, type ApiKeyIdentity } from "@/lib/api-keys";

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

/** A caller let in: its key, and whether its bucket had a token for this request. */
export type Admission = { key: ApiKeyIdentity; decision: RateDecision };

/**
 * The API's door: the presented key, if it is one of ours and not revoked, and a token from its
 * bucket, in one statement (null for an unknown or revoked key, whose bucket is left alone). The
 * buckets live in the database, so the limit holds across every web process. Requests that arrive
 * together are served by one statement per key: taken one at a time, every request of a busy
 * integration queued behind the bucket row's lock and its commit, which capped one key at a few
 * hundred requests per second. The key was looked up by a statement of its own before, a round
 * trip and a wait for others to go with it more per call.
 */
export async function admitApiKey(presented: string, limits: RateLimits = apiRateLimits()): Promise<Admission | null> {
  const hash = presentedKeyHash(presented);
  if (hash === null) return null;
  const admission = await admitTogether({ hash, limits });
  if (!admission) return null;
  await noteKeyUsed(admission.key.keyId, admission.lastUsedAt);
  return { key: admission.key, decision: admission.decision };
}

type AdmissionRequest = { hash: string; limits: RateLimits };
type Admitted = Admission & { lastUsedAt: Date | null };

const admitTogether = coalesce<AdmissionRequest, Admitted | null>(
  async (requests) => {
    const answers = new Map<AdmissionRequest, Admitted | null>();
    const buckets = groupBy(requests, (r) => `${r.hash}|${r.limits.perSecond}|${r.limits.burst}`);
    await Promise.all(
      [...buckets.values()].map(async (group) => {
        const { hash, limits } = group[0]!;
        const taken = await takeTokens(hash, limits, group.length);
        if (!taken) return group.forEach((request) => answers.set(request, null));
        const { key, lastUsedAt, granted, left } = taken;
        // As if taken one by one in arrival order: the first `granted` get one, the rest wait.
        group.forEach((request, i) =>
          answers.set(request, {
            key,
            lastUsedAt,
            decision:
              i < granted
                ? { allowed: true, remaining: Math.max(0, Math.floor(left + granted - 1 - i)), limits }
                : { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - left) / limits.perSecond)), limits },
          }),
        );
      }),
    );
    return requests.map((request) => answers.get(request)!);
  },
  { windowMs: 1, max: 500 },
);

type Taken = { key: ApiKeyIdentity; lastUsedAt: Date | null; granted: number; left: number };

/**
 * The unrevoked key stored under `hash`, and up to `wanted` whole tokens from its bucket, refilled on
 * the database's clock for the time since its last update, in one statement: the CTE locks the row
 * (in READ COMMITTED a lock taken after another process's update reads that update), and the update
 * writes what is left. A key's first request creates its bucket, full. It commits without waiting
 * for the disk (db/commit.ts): a crash of PostgreSQL may give back the last few hundred
 * milliseconds' tokens, nothing more.
 */
async function takeTokens(hash: string, limits: RateLimits, wanted: number): Promise<Taken | null> {
  const { perSecond: rate, burst } = limits;
  for (;;) {
    const [row] = await db.execute<{
      id: string;
      org_id: string;
      prefix: string;
      last_used_at: string | Date | null;
      granted: number | null;
      tokens_left: number | null;
    }>(sql`
      with k as (
        select id, org_id, prefix, last_used_at from ${apiKeys} where hash = ${hash} and revoked_at is null
      ), bucket as (
        select api_key_id,
          least(${burst}::float8, tokens + extract(epoch from (clock_timestamp() - updated_at)) * ${rate}::float8) as available
        from api_rate_buckets where api_key_id in (select id from k) for update
      ), took as (
        select api_key_id, available, least(${wanted}::float8, floor(available)) as granted from bucket, ${withoutFlush}
      ), updated as (
        update api_rate_buckets b set tokens = took.available - took.granted, updated_at = clock_timestamp()
        from took where b.api_key_id = took.api_key_id
        returning took.granted::int as granted, (took.available - took.granted)::float8 as tokens_left
      )
      select k.id, k.org_id, k.prefix, k.last_used_at, updated.granted, updated.tokens_left from k left join updated on true`);
    if (!row) return null;
    const key = { keyId: row.id, orgId: row.org_id, prefix: row.prefix };
    const lastUsedAt = row.last_used_at === null ? null : new Date(row.last_used_at);
    if (row.granted !== null) return { key, lastUsedAt, granted: Number(row.granted), left: Number(row.tokens_left) };
    await db.execute(sql`
      insert into api_rate_buckets (api_key_id, tokens, updated_at)
      values (${key.keyId}, ${burst}::float8, clock_timestamp()) on conflict (api_key_id) do nothing`);
  }
}
