import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { NextFunction, Request, Response } from 'express';
import type { Observable } from 'rxjs';
import { APP_CONFIG } from '../../config/app-config';
import type { AppConfig } from '../../config/app-config';
import { currentQueryLimits, longRunningLimits, requestLimits, runWithQueryLimits } from '../../database/query-limits';

const LONG_RUNNING = 'http:longRunning';

/**
 * A route whose work is one long statement by design (a 144k-slot COPY, a bulk cancel): its
 * deadline and statement timeout are LONG_REQUEST_TIMEOUT_MS instead of the request defaults.
 */
export const LongRunning = (): MethodDecorator => SetMetadata(LONG_RUNNING, true);

/**
 * Gives every request its database limits: REQUEST_TIMEOUT_MS from now for all of its
 * statements, and the statement timeouts of its transactions. Mounted after the body parser,
 * whose stream callbacks would otherwise run outside the request's async context.
 */
export function requestDeadline(config: AppConfig): (req: Request, res: Response, next: NextFunction) => void {
  return (_req, _res, next) => runWithQueryLimits(requestLimits(config), next);
}

/**
 * Widens the limits of `@LongRunning()` routes. Registered before every other interceptor (in
 * AppModule's own providers), so the transaction the idempotency interceptor opens already
 * carries the long statement timeout.
 */
@Injectable()
export class LongRunningInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const limits = currentQueryLimits();
    if (limits && this.reflector.get<boolean>(LONG_RUNNING, ctx.getHandler())) Object.assign(limits, longRunningLimits(this.config));
    return next.handle();
  }
}
