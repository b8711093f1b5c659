import { Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import { JwtVerifier } from './jwt-verifier';
import type { Principal } from './principal';

/**
 * Verifies a request's bearer token once: the rate limiter (which runs first, to count per
 * principal) and the AuthGuard both ask, and share the one verification and its outcome.
 */
@Injectable()
export class RequestAuthenticator {
  private readonly verified = new WeakMap<Request, Promise<Principal>>();

  constructor(@Inject(JwtVerifier) private readonly verifier: JwtVerifier) {}

  authenticate(req: Request): Promise<Principal> {
    let outcome = this.verified.get(req);
    if (!outcome) {
      outcome = Promise.resolve().then(() => this.verifier.verify(bearerToken(req.headers.authorization)));
      this.verified.set(req, outcome);
    }
    return outcome;
  }
}

function bearerToken(header: string | undefined): string {
  const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
  if (!match) {
    throw new DomainError(ErrorCode.UNAUTHENTICATED, 'A valid bearer token is required.', {}, undefined, {
      'WWW-Authenticate': 'Bearer',
    });
  }
  return match[1];
}
