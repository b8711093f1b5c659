import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { validationFailed } from '../../common/errors/domain-error';

/**
 * For routes that take no body (confirm, complete, no-show): nothing, or `{}`, is accepted;
 * any property is unknown and refused (API.md §Conventions: unknown body properties are
 * rejected, never silently ignored). A DTO class cannot say this (one without validation
 * metadata fails `forbidUnknownValues` even when no body is sent), and a custom parameter
 * decorator, unlike `@Body()`, adds no request body to the OpenAPI document.
 */
export const NoBody = createParamDecorator((_: unknown, ctx: ExecutionContext): undefined => {
  const body = ctx.switchToHttp().getRequest<Request>().body as unknown;
  if (body === undefined || body === null) return undefined;
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw validationFailed([{ field: 'body', message: 'this route takes no body' }]);
  }
  const fields = Object.keys(body);
  if (fields.length > 0) {
    throw validationFailed(fields.map((field) => ({ field, message: `property ${field} should not exist` })));
  }
  return undefined;
});
