import type { Principal } from './principal';

/** How long a verification is reused at most: a key taken out of a JWKS stops being honoured within it. */
export const VERIFIED_TOKEN_HOLD_MS = 60_000;
/** Tokens remembered at most: about 3 MB of tokens and principals. */
export const VERIFIED_TOKEN_CAPACITY = 10_000;

/**
 * Tokens verified recently, each with its principal and the instant its claims stop being valid,
 * so a client repeating one token (every request of a session does) is verified once a minute
 * rather than on every request. Only successful verifications are kept, each no longer than its
 * `exp`, its maximum age and VERIFIED_TOKEN_HOLD_MS; the oldest entry makes room for a new one.
 */
export class VerifiedTokens {
  private readonly entries = new Map<string, { principal: Principal; validUntilMs: number }>();

  constructor(
    private readonly capacity = VERIFIED_TOKEN_CAPACITY,
    private readonly holdMs = VERIFIED_TOKEN_HOLD_MS,
  ) {}

  get(token: string, nowMs = Date.now()): Principal | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (nowMs < entry.validUntilMs) return entry.principal;
    this.entries.delete(token);
    return undefined;
  }

  remember(token: string, principal: Principal, validUntilMs: number, nowMs = Date.now()): void {
    const until = Math.min(validUntilMs, nowMs + this.holdMs);
    if (until <= nowMs) return;
    this.entries.delete(token);
    if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(token, { principal, validUntilMs: until });
  }

  get size(): number {
    return this.entries.size;
  }
}
