import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import { from, lastValueFrom, Observable } from 'rxjs';
import type { AuthenticatedRequest } from '../common/auth/decorators';
import { routeTemplate } from '../idempotency/idempotency.policy';
import { auditAction, isAuditedWrite } from './audit.policy';
import { AuditService } from './audit.service';

/**
 * Audits every admin write by its method and the route Nest matched, so a new admin write route
 * is audited with no code of its own beyond its service's AuditTrail.record. Registered after
 * the idempotency interceptor: a replayed outcome wrote nothing and records nothing, and a
 * keyed write's row commits with its idempotency record.
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  constructor(private readonly audit: AuditService) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = ctx.switchToHttp().getRequest<Request & AuthenticatedRequest & { id: string }>();
    const template = routeTemplate(ctx.getClass(), ctx.getHandler());
    if (!req.principal || !isAuditedWrite(req.method, template)) return next.handle();
    const request = { principal: req.principal, action: auditAction(req.method, template), requestId: req.id };
    return from(this.audit.recordAround(request, () => lastValueFrom(next.handle(), { defaultValue: undefined })));
  }
}
