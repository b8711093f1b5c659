import { DynamicModule, Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import type { AppConfig } from '../../config/app-config';
import { rateLimitThrottlers } from './rate-limit-tiers';
import { SharedRateLimitStorage } from './shared-rate-limit-storage';

/** The budgets of rate-limit-tiers.ts, in Redis when REDIS_URL is set, in memory otherwise. */
@Module({})
export class RateLimitModule {
  static forRoot(config: AppConfig): DynamicModule {
    const storage = config.REDIS_URL ? SharedRateLimitStorage.fromUrl(config.REDIS_URL) : undefined;
    return {
      module: RateLimitModule,
      imports: [ThrottlerModule.forRoot({ throttlers: rateLimitThrottlers(config), storage })],
      // Registered as a provider too, so its connection waits at startup and closes with the app.
      providers: storage ? [{ provide: SharedRateLimitStorage, useValue: storage }] : [],
      exports: [ThrottlerModule],
    };
  }
}
