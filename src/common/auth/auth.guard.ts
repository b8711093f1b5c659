import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import { AuthenticatedRequest, IS_ADMIN_API, IS_PUBLIC } from './decorators';
import { canRead, canWrite } from './principal';
import { RequestAuthenticator } from './request-authenticator';

const READ_METHODS = new Set(['GET', 'HEAD']);

/** Default-deny: every route needs a valid token unless marked `@Public()`. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: RequestAuthenticator,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;

    const req = ctx.switchToHttp().getRequest<Request & AuthenticatedRequest>();
    const principal = await this.authenticator.authenticate(req);
    req.principal = principal;

    if (this.reflector.getAllAndOverride<boolean>(IS_ADMIN_API, targets)) {
      const allowed = READ_METHODS.has(req.method) ? canRead(principal) : canWrite(principal);
      if (!allowed) throw new DomainError(ErrorCode.FORBIDDEN, 'Your role does not allow this call.');
    }
    return true;
  }
}
