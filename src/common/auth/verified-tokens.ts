import { performance } from 'node:perf_hooks';
import type { Principal } from './principal';

/** How long a verification is reused at most: a key taken out of a JWKS stops being honoured within it. */
export const VERIFIED_TOKEN_HOLD_MS = 60_000;
/** Tokens remembered at most. */
export const VERIFIED_TOKEN_CAPACITY = 10_000;
/** Characters of tokens remembered at most, all together (one byte each: they are ASCII). */
export const VERIFIED_TOKEN_BUDGET = 8 * 1024 * 1024;
/** A token longer than this is verified every time; identity providers' tokens are well under it. */
const MAX_REMEMBERED_LENGTH = 8192;
/**
 * A compact JWS as issuers write it. jose also accepts spellings that decode to the same bytes
 * (padding, characters outside base64url): those are verified every time, so one valid token
 * cannot be turned into any number of entries.
 */
const CANONICAL_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** Where a token's claims hold: [validFromMs, validUntilMs) on the wall clock. */
export interface Validity {
  validFromMs: number;
  validUntilMs: number;
}

interface Entry extends Validity {
  principal: Principal;
  /** The end of the hold on the monotonic clock, so a step of the wall clock cannot stretch it. */
  heldUntil: number;
}

/**
 * Tokens verified recently, each with its principal and where its claims hold, so a client
 * repeating one token (every request of a session does) is verified once a minute rather than on
 * every request. Only successful verifications are kept, each no longer than its validity and
 * VERIFIED_TOKEN_HOLD_MS; the oldest entries make room for new ones, within
 * VERIFIED_TOKEN_CAPACITY entries and VERIFIED_TOKEN_BUDGET characters.
 */
export class VerifiedTokens {
  private readonly entries = new Map<string, Entry>();
  private characters = 0;

  constructor(
    private readonly capacity = VERIFIED_TOKEN_CAPACITY,
    private readonly holdMs = VERIFIED_TOKEN_HOLD_MS,
    private readonly budget = VERIFIED_TOKEN_BUDGET,
  ) {}

  get(token: string, nowMs = Date.now(), monotonicMs = performance.now()): Principal | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (nowMs >= entry.validFromMs && nowMs < entry.validUntilMs && monotonicMs < entry.heldUntil) return entry.principal;
    this.forget(token);
    return undefined;
  }

  remember(token: string, principal: Principal, validity: Validity, nowMs = Date.now(), monotonicMs = performance.now()): void {
    if (token.length > MAX_REMEMBERED_LENGTH || !CANONICAL_JWS.test(token)) return;
    if (nowMs < validity.validFromMs || nowMs >= validity.validUntilMs) return;
    this.forget(token);
    while (this.entries.size > 0 && (this.entries.size >= this.capacity || this.characters + token.length > this.budget)) {
      this.forget(this.entries.keys().next().value!);
    }
    this.entries.set(token, { principal, ...validity, heldUntil: monotonicMs + this.holdMs });
    this.characters += token.length;
  }

  get size(): number {
    return this.entries.size;
  }

  private forget(token: string): void {
    if (this.entries.delete(token)) this.characters -= token.length;
  }
}
