import { loadConfig } from '../../config/app-config';
import { JwtVerifier } from './jwt-verifier';
import type { Principal } from './principal';
import { signHs256Token } from './tokens';
import { VerifiedTokens } from './verified-tokens';

const SECRET = 'verified-tokens-secret-that-is-long-enough-0123456789';
const SUB = '6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f';
const ALICE: Principal = { userId: SUB, roles: ['user'], bizIds: [] };

describe('VerifiedTokens', () => {
  it('answers a remembered token until the instant it stops being valid, then forgets it', () => {
    const tokens = new VerifiedTokens(10, 60_000);
    tokens.remember('t', ALICE, 5_000, 0);
    expect(tokens.get('t', 4_999)).toBe(ALICE);
    expect(tokens.get('t', 5_000)).toBeUndefined();
    expect(tokens.size).toBe(0);
  });

  it('keeps a verification no longer than its hold, however long the token lives', () => {
    const tokens = new VerifiedTokens(10, 60_000);
    tokens.remember('t', ALICE, 3_600_000, 0);
    expect(tokens.get('t', 59_999)).toBe(ALICE);
    expect(tokens.get('t', 60_000)).toBeUndefined();
  });

  it('does not keep a token that is already past its validity', () => {
    const tokens = new VerifiedTokens(10, 60_000);
    tokens.remember('t', ALICE, 1_000, 1_000);
    expect(tokens.size).toBe(0);
  });

  it('makes room by forgetting the oldest token', () => {
    const tokens = new VerifiedTokens(2, 60_000);
    tokens.remember('a', ALICE, 10_000, 0);
    tokens.remember('b', ALICE, 10_000, 0);
    tokens.remember('c', ALICE, 10_000, 0);
    expect([tokens.get('a', 1), tokens.get('b', 1), tokens.get('c', 1)]).toEqual([undefined, ALICE, ALICE]);
  });
});

describe('JwtVerifier reusing a verification', () => {
  afterEach(() => jest.useRealTimers());

  function verifier(): JwtVerifier {
    return JwtVerifier.fromConfig(loadConfig({ AUTH_JWT_SECRET: SECRET, AUTH_CLOCK_TOLERANCE_SECONDS: '0' }));
  }

  it('answers a repeated token with the same frozen principal', async () => {
    const jwt = verifier();
    const token = await signHs256Token(SECRET, { sub: SUB, roles: ['admin'], biz: [] }, 600);
    const first = await jwt.verify(token);
    expect(await jwt.verify(token)).toBe(first);
    expect(Object.isFrozen(first) && Object.isFrozen(first.roles) && Object.isFrozen(first.bizIds)).toBe(true);
  });

  it('refuses a token at its expiry although it was verified before', async () => {
    jest.useFakeTimers({ now: Date.UTC(2026, 11, 6, 12, 0, 0) });
    const jwt = verifier();
    const token = await signHs256Token(SECRET, { sub: SUB }, 30);
    await expect(jwt.verify(token)).resolves.toMatchObject({ userId: SUB });
    jest.setSystemTime(Date.UTC(2026, 11, 6, 12, 0, 29, 999));
    await expect(jwt.verify(token)).resolves.toMatchObject({ userId: SUB });
    jest.setSystemTime(Date.UTC(2026, 11, 6, 12, 0, 30));
    await expect(jwt.verify(token)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('never reuses a verification for a token that differs by one character', async () => {
    const jwt = verifier();
    const token = await signHs256Token(SECRET, { sub: SUB }, 600);
    await jwt.verify(token);
    // A character in the middle of the signature: every one of its bits counts.
    const at = token.length - 10;
    const tampered = `${token.slice(0, at)}${token[at] === 'A' ? 'B' : 'A'}${token.slice(at + 1)}`;
    await expect(jwt.verify(tampered)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});
