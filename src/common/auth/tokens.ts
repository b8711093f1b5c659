import { SignJWT } from 'jose';
import { Role } from './principal';

export interface TokenClaims {
  sub: string;
  roles?: Role[];
  biz?: string[];
}

/** Signs an HS256 token, as the host application would. Used for the demo tokens and by tests. */
export function signHs256Token(
  secret: string,
  claims: TokenClaims,
  ttlSeconds: number,
  options: { issuer?: string; audience?: string } = {},
): Promise<string> {
  const jwt = new SignJWT({ ...(claims.roles ? { roles: claims.roles } : {}), ...(claims.biz ? { biz: claims.biz } : {}) })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`);
  if (options.issuer) jwt.setIssuer(options.issuer);
  if (options.audience) jwt.setAudience(options.audience);
  return jwt.sign(new TextEncoder().encode(secret));
}
