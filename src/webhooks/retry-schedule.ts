/**
 * When a failed webhook delivery is tried again: exponential backoff with jitter, pure so the
 * whole schedule can be tested without waiting for it.
 *
 * Retry n (the first retry is n = 1) waits `baseDelayMs · 2^(n−1)`, capped at `maxDelayMs`,
 * shortened by a random fraction of up to `jitter` (so instances and endpoints that failed
 * together do not retry together, and no wait exceeds its nominal value: the first retry comes
 * within `baseDelayMs`). A delivery is retried until `retryForMs` have passed since its first
 * attempt; the attempt after that point is its last, so every event is tried for at least
 * `retryForMs`.
 */
export interface RetryPolicy {
  baseDelayMs: number;
  maxDelayMs: number;
  retryForMs: number;
  /** 0 (none) to 1 (full jitter); 0.5 keeps each wait between half and all of its nominal value. */
  jitter: number;
}

export const DEFAULT_JITTER = 0.5;

/** The wait before retry `retry` (1-based), given a random number in [0, 1). */
export function retryDelayMs(retry: number, policy: RetryPolicy, random: number): number {
  const nominal = Math.min(policy.baseDelayMs * 2 ** Math.min(retry - 1, 52), policy.maxDelayMs);
  return Math.max(1, Math.round(nominal * (1 - policy.jitter * random)));
}

/**
 * After failed attempt number `attempts` (1-based), `elapsedMs` after the first attempt: the
 * wait before the next one, or null when the schedule is over.
 */
export function nextRetryDelayMs(attempts: number, elapsedMs: number, policy: RetryPolicy, random: number): number | null {
  if (elapsedMs >= policy.retryForMs) return null;
  return retryDelayMs(attempts, policy, random);
}
