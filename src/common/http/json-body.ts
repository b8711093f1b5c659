import express, { NextFunction, Request, RequestHandler, Response } from 'express';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';

/** What the API reads: JSON, and JSON-based media types such as `application/merge-patch+json`. */
const JSON_MEDIA_TYPES = ['application/json', 'application/*+json'];
/** The methods whose bodies this API reads; bodies of GET and DELETE are ignored, as HTTP allows. */
export const METHODS_WITH_CONTENT = new Set(['POST', 'PUT', 'PATCH']);

/**
 * Reading request bodies: a body that is not JSON is refused with 415 naming its type (rather
 * than being ignored and failing validation field by field), then JSON is parsed up to `limit`
 * bytes. Parse errors reach the error middleware after these.
 */
export function jsonBodies(limit: number): RequestHandler[] {
  return [
    refuseBodiesThatAreNotJson,
    express.json({ limit, type: (req) => METHODS_WITH_CONTENT.has(req.method ?? '') && Boolean((req as Request).is(JSON_MEDIA_TYPES)) }),
  ];
}

function refuseBodiesThatAreNotJson(req: Request, _res: Response, next: NextFunction): void {
  if (!METHODS_WITH_CONTENT.has(req.method) || !carriesContent(req) || req.is(JSON_MEDIA_TYPES)) return next();
  const given = req.headers['content-type']?.split(';')[0].trim().slice(0, 100);
  next(
    new DomainError(
      ErrorCode.UNSUPPORTED_MEDIA_TYPE,
      given
        ? `The body is ${given}; send JSON with Content-Type: application/json.`
        : 'The body has no Content-Type; send JSON with Content-Type: application/json.',
    ),
  );
}

/** A zero-length body is no body: clients send `Content-Length: 0` on a POST without one. */
function carriesContent(req: Request): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}
