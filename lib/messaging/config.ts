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
  /** "off" lifts per-sender rate limits (the benchmark measures the pipeline itself). */
  rateLimitsEnabled: () => process.env.SEND_RATE_LIMITS !== "off",
};

/** Exponential backoff for attempt n (1-based), bounded. */
export function retryDelaySeconds(attempt: number): number {
  return Math.min(sendConfig.retryMaxSeconds(), sendConfig.retryBaseSeconds() * 2 ** Math.max(0, attempt - 1));
}
