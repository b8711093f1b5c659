import { CallHandler, ExecutionContext, Inject, Injectable, Module, NestInterceptor } from '@nestjs/common';
import { APP_INTERCEPTOR, Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { map, Observable } from 'rxjs';
import { APP_CONFIG } from '../../config/app-config';
import type { AppConfig } from '../../config/app-config';
import { routeTemplate } from '../../idempotency/idempotency.policy';
import { entityTag, ETAG_HEADER, honoursIfMatch, IF_MATCH_HEADER, PreconditionErrors, versionOf, VERSIONED_METADATA } from './preconditions';

/**
 * Conditional requests (API.md, ETag and If-Match): with REQUIRE_IF_MATCH=true an admin PATCH
 * without If-Match is 428 before anything runs; `@AnswersETag()` routes send the version of
 * what they answer as `ETag`. Registered after the idempotency interceptor, so the ETag is set
 * by the time an Idempotency-Key's outcome is recorded, and replays carry it too.
 */
@Injectable()
export class PreconditionsInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = ctx.switchToHttp().getRequest<Request>();
    if (this.config.REQUIRE_IF_MATCH && req.header(IF_MATCH_HEADER) === undefined && honoursIfMatch(req.method, routeTemplate(ctx.getClass(), ctx.getHandler()))) {
      throw PreconditionErrors.required();
    }
    if (!this.reflector.get<boolean>(VERSIONED_METADATA, ctx.getHandler())) return next.handle();
    const res = ctx.switchToHttp().getResponse<Response>();
    return next.handle().pipe(
      map((body: unknown) => {
        const version = versionOf(body);
        // A route that promises an ETag and has none to give is a bug, not a response without one.
        if (version === undefined) throw new Error(`${req.method} ${req.path} answered a body without its version`);
        res.setHeader(ETAG_HEADER, entityTag(version));
        return body;
      }),
    );
  }
}

/** Imported after IdempotencyModule (see PreconditionsInterceptor). */
@Module({ providers: [{ provide: APP_INTERCEPTOR, useClass: PreconditionsInterceptor }] })
export class PreconditionsModule {}
