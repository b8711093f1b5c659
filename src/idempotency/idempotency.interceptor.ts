import { CallHandler, ExecutionContext, HttpStatus, Injectable, NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { from, lastValueFrom, map, Observable } from 'rxjs';
import type { AuthenticatedRequest } from '../common/auth/decorators';
import { ETAG_HEADER } from '../common/http/preconditions';
import { requestFingerprint } from './fingerprint';
import { IdempotencyErrors } from './idempotency.errors';
import { IdempotencyService } from './idempotency.service';
import {
  concretePath,
  idempotencyPolicy,
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENT_REPLAYED_HEADER,
  routeTemplate,
} from './idempotency.policy';

/**
 * Applies Idempotency-Key to every write by its method and the route Nest matched, so a new
 * endpoint gets it without code of its own (required on public POSTs, honoured on admin
 * writes), and no spelling of a path can route around it.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly idempotency: IdempotencyService,
    private readonly reflector: Reflector,
  ) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = ctx.switchToHttp().getRequest<Request & AuthenticatedRequest>();
    const template = routeTemplate(ctx.getClass(), ctx.getHandler());
    const policy = idempotencyPolicy(req.method, template);
    const key = req.header(IDEMPOTENCY_KEY_HEADER);
    if (policy === 'none' || !req.principal) return next.handle();
    if (key === undefined) {
      if (policy === 'required') throw IdempotencyErrors.required();
      return next.handle();
    }
    this.idempotency.assertKeySyntax(key);

    const request = {
      principalSub: req.principal.userId,
      key,
      method: req.method,
      path: concretePath(template, req.params as Record<string, string>, req.originalUrl),
      fingerprint: requestFingerprint(req.body),
    };
    const res = ctx.switchToHttp().getResponse<Response>();
    const success = { status: this.successStatus(ctx, req.method), headers: () => representationHeaders(res) };
    const handled = this.idempotency.execute(request, success, () => lastValueFrom(next.handle(), { defaultValue: undefined }));
    return from(handled).pipe(
      map(({ body, replayed, headers }) => {
        if (replayed) res.setHeader(IDEMPOTENT_REPLAYED_HEADER, 'true');
        for (const [name, value] of Object.entries(headers ?? {})) res.setHeader(name, value);
        return body;
      }),
    );
  }

  /** The status Nest will send for a success: `@HttpCode`, else 201 for POST and 200 otherwise. */
  private successStatus(ctx: ExecutionContext, method: string): number {
    const declared = this.reflector.get<number | undefined>(HTTP_CODE_METADATA, ctx.getHandler());
    return declared ?? (method === 'POST' ? HttpStatus.CREATED : HttpStatus.OK);
  }
}

/** Headers that describe the answered representation, recorded with the outcome so that a replay sends them too. */
const REPRESENTATION_HEADERS = [ETAG_HEADER];

function representationHeaders(res: Response): Record<string, string> {
  return Object.fromEntries(REPRESENTATION_HEADERS.flatMap((name) => (res.hasHeader(name) ? [[name, String(res.getHeader(name))]] : [])));
}
