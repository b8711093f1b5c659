import { context, createContextKey } from '@opentelemetry/api';
import type { NextFunction, Request, Response } from 'express';

/** The request id, carried in the OpenTelemetry context so the spans a request causes can name it. */
export const REQUEST_ID_CONTEXT_KEY = createContextKey('scheduler.request_id');
/** The span attribute that carries it (HTTP and SQL spans alike). */
export const REQUEST_ID_ATTRIBUTE = 'scheduler.request_id';

/**
 * Puts the request id in the active context for the rest of the request. Mounted after the body
 * parser, whose stream callbacks would otherwise run outside it. Without tracing the context API
 * is a no-op that simply calls `next`.
 */
export function requestIdInTraceContext(req: Request & { id?: string }, _res: Response, next: NextFunction): void {
  context.with(context.active().setValue(REQUEST_ID_CONTEXT_KEY, req.id), next);
}

/** The id of the request whose work is running now, if any (read by the pg instrumentation). */
export function currentRequestId(): string | undefined {
  const id = context.active().getValue(REQUEST_ID_CONTEXT_KEY);
  return typeof id === 'string' ? id : undefined;
}
