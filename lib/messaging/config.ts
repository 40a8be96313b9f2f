/** Send pipeline settings, from the environment with safe defaults. */
function numberFromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

export const sendConfig = {
  /** Attempts before a retryable vendor error marks the message FAILED. */
  maxAttempts: () => numberFromEnv("SEND_MAX_ATTEMPTS", 5),
  /** First retry delay; doubles each attempt up to the maximum. */
  retryBaseSeconds: () => numberFromEnv("SEND_RETRY_BASE_SECONDS", 2),
  retryMaxSeconds: () => numberFromEnv("SEND_RETRY_MAX_SECONDS", 300),
  /** How long a queued or sending message may go without progress before the sweep re-queues it. */
  leaseSeconds: () => numberFromEnv("SEND_LEASE_SECONDS", 60),
  /** How often each worker sweeps for messages whose job was lost. */
  sweepIntervalSeconds: () => numberFromEnv("SEND_SWEEP_SECONDS", 5),
  /** "off" lifts per-sender rate limits (the benchmark measures the pipeline itself). */
  rateLimitsEnabled: () => process.env.SEND_RATE_LIMITS !== "off",
  /** How long a poll of a vendor account may run before another worker may assume it died and poll again. */
  pollClaimSeconds: () => numberFromEnv("POLL_CLAIM_SECONDS", 300),
};

/** Exponential backoff for attempt n (1-based), bounded. */
export function retryDelaySeconds(attempt: number): number {
  return Math.min(sendConfig.retryMaxSeconds(), sendConfig.retryBaseSeconds() * 2 ** Math.max(0, attempt - 1));
}

/** The lease for a message that should make progress within `delaySeconds`. */
export function leaseFrom(delaySeconds = 0): Date {
  return new Date(Date.now() + (delaySeconds + sendConfig.leaseSeconds()) * 1000);
}
