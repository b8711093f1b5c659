import { Injectable } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import { sendProblem, toProblem } from '../errors/problem';

/**
 * Graceful shutdown for HTTP: once draining, every new request (readiness probes included) is
 * answered 503 with `Connection: close`, so load balancers move on, while requests already in
 * flight run to their end.
 */
@Injectable()
export class ShutdownGate {
  private draining = false;
  private inFlight = 0;
  private readonly idle = new Set<() => void>();

  readonly middleware = (req: Request & { id?: string }, res: Response, next: NextFunction): void => {
    if (this.draining) {
      res.setHeader('Connection', 'close');
      const error = new DomainError(ErrorCode.UNAVAILABLE, 'This instance is shutting down; retry the request.', {}, undefined, {
        'Retry-After': '1',
      });
      return sendProblem(res, toProblem(error, req.id));
    }
    this.inFlight += 1;
    // 'close' follows every response, finished or aborted.
    res.once('close', () => {
      this.inFlight -= 1;
      if (this.inFlight === 0) for (const wake of this.idle) wake();
    });
    next();
  };

  get isDraining(): boolean {
    return this.draining;
  }

  /** Stops taking requests; resolves true once none is in flight, false if `timeoutMs` passes first. */
  drain(timeoutMs: number): Promise<boolean> {
    this.draining = true;
    if (this.inFlight === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (finished: boolean): void => {
        clearTimeout(timer);
        this.idle.delete(wake);
        resolve(finished);
      };
      const wake = (): void => done(true);
      const timer = setTimeout(() => done(false), timeoutMs);
      this.idle.add(wake);
    });
  }
}
