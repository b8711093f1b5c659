import canonicalize from 'canonicalize';
import { createHash } from 'node:crypto';

/**
 * SHA-256 of the body in RFC 8785 canonical form, so key order and whitespace do not make two
 * equal requests look different. A request without a body hashes the empty string.
 */
export function requestFingerprint(body: unknown): string {
  const canonical = body === undefined ? '' : (canonicalize(body) ?? '');
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}
