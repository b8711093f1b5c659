import { HttpException, HttpStatus } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError, FieldError } from './domain-error';
import { ErrorCode, describeErrorCode, problemType } from './error-code';
import { translateDatabaseError } from './database-errors';

/** RFC 9457 problem document, as every error response carries it. */
export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export interface RenderedProblem {
  status: number;
  body: ProblemDocument;
  headers: Record<string, string>;
  /** True when the error is a defect to be logged with its stack, not a client mistake. */
  unexpected: boolean;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/**
 * A problem document recorded earlier (an idempotent replay): sent again byte for byte, with
 * the headers it had, instead of being rendered anew.
 */
export class RecordedProblem extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    readonly headers: Record<string, string>,
  ) {
    super('Replayed problem');
  }
}

/**
 * Maps anything thrown while serving a request to the one problem shape. The exception filter,
 * the body-parser error handler and the idempotency interceptor all render through here.
 */
export function toProblem(error: unknown, requestId?: string): RenderedProblem {
  const domain = asDomainError(error);
  if (domain) return render(domain, false);
  const detail = requestId
    ? `An unexpected error occurred. Reference: ${requestId}.`
    : 'An unexpected error occurred.';
  return render(new DomainError(ErrorCode.INTERNAL, detail), true);
}

function render(error: DomainError, unexpected: boolean): RenderedProblem {
  const { status, title } = describeErrorCode(error.code);
  // Extensions first: they may add members, never replace the standard ones.
  const body: ProblemDocument = {
    ...error.extensions,
    type: problemType(error.code),
    title,
    status,
    detail: error.detail,
    code: error.code,
    ...(error.errors ? { errors: error.errors } : {}),
  };
  return { status, body, headers: error.headers, unexpected };
}

export function sendRecordedProblem(res: Response, problem: RecordedProblem): void {
  res.status(problem.status);
  for (const [name, value] of Object.entries(problem.headers)) res.setHeader(name, value);
  res.setHeader('Content-Type', PROBLEM_CONTENT_TYPE);
  res.send(problem.body);
}

export function sendProblem(res: Response, problem: RenderedProblem): void {
  res.status(problem.status);
  for (const [name, value] of Object.entries(problem.headers)) res.setHeader(name, value);
  res.setHeader('Content-Type', PROBLEM_CONTENT_TYPE);
  res.send(JSON.stringify(problem.body));
}

function asDomainError(error: unknown): DomainError | undefined {
  if (error instanceof DomainError) return error;
  const fromDatabase = translateDatabaseError(error);
  if (fromDatabase) return fromDatabase;
  if (error instanceof HttpException) return fromHttpException(error);
  return fromBodyParser(error);
}

/** Nest's own exceptions: unknown routes, throttling, health checks. */
function fromHttpException(error: HttpException): DomainError | undefined {
  switch (error.getStatus()) {
    case HttpStatus.NOT_FOUND:
      return new DomainError(ErrorCode.NOT_FOUND, 'No resource lives at this path.');
    case HttpStatus.PAYLOAD_TOO_LARGE:
      return payloadTooLarge();
    case HttpStatus.TOO_MANY_REQUESTS:
      return new DomainError(ErrorCode.RATE_LIMITED, 'Slow down and retry later.', {}, undefined, { 'Retry-After': '60' });
    case HttpStatus.SERVICE_UNAVAILABLE:
      return new DomainError(ErrorCode.UNAVAILABLE, 'A dependency is not ready.', {}, undefined, { 'Retry-After': '5' });
    case HttpStatus.UNAUTHORIZED:
      return new DomainError(ErrorCode.UNAUTHENTICATED, 'A valid bearer token is required.');
    case HttpStatus.FORBIDDEN:
      return new DomainError(ErrorCode.FORBIDDEN, 'Your role does not allow this call.');
    case HttpStatus.BAD_REQUEST:
      return new DomainError(ErrorCode.VALIDATION_FAILED, 'The request is malformed.');
    default:
      return undefined;
  }
}

/** Errors raised by express's body parser before any route runs. */
function fromBodyParser(error: unknown): DomainError | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { type, status } = error as { type?: unknown; status?: unknown };
  if (typeof type !== 'string' || typeof status !== 'number') return undefined;
  if (type === 'entity.too.large') return payloadTooLarge();
  if (status === 415) {
    const { charset, encoding } = error as { charset?: unknown; encoding?: unknown };
    const detail =
      typeof charset === 'string'
        ? `The body's charset ${charset} is not supported; send JSON in UTF-8.`
        : `The body's Content-Encoding ${String(encoding)} is not supported; send it uncompressed, or with gzip or deflate.`;
    return new DomainError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, detail);
  }
  if (status >= 400 && status < 500) {
    const detail = type === 'entity.parse.failed' ? 'The body is not valid JSON.' : 'The body could not be read.';
    return new DomainError(ErrorCode.VALIDATION_FAILED, detail, {}, [{ field: 'body', message: detail }]);
  }
  return undefined;
}

function payloadTooLarge(): DomainError {
  return new DomainError(ErrorCode.PAYLOAD_TOO_LARGE, 'The request body exceeds 1 MB.');
}
