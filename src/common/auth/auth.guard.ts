import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import { AuthenticatedRequest, IS_ADMIN_API, IS_PUBLIC } from './decorators';
import { JwtVerifier } from './jwt-verifier';
import { canRead, canWrite } from './principal';

const READ_METHODS = new Set(['GET', 'HEAD']);

/** Default-deny: every route needs a valid token unless marked `@Public()`. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(JwtVerifier) private readonly verifier: JwtVerifier,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;

    const req = ctx.switchToHttp().getRequest<Request & AuthenticatedRequest>();
    const token = bearerToken(req.headers.authorization);
    const principal = await this.verifier.verify(token);
    req.principal = principal;

    if (this.reflector.getAllAndOverride<boolean>(IS_ADMIN_API, targets)) {
      const allowed = READ_METHODS.has(req.method) ? canRead(principal) : canWrite(principal);
      if (!allowed) throw new DomainError(ErrorCode.FORBIDDEN, 'Your role does not allow this call.');
    }
    return true;
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
