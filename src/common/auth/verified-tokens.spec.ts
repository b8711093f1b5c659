import { loadConfig } from '../../config/app-config';
import { JwtVerifier } from './jwt-verifier';
import type { Principal } from './principal';
import { signHs256Token } from './tokens';
import { VerifiedTokens } from './verified-tokens';

const SECRET = 'verified-tokens-secret-that-is-long-enough-0123456789';
const SUB = '6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f';
const ALICE: Principal = { userId: SUB, roles: ['user'], bizIds: [] };

describe('VerifiedTokens', () => {
  // Compact JWS shapes: three base64url segments.
  const T = 'aaa.bbb.ccc';
  const U = 'aaa.bbb.ddd';
  const V = 'aaa.bbb.eee';
  const until = (validUntilMs: number, validFromMs = 0) => ({ validFromMs, validUntilMs });

  it('answers a remembered token until the instant it stops being valid, then forgets it', () => {
    const tokens = new VerifiedTokens(10, 60_000);
    tokens.remember(T, ALICE, until(5_000), 0, 0);
    expect(tokens.get(T, 4_999, 4_999)).toBe(ALICE);
    expect(tokens.get(T, 5_000, 5_000)).toBeUndefined();
    expect(tokens.size).toBe(0);
  });

  it('keeps a verification no longer than its hold on the monotonic clock, whatever the wall clock does', () => {
    const tokens = new VerifiedTokens(10, 60_000);
    tokens.remember(T, ALICE, until(3_600_000), 0, 0);
    expect(tokens.get(T, 59_999, 59_999)).toBe(ALICE);
    // The wall clock stepped back a minute: the hold still ends 60 s after the verification.
    expect(tokens.get(T, 1_000, 60_000)).toBeUndefined();
  });

  it('refuses a remembered token once the wall clock is before where its claims start to hold', () => {
    const tokens = new VerifiedTokens(10, 60_000);
    tokens.remember(T, ALICE, until(3_600_000, 10_000), 20_000, 0);
    expect(tokens.get(T, 10_000, 1)).toBe(ALICE);
    expect(tokens.get(T, 9_999, 2)).toBeUndefined();
  });

  it('does not keep a token outside its validity', () => {
    const tokens = new VerifiedTokens(10, 60_000);
    tokens.remember(T, ALICE, until(1_000), 1_000, 0);
    tokens.remember(U, ALICE, until(9_000, 5_000), 4_999, 0);
    expect(tokens.size).toBe(0);
  });

  it('makes room by forgetting the oldest token, by count and by characters', () => {
    const byCount = new VerifiedTokens(2, 60_000);
    for (const token of [T, U, V]) byCount.remember(token, ALICE, until(10_000), 0, 0);
    expect([T, U, V].map((token) => byCount.get(token, 1, 1))).toEqual([undefined, ALICE, ALICE]);
    const byCharacters = new VerifiedTokens(10, 60_000, 2 * T.length);
    for (const token of [T, U, V]) byCharacters.remember(token, ALICE, until(10_000), 0, 0);
    expect([T, U, V].map((token) => byCharacters.get(token, 1, 1))).toEqual([undefined, ALICE, ALICE]);
  });

  it('remembers only compact tokens as issuers write them, and none longer than 8 KB', () => {
    const tokens = new VerifiedTokens(10, 60_000);
    for (const spelling of [`${T}=`, `${T}!`, `aaa.b~bb.ccc`, `aaa.bbb`, `aaa.bbb.${'c'.repeat(8192)}`]) {
      tokens.remember(spelling, ALICE, until(10_000), 0, 0);
    }
    expect(tokens.size).toBe(0);
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

  it('verifies every time a token spelt otherwise than its issuer wrote it (jose accepts trailing padding)', async () => {
    const jwt = verifier();
    const token = await signHs256Token(SECRET, { sub: SUB }, 600);
    await expect(jwt.verify(`${token}==`)).resolves.toMatchObject({ userId: SUB });
    const again = await jwt.verify(`${token}==`);
    expect(again).toMatchObject({ userId: SUB });
    expect(again).not.toBe(await jwt.verify(`${token}==`));
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
