import fc from 'fast-check';
import { DEFAULT_JITTER, nextRetryDelayMs, retryDelayMs, RetryPolicy } from './retry-schedule';

/** The defaults of WEBHOOK_RETRY_* (src/config/app-config.ts). */
const DEFAULTS: RetryPolicy = { baseDelayMs: 5000, maxDelayMs: 7_200_000, retryForMs: 86_400_000, jitter: DEFAULT_JITTER };

/** Every attempt of an event whose deliveries all fail, as offsets from the first (which is 0). */
function attemptTimes(policy: RetryPolicy, random: () => number): number[] {
  const times = [0];
  for (;;) {
    const delay = nextRetryDelayMs(times.length, times[times.length - 1], policy, random());
    if (delay === null) return times;
    times.push(times[times.length - 1] + delay);
  }
}

describe('webhook retry schedule', () => {
  it('first retry within 10 s, whatever the jitter', () => {
    for (const random of [0, 0.5, 0.999999]) expect(retryDelayMs(1, DEFAULTS, random)).toBeLessThanOrEqual(10_000);
    expect(retryDelayMs(1, DEFAULTS, 0)).toBe(5000);
    expect(retryDelayMs(1, DEFAULTS, 0.999999)).toBe(2500);
  });

  it('doubles each retry up to the cap', () => {
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(n, DEFAULTS, 0))).toEqual([5000, 10_000, 20_000, 40_000, 80_000]);
    expect(retryDelayMs(40, DEFAULTS, 0)).toBe(7_200_000);
    expect(retryDelayMs(10_000, DEFAULTS, 0)).toBe(7_200_000);
  });

  it('jitter only shortens a wait, by at most the jitter fraction', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (retry, random) => {
        const nominal = retryDelayMs(retry, DEFAULTS, 0);
        const jittered = retryDelayMs(retry, DEFAULTS, random);
        expect(jittered).toBeLessThanOrEqual(nominal);
        expect(jittered).toBeGreaterThanOrEqual(Math.round(nominal * (1 - DEFAULT_JITTER)));
      }),
    );
  });

  it('with the defaults, an always-failing event is tried for at least 24 h, and not for ever', () => {
    for (const random of [() => 0, () => 0.999999, mulberry32(7)]) {
      const times = attemptTimes(DEFAULTS, random);
      const last = times[times.length - 1];
      expect(last).toBeGreaterThanOrEqual(24 * 3_600_000);
      // The last wait is at most the cap, so the schedule ends within one cap of the window.
      expect(last).toBeLessThan(24 * 3_600_000 + DEFAULTS.maxDelayMs);
      expect(times.length).toBeGreaterThan(10);
      expect(times.length).toBeLessThan(60);
    }
  });

  it('no retry once the window has passed since the first attempt', () => {
    expect(nextRetryDelayMs(3, DEFAULTS.retryForMs - 1, DEFAULTS, 0)).toBe(20_000);
    expect(nextRetryDelayMs(3, DEFAULTS.retryForMs, DEFAULTS, 0)).toBeNull();
  });

  it('a short test policy ends after its window too', () => {
    const fast: RetryPolicy = { baseDelayMs: 20, maxDelayMs: 100, retryForMs: 1000, jitter: DEFAULT_JITTER };
    const times = attemptTimes(fast, mulberry32(1));
    expect(times[times.length - 1]).toBeGreaterThanOrEqual(1000);
    expect(times[times.length - 1]).toBeLessThan(1100);
  });
});

/** A seeded generator, so the schedule under jitter is reproducible. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
