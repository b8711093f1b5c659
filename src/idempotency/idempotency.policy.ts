import { PATH_METADATA } from '@nestjs/common/constants';

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
export const IDEMPOTENT_REPLAYED_HEADER = 'Idempotent-Replayed';

export type IdempotencyPolicy = 'required' | 'honoured' | 'none';

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * API.md §Idempotency, decided by the method and the route as declared (its template, never the
 * path as a request spelled it). The OpenAPI document uses the same function, so the contract
 * and the behaviour cannot drift apart.
 */
export function idempotencyPolicy(method: string, routeTemplate: string): IdempotencyPolicy {
  const verb = method.toUpperCase();
  if (!routeTemplate.startsWith('/v1/') || !WRITES.has(verb)) return 'none';
  if (routeTemplate.startsWith('/v1/admin/')) return 'honoured';
  return verb === 'POST' ? 'required' : 'honoured';
}

/**
 * The declared path of the route Nest matched (`/v1/bookings/:id/confirm`), from the controller's
 * and the handler's metadata. Express matches paths case-insensitively and with or without a
 * trailing slash, so the request's own spelling says nothing reliable about the route.
 */
export function routeTemplate(controller: object, handler: object): string {
  let ofController = templates.get(controller);
  if (!ofController) templates.set(controller, (ofController = new WeakMap()));
  let template = ofController.get(handler);
  if (template === undefined) ofController.set(handler, (template = declaredPath(controller, handler)));
  return template;
}

/** Templates worked out once per controller and handler: their metadata is fixed when the app starts. */
const templates = new WeakMap<object, WeakMap<object, string>>();

function declaredPath(controller: object, handler: object): string {
  const declared = [Reflect.getMetadata(PATH_METADATA, controller), Reflect.getMetadata(PATH_METADATA, handler)] as unknown[];
  const segments = declared.flatMap((path) => String((Array.isArray(path) ? path[0] : path) ?? '').split('/'));
  return `/${segments.filter(Boolean).join('/')}`;
}

/**
 * The concrete path a key is bound to: the route template with the request's ids (lower-cased:
 * every path parameter of this API is a UUID) and the query string as sent. Two spellings of one
 * request are one request; the same key on another resource or query is a reuse.
 */
export function concretePath(template: string, params: Readonly<Record<string, string>>, originalUrl: string): string {
  const path = template.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent((params[name] ?? '').toLowerCase()));
  const query = originalUrl.indexOf('?');
  return query === -1 ? path : `${path}${originalUrl.slice(query)}`;
}
