import { createPublicKey, createSecretKey, KeyObject } from 'node:crypto';
import { createRemoteJWKSet, errors as joseErrors, JWTPayload, jwtVerify, JWTVerifyGetKey } from 'jose';
import { AppConfig, ConfigError } from '../../config/app-config';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import { Principal, Role, ROLES } from './principal';
import { UUID_PATTERN } from '../validation/uuid';
import { Validity, VerifiedTokens } from './verified-tokens';

type VerificationKey = Uint8Array | KeyObject | JWTVerifyGetKey;

/**
 * Verifies bearer tokens with jose. Each key source is bound to its own algorithms, so an
 * HS256 token "signed" with a public key (algorithm confusion) and `alg: none` never pass.
 */
export class JwtVerifier {
  private readonly verified = new VerifiedTokens();

  private constructor(
    private readonly key: VerificationKey,
    private readonly algorithms: string[],
    private readonly issuer: string | undefined,
    private readonly audience: string | undefined,
    private readonly clockTolerance: number,
    private readonly maxTokenAge: number,
  ) {}

  static fromConfig(config: AppConfig): JwtVerifier {
    const { issuer, audience, tolerance, maxAge } = {
      issuer: config.AUTH_JWT_ISSUER,
      audience: config.AUTH_JWT_AUDIENCE,
      tolerance: config.AUTH_CLOCK_TOLERANCE_SECONDS,
      maxAge: config.AUTH_MAX_TOKEN_AGE_SECONDS,
    };
    if (config.AUTH_JWKS_URL) {
      const keySet = reportUnavailableKeySet(createRemoteJWKSet(new URL(config.AUTH_JWKS_URL)));
      return new JwtVerifier(keySet, ['RS256', 'ES256'], issuer, audience, tolerance, maxAge);
    }
    if (config.AUTH_JWT_PUBLIC_KEY) {
      const key = parsePublicKey(config.AUTH_JWT_PUBLIC_KEY);
      return new JwtVerifier(key, [algorithmOf(key)], issuer, audience, tolerance, maxAge);
    }
    if (config.AUTH_JWT_SECRET) {
      // A KeyObject made once: given bytes, jose would make one on every verification.
      return new JwtVerifier(createSecretKey(Buffer.from(config.AUTH_JWT_SECRET, 'utf8')), ['HS256'], issuer, audience, tolerance, maxAge);
    }
    throw new ConfigError(
      'Invalid environment variable AUTH_JWT_SECRET: one of AUTH_JWT_SECRET, AUTH_JWT_PUBLIC_KEY, AUTH_JWKS_URL is required',
    );
  }

  async verify(token: string): Promise<Principal> {
    const known = this.verified.get(token);
    if (known) return known;
    const { principal, validity } = await this.verifyClaims(token);
    this.verified.remember(token, principal, validity);
    return principal;
  }

  /**
   * The principal, and where jose would keep accepting the token: from `iat` (and `nbf`, when
   * set) less the tolerance, until `exp` plus the tolerance and no later than `iat` plus the
   * maximum age plus the tolerance (`exp` and `iat` are required).
   */
  private async verifyClaims(token: string): Promise<{ principal: Principal; validity: Validity }> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.key as Uint8Array, {
        algorithms: this.algorithms,
        issuer: this.issuer,
        audience: this.audience,
        clockTolerance: this.clockTolerance,
        // Makes `iat` required, refuses one older than this or in the future beyond the tolerance:
        // a token minted with `exp` in the year 3000 still stops working.
        maxTokenAge: this.maxTokenAge,
        requiredClaims: ['exp'],
      }));
    } catch (error) {
      if (error instanceof KeySetUnavailable) {
        throw new DomainError(ErrorCode.UNAVAILABLE, 'The token signing keys cannot be fetched right now.', {}, undefined, {
          'Retry-After': '5',
        });
      }
      throw unauthenticated(describeJoseError(error));
    }
    const tolerance = this.clockTolerance;
    const validFrom = Math.max(payload.iat!, payload.nbf ?? payload.iat!) - tolerance;
    const validUntil = Math.min(payload.exp! + tolerance, payload.iat! + this.maxTokenAge + tolerance);
    return { principal: principalFromClaims(payload), validity: { validFromMs: validFrom * 1000, validUntilMs: validUntil * 1000 } };
  }
}

/** The key set could not be fetched or read: the identity provider's fault, not the caller's. */
class KeySetUnavailable extends Error {}

/**
 * A token naming a key the set does not hold (or not naming one among several) is the caller's
 * problem: 401. Anything else from the key set (connection refused, timeout, non-200, invalid
 * JSON or JWKS) means no token could be verified right now: 503, so clients keep their tokens.
 */
function reportUnavailableKeySet(getKey: JWTVerifyGetKey): JWTVerifyGetKey {
  return async (header, token) => {
    try {
      return await getKey(header, token);
    } catch (error) {
      if (error instanceof joseErrors.JWKSNoMatchingKey || error instanceof joseErrors.JWKSMultipleMatchingKeys) throw error;
      throw new KeySetUnavailable('JWKS unavailable', { cause: error });
    }
  };
}

function parsePublicKey(pem: string): KeyObject {
  try {
    return createPublicKey(pem);
  } catch {
    throw new ConfigError('Invalid environment variable AUTH_JWT_PUBLIC_KEY: not a readable PEM public key');
  }
}

function algorithmOf(key: KeyObject): string {
  if (key.asymmetricKeyType === 'rsa') return 'RS256';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ES256';
  throw new ConfigError('Invalid environment variable AUTH_JWT_PUBLIC_KEY: must be an RSA or P-256 EC key');
}

function principalFromClaims(payload: JWTPayload): Principal {
  const { sub } = payload;
  if (typeof sub !== 'string' || !UUID_PATTERN.test(sub)) throw unauthenticated('The token subject must be a UUID.');
  const roles = payload.roles ?? ['user'];
  if (!Array.isArray(roles) || !roles.every((role) => typeof role === 'string')) {
    throw unauthenticated('The roles claim must be an array of strings.');
  }
  const biz = payload.biz ?? [];
  if (!Array.isArray(biz) || !biz.every((id) => typeof id === 'string' && UUID_PATTERN.test(id))) {
    throw unauthenticated('The biz claim must be an array of UUIDs.');
  }
  const knownRoles = roles.filter((role): role is Role => (ROLES as readonly string[]).includes(role));
  // Frozen: one verified principal serves every request that repeats its token.
  return Object.freeze({
    userId: sub.toLowerCase(),
    roles: Object.freeze(knownRoles.length > 0 ? knownRoles : (['user'] as Role[])),
    bizIds: Object.freeze((biz as string[]).map((id) => id.toLowerCase())),
  });
}

function describeJoseError(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return error.claim === 'iat' ? 'The token was issued too long ago.' : 'The token has expired.';
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `The token's ${error.claim} claim is not accepted.`;
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return "The token's algorithm is not accepted.";
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'The token signature is invalid.';
  return 'The token is malformed or cannot be verified.';
}

function unauthenticated(detail: string): DomainError {
  return new DomainError(ErrorCode.UNAUTHENTICATED, detail, {}, undefined, { 'WWW-Authenticate': 'Bearer' });
}
