import { ExecutionContext, SetMetadata } from '@nestjs/common';
import type { ThrottlerOptions } from '@nestjs/throttler';
import type { AppConfig } from '../../config/app-config';

/** The tighter budgets some routes spend on top of the general one. */
export type RateLimitTier = 'holds' | 'browse' | 'generation';

const TIER = 'rateLimit:tier';

/** This route also spends the named tier's budget (each tier is one budget per principal, across its routes). */
export const RateLimited = (tier: RateLimitTier): MethodDecorator => SetMetadata(TIER, tier);

const WINDOW_MS = 60_000;

function tierOf(context: ExecutionContext): RateLimitTier | undefined {
  return Reflect.getMetadata(TIER, context.getHandler()) as RateLimitTier | undefined;
}

/** `default` counts every request; each tier only the routes marked with it. */
export function rateLimitThrottlers(config: AppConfig): ThrottlerOptions[] {
  const tiers: [RateLimitTier, number][] = [
    ['holds', config.RATE_LIMIT_HOLDS_PER_MINUTE],
    ['browse', config.RATE_LIMIT_BROWSE_PER_MINUTE],
    ['generation', config.RATE_LIMIT_GENERATION_PER_MINUTE],
  ];
  return [
    { name: 'default', ttl: WINDOW_MS, limit: config.RATE_LIMIT_PER_MINUTE },
    ...tiers.map(([name, limit]) => ({ name, ttl: WINDOW_MS, limit, skipIf: (context: ExecutionContext) => tierOf(context) !== name })),
  ];
}
