import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { APP_CONFIG } from '../config/app-config';
import type { AppConfig } from '../config/app-config';
import { DomainError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';

/** With METRICS_TOKEN set, a scrape must send `Authorization: Bearer <METRICS_TOKEN>`. */
@Injectable()
export class MetricsTokenGuard implements CanActivate {
  private readonly expected?: Buffer;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.expected = config.METRICS_TOKEN ? digest(config.METRICS_TOKEN) : undefined;
  }

  canActivate(ctx: ExecutionContext): boolean {
    if (!this.expected) return true;
    const header = ctx.switchToHttp().getRequest<Request>().headers.authorization ?? '';
    const sent = /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1] ?? '';
    // Digests of equal length, so the comparison takes the same time whatever was sent.
    if (timingSafeEqual(digest(sent), this.expected)) return true;
    throw new DomainError(ErrorCode.UNAUTHENTICATED, 'The metrics token is missing or wrong.', {}, undefined, { 'WWW-Authenticate': 'Bearer' });
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
