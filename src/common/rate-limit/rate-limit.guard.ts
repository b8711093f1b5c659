import { Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DEFAULT_IPV6_SUBNET_PREFIX, InjectThrottlerOptions, InjectThrottlerStorage, normalizeIp, ThrottlerGuard } from '@nestjs/throttler';
import type { ThrottlerModuleOptions, ThrottlerRequest, ThrottlerStorage } from '@nestjs/throttler';
import type { ExecutionContext } from '@nestjs/common';
import type { Request, Response } from 'express';
import { IS_PUBLIC } from '../auth/decorators';
import { RequestAuthenticator } from '../auth/request-authenticator';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';

/** The budget reported in the RateLimit-* headers: the one closest to running out. */
interface Reported {
  remaining: number;
}

/**
 * The global rate limiter, before authentication: it counts per principal when the request
 * carries a valid token (its `sub`), per client address otherwise (`TRUST_PROXY` decides which
 * address that is), so users behind one proxy do not share a budget and a flood of bad tokens
 * is still counted. Every budget is one key across routes, so it holds across all instances
 * that share the storage.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  private readonly reported = new WeakMap<Response, Reported>();

  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    private readonly authenticator: RequestAuthenticator,
  ) {
    super(options, storage, reflector);
  }

  protected override async getTracker(req: Record<string, any>, context?: ExecutionContext): Promise<string> {
    const isPublic = context && this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    if (!isPublic) {
      try {
        return `user:${(await this.authenticator.authenticate(req as Request)).userId}`;
      } catch {
        // No valid token: the AuthGuard answers 401 after this; until then it counts by address.
      }
    }
    return `ip:${normalizeIp((req as Request).ip ?? 'unknown', DEFAULT_IPV6_SUBNET_PREFIX)}`;
  }

  protected override generateKey(_context: ExecutionContext, tracker: string, name: string): string {
    return `scheduler:rate-limit:${name}:${tracker}`;
  }

  protected override async handleRequest(props: ThrottlerRequest): Promise<boolean> {
    const { context, limit, ttl, throttler, blockDuration } = props;
    const name = throttler.name ?? 'default';
    const { req, res } = this.getRequestResponse(context);
    const key = props.generateKey(context, await props.getTracker(req, context), name);
    const record = await this.storageService.increment(key, ttl, limit, blockDuration, name);
    const remaining = record.isBlocked ? 0 : Math.max(0, limit - record.totalHits);
    this.report(res as Response, { limit, remaining, resetSeconds: record.isBlocked ? record.timeToBlockExpire : record.timeToExpire, windowSeconds: ttl / 1000 });
    if (record.isBlocked) {
      const retryAfter = Math.max(1, record.timeToBlockExpire);
      const what = name === 'default' ? 'requests' : `${name} requests`;
      throw new DomainError(ErrorCode.RATE_LIMITED, `Too many ${what}: at most ${limit} per ${ttl / 1000} s. Retry in ${retryAfter} s.`, {}, undefined, {
        'Retry-After': String(retryAfter),
      });
    }
    return true;
  }

  /** RateLimit-* headers (IETF httpapi draft): the budget with the fewest requests left wins. */
  private report(res: Response, budget: { limit: number; remaining: number; resetSeconds: number; windowSeconds: number }): void {
    const previous = this.reported.get(res);
    if (previous && previous.remaining <= budget.remaining) return;
    this.reported.set(res, { remaining: budget.remaining });
    res.setHeader('RateLimit-Limit', String(budget.limit));
    res.setHeader('RateLimit-Remaining', String(budget.remaining));
    res.setHeader('RateLimit-Reset', String(Math.max(0, budget.resetSeconds)));
    res.setHeader('RateLimit-Policy', `${budget.limit};w=${budget.windowSeconds}`);
  }
}
