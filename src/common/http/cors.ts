import type { CorsOptions } from '@nestjs/common/interfaces/external/cors-options.interface';
import type { AppConfig } from '../../config/app-config';
import { IDEMPOTENCY_KEY_HEADER, IDEMPOTENT_REPLAYED_HEADER } from '../../idempotency/idempotency.policy';
import { REQUEST_ID_HEADER } from './request-id.middleware';

/** What a browser on another origin may read from our responses (besides the CORS-safelisted ones). */
export const CORS_EXPOSED_HEADERS = [
  REQUEST_ID_HEADER,
  IDEMPOTENT_REPLAYED_HEADER,
  'Retry-After',
  'ETag',
  'RateLimit-Limit',
  'RateLimit-Remaining',
  'RateLimit-Reset',
  'RateLimit-Policy',
];

/**
 * CORS for the origins in CORS_ORIGINS; undefined (no CORS headers at all, so browsers on other
 * origins are refused) when it is unset. Bearer tokens travel in a header, never in cookies, so
 * credentials stay off and `*` remains possible.
 */
export function corsOptions(config: Pick<AppConfig, 'CORS_ORIGINS'>): CorsOptions | undefined {
  if (!config.CORS_ORIGINS) return undefined;
  const origins = config.CORS_ORIGINS.split(',').map((origin) => origin.trim());
  return {
    origin: origins.includes('*') ? '*' : origins,
    methods: ['GET', 'HEAD', 'POST', 'PATCH', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', IDEMPOTENCY_KEY_HEADER, 'If-Match', REQUEST_ID_HEADER],
    exposedHeaders: CORS_EXPOSED_HEADERS,
    credentials: false,
    maxAge: 600,
    optionsSuccessStatus: 204,
  };
}
