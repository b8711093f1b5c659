import { randomUUID } from 'node:crypto';
import { JWTPayload, KeyLike, SignJWT } from 'jose';
import type { Role } from '../../src/common/auth/principal';
import { signHs256Token, TokenClaims } from '../../src/common/auth/tokens';

/** The HS256 secret the test app verifies tokens with. */
export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256-0123456789';

/** A token the test app accepts: a fresh `sub` unless the claims name one. */
export function token(claims: Partial<TokenClaims> = {}, ttlSeconds = 600): Promise<string> {
  return signHs256Token(TEST_JWT_SECRET, { sub: randomUUID(), ...claims }, ttlSeconds);
}

/** An admin of exactly these businesses. */
export const adminToken = (...biz: string[]): Promise<string> => token({ roles: ['admin'], biz });

/** A principal whose `sub` is known, so rows it writes (events, idempotency records) can be found. */
export interface Caller {
  sub: string;
  token: string;
}

/** `roles` may name roles the API does not know (they are ignored, docs/decisions.md). */
export async function caller(claims: { roles?: string[]; biz?: string[] } = {}): Promise<Caller> {
  const sub = randomUUID();
  return { sub, token: await token({ sub, roles: claims.roles as Role[] | undefined, biz: claims.biz }) };
}

// ---------------------------------------------------------------------------------------------
// Hand-made tokens, for the tests of token verification itself
// ---------------------------------------------------------------------------------------------

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** A complete claim set (fresh `sub`, `iat`, `exp` in 10 minutes) with overrides on top. */
export function claims(overrides: JWTPayload = {}): JWTPayload {
  const now = nowSeconds();
  return { sub: randomUUID(), iat: now, exp: now + 600, ...overrides };
}

/** Signs `payload` exactly as given: nothing is added, so a missing `exp` stays missing. */
export function sign(payload: JWTPayload, key: KeyLike | Uint8Array, alg: string, kid?: string): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg, typ: 'JWT', ...(kid ? { kid } : {}) }).sign(key);
}

export function hmacKey(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}

/** HS256 with the test app's secret unless another one is given. */
export function hs256(payload: JWTPayload, secret: string = TEST_JWT_SECRET): Promise<string> {
  return sign(payload, hmacKey(secret), 'HS256');
}

const base64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** An unsecured JWT (RFC 7519 §6): `{"alg":"none"}` header, the payload, an empty signature. */
export function unsecuredToken(payload: JWTPayload): string {
  return `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(payload)}.`;
}
