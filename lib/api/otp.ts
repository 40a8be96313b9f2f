import { createHmac, randomInt, randomUUID, timingSafeEqual } from "node:crypto";
import { and, desc, eq, gt, sql } from "drizzle-orm";
import type { z } from "zod";
import { db } from "@/db";
import { otpCodes } from "@/db/schema/otp-codes";
import { env } from "@/lib/env";
import { queueMessage } from "@/lib/messaging/send";
import { toE164 } from "@/lib/phone";
import { ApiError } from "./errors";
import { orgDefaultCountry } from "./messages";
import { otpMessageBody } from "./otp-format";
import { OTP_LENGTH_RANGE, type otpRequest, type otpVerifyRequest } from "./schemas";

export const OTP_DEFAULT_TTL_SECONDS = 600;
export const OTP_MAX_ATTEMPTS = 5;
/** Codes sent to one number per window: bounds both SMS spend and guesses (5 codes × 5 attempts). */
export const OTP_SENDS_PER_WINDOW = 5;
export const OTP_WINDOW_SECONDS = 600;

/**
 * Sends a one-time passcode. Only an HMAC of the code (keyed with the server secret and bound
 * to the code's id, org and number) is stored, so a database copy cannot be brute-forced
 * offline. The row is written before the SMS is queued, so a code is never delivered that
 * cannot be verified; if queueing is refused (opted out, no sender), the row is deleted again.
 */
export async function sendOtp(orgId: string, apiKeyId: string, input: z.output<typeof otpRequest>) {
  const e164 = await normalise(orgId, input.to);
  const length = input.length ?? defaultLength();
  const ttlSeconds = input.ttlSeconds ?? OTP_DEFAULT_TTL_SECONDS;
  const code = String(randomInt(0, 10 ** length)).padStart(length, "0");
  const id = randomUUID();
  const expiresAt = await db.transaction(async (tx) => {
    // One sender at a time per number, so two requests cannot both slip under the window's limit.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`otp|${orgId}|${e164}`}, 0))`);
    const recent = await tx
      .select({
        retryAfter: sql<number>`ceil(extract(epoch from (${otpCodes.createdAt} + make_interval(secs => ${OTP_WINDOW_SECONDS}) - now())))::int`,
      })
      .from(otpCodes)
      .where(
        and(
          eq(otpCodes.orgId, orgId),
          eq(otpCodes.e164, e164),
          gt(otpCodes.createdAt, sql`now() - make_interval(secs => ${OTP_WINDOW_SECONDS})`),
        ),
      )
      .orderBy(desc(otpCodes.createdAt));
    if (recent.length >= OTP_SENDS_PER_WINDOW) {
      const retryAfter = Math.max(1, recent[OTP_SENDS_PER_WINDOW - 1]!.retryAfter);
      throw new ApiError(
        429,
        "too_many_codes",
        `${OTP_SENDS_PER_WINDOW} passcodes were sent to this number in the last ${OTP_WINDOW_SECONDS / 60} minutes; retry in ${retryAfter} s.`,
        "to",
        {},
        {
          "retry-after": String(retryAfter),
        },
      );
    }
    const [row] = await tx
      .insert(otpCodes)
      .values({
        id,
        orgId,
        e164,
        codeHash: hashCode(id, orgId, e164, code),
        apiKeyId,
        maxAttempts: OTP_MAX_ATTEMPTS,
        expiresAt: sql`now() + make_interval(secs => ${ttlSeconds})`,
      })
      .returning({ expiresAt: otpCodes.expiresAt });
    return row!.expiresAt;
  });
  let messageId: string;
  try {
    const queued = await queueMessage(orgId, { to: e164, body: otpMessageBody(code) });
    messageId = queued.message.id;
  } catch (error) {
    await db.delete(otpCodes).where(and(eq(otpCodes.orgId, orgId), eq(otpCodes.id, id)));
    throw error;
  }
  await db
    .update(otpCodes)
    .set({ messageId })
    .where(and(eq(otpCodes.orgId, orgId), eq(otpCodes.id, id)));
  return { id, messageId, to: e164, expiresAt: expiresAt.toISOString() };
}

type VerifyOutcome = { ok: true; verifiedAt: Date } | { ok: false; error: ApiError };

/**
 * Checks a code against the newest passcode sent to the number (older ones no longer count).
 * The row is locked while it is checked, so concurrent guesses are counted one by one and a
 * code verifies once. A wrong guess is committed before it is reported.
 */
export async function verifyOtp(orgId: string, input: z.output<typeof otpVerifyRequest>) {
  const e164 = await normalise(orgId, input.to);
  const outcome = await db.transaction(async (tx): Promise<VerifyOutcome> => {
    const [row] = await tx
      .select({ code: otpCodes, expired: sql<boolean>`${otpCodes.expiresAt} <= now()` })
      .from(otpCodes)
      .where(and(eq(otpCodes.orgId, orgId), eq(otpCodes.e164, e164)))
      .orderBy(desc(otpCodes.createdAt), desc(otpCodes.id))
      .limit(1)
      .for("update");
    if (!row) return refuse(404, "not_found", "No passcode was sent to this number; request one with POST /api/v1/otp.", "to");
    const otp = row.code;
    if (otp.verifiedAt) return refuse(410, "already_verified", "This passcode was already used; request a new one.", "code");
    if (row.expired) return refuse(410, "expired", "This passcode has expired; request a new one.", "code");
    if (otp.attempts >= otp.maxAttempts) {
      return refuse(410, "too_many_attempts", "Too many wrong attempts for this passcode; request a new one.", "code");
    }
    const attempts = otp.attempts + 1;
    const matches = safeEqual(hashCode(otp.id, orgId, e164, input.code), otp.codeHash);
    const [updated] = await tx
      .update(otpCodes)
      .set({ attempts, verifiedAt: matches ? sql`now()` : null })
      .where(and(eq(otpCodes.orgId, orgId), eq(otpCodes.id, otp.id)))
      .returning({ verifiedAt: otpCodes.verifiedAt });
    if (matches) return { ok: true, verifiedAt: updated!.verifiedAt! };
    const remaining = otp.maxAttempts - attempts;
    return refuse(
      422,
      "invalid_code",
      remaining > 0
        ? `Wrong code; ${remaining} attempt${remaining === 1 ? "" : "s"} left.`
        : "Wrong code; no attempts left, request a new passcode.",
      "code",
      {
        remainingAttempts: remaining,
      },
    );
  });
  if (!outcome.ok) throw outcome.error;
  return { verified: true as const, to: e164, verifiedAt: outcome.verifiedAt.toISOString() };
}

function refuse(
  status: number,
  code: string,
  message: string,
  field: string,
  extra: Record<string, unknown> = {},
): VerifyOutcome {
  return { ok: false, error: new ApiError(status, code, message, field, extra) };
}

async function normalise(orgId: string, to: string): Promise<string> {
  const parsed = toE164(to, await orgDefaultCountry(orgId));
  if (!parsed.ok) throw new ApiError(422, "invalid_request", `to: ${parsed.reason}`, "to");
  return parsed.e164;
}

function defaultLength(): number {
  const configured = Number(process.env.OTP_LENGTH);
  return Number.isInteger(configured) && configured >= OTP_LENGTH_RANGE.min && configured <= OTP_LENGTH_RANGE.max
    ? configured
    : 6;
}

function hashCode(id: string, orgId: string, e164: string, code: string): string {
  return createHmac("sha256", env().AUTH_SECRET).update(`otp|${id}|${orgId}|${e164}|${code}`).digest("hex");
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, "hex");
  const right = Buffer.from(b, "hex");
  return left.length === right.length && timingSafeEqual(left, right);
}
