export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
export const IDEMPOTENT_REPLAYED_HEADER = 'Idempotent-Replayed';

export type IdempotencyPolicy = 'required' | 'honoured' | 'none';

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * API.md §Idempotency, decided by method and path alone (the OpenAPI document uses the same
 * function, so the contract and the behaviour cannot drift apart).
 */
export function idempotencyPolicy(method: string, path: string): IdempotencyPolicy {
  const verb = method.toUpperCase();
  if (!path.startsWith('/v1/') || !WRITES.has(verb)) return 'none';
  if (path.startsWith('/v1/admin/')) return 'honoured';
  return verb === 'POST' ? 'required' : 'honoured';
}
