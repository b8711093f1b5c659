import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import type { Request } from 'express';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';

export const ETAG_HEADER = 'ETag';
export const IF_MATCH_HEADER = 'If-Match';

/**
 * Where a representation carries the version of its row, beside its JSON: properties keyed by
 * a symbol are never serialised, and object spreads keep them.
 */
export const VERSION: unique symbol = Symbol('version');
export type Versioned<T> = T & { readonly [VERSION]: number };

export function withVersion<T extends object>(representation: T, version: number): Versioned<T> {
  return { ...representation, [VERSION]: version };
}

export function versionOf(body: unknown): number | undefined {
  return typeof body === 'object' && body !== null ? (body as Partial<Versioned<object>>)[VERSION] : undefined;
}

/** Strong, because If-Match compares strongly (RFC 9110 §13.1.1): the row's version, quoted. */
export function entityTag(version: number): string {
  return `"${version}"`;
}

/** Every admin PATCH honours If-Match, and REQUIRE_IF_MATCH=true makes it required there. */
export function honoursIfMatch(method: string, routeTemplate: string): boolean {
  return method.toUpperCase() === 'PATCH' && routeTemplate.startsWith('/v1/admin/');
}

/** Entity tags as RFC 9110 writes them, weak or strong. */
const ENTITY_TAG = /(W\/)?"[^"]*"/g;

/**
 * What a request's If-Match asks of the current version: `*` (any), or one of the entity tags it
 * lists. Weak tags never match (If-Match compares strongly), nor does a header that is no list
 * of tags: the write is refused, never applied unconditionally.
 */
export class Precondition {
  private constructor(private readonly tags: ReadonlySet<string> | 'any') {}

  static of(header: string | undefined): Precondition | undefined {
    if (header === undefined) return undefined;
    if (header.trim() === '*') return new Precondition('any');
    return new Precondition(new Set([...header.matchAll(ENTITY_TAG)].filter((match) => !match[1]).map((match) => match[0])));
  }

  matches(version: number): boolean {
    return this.tags === 'any' || this.tags.has(entityTag(version));
  }
}

export const PreconditionErrors = {
  failed: (what: string, version: number) =>
    new DomainError(ErrorCode.PRECONDITION_FAILED, `The ${what} has changed since that ETag: its current ETag is ${entityTag(version)}. Nothing was changed.`),
  required: () => new DomainError(ErrorCode.PRECONDITION_REQUIRED, 'Send If-Match with the ETag of your last read of the resource.'),
};

/**
 * For a write holding the row's lock (or inside the UPDATE's own condition): 412 unless the
 * request's If-Match names the version the write is about to change.
 */
export function assertPrecondition(precondition: Precondition | undefined, current: { version: number }, what: string): void {
  if (precondition && !precondition.matches(current.version)) throw PreconditionErrors.failed(what, current.version);
}

/** The request's If-Match, for the service that checks it under its lock; undefined when absent. */
export const IfMatch = createParamDecorator((_: unknown, ctx: ExecutionContext): Precondition | undefined =>
  Precondition.of(ctx.switchToHttp().getRequest<Request>().header(IF_MATCH_HEADER)),
);

export const VERSIONED_METADATA = 'http:versioned';
/** Marks an operation in the contract until the document is finished (openapi.ts adds its ETag header). */
export const ETAG_EXTENSION = 'x-etag';

/**
 * A route answering one versioned resource (the service returns it `withVersion`): its success
 * carries the ETag (PreconditionsInterceptor), and the contract says so.
 */
export const AnswersETag = (): MethodDecorator => applyDecorators(SetMetadata(VERSIONED_METADATA, true), ApiExtension(ETAG_EXTENSION, true));
