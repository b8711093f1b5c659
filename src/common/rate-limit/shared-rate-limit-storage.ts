import { Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { ThrottlerStorage, ThrottlerStorageService } from '@nestjs/throttler';
import Redis from 'ioredis';

type StorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** How long startup waits for Redis before serving with local counts. */
const CONNECT_WAIT_MS = 2000;
/** At most one warning per this long while Redis keeps failing. */
const WARN_EVERY_MS = 60_000;

/**
 * Rate-limit counters shared by every instance in Redis (`REDIS_URL`). Redis is not allowed to
 * take requests down with it: a command fails fast (no offline queue, a short timeout), and
 * while Redis is unreachable each instance counts in its own memory instead, so limits still
 * hold per instance, and a warning says so.
 */
export class SharedRateLimitStorage implements ThrottlerStorage, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('RateLimit');
  private readonly shared: ThrottlerStorageRedisService;
  private readonly local = new ThrottlerStorageService();
  private readonly ready: Promise<unknown>;
  private lastWarning = 0;
  private degraded = false;

  constructor(private readonly redis: Redis) {
    this.shared = new ThrottlerStorageRedisService(redis);
    this.ready = new Promise((resolve) => redis.once('ready', resolve));
    redis.on('error', (error: Error) => this.warn(`Redis connection failed: ${error.message}`));
  }

  static fromUrl(url: string): SharedRateLimitStorage {
    return new SharedRateLimitStorage(
      new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 500, connectTimeout: CONNECT_WAIT_MS }),
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const waited = await Promise.race([
      this.ready.then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), CONNECT_WAIT_MS);
      }),
    ]);
    clearTimeout(timer);
    if (!waited) this.warn('Redis is not reachable yet; rate limits count per instance until it is');
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<StorageRecord> {
    try {
      const record = await this.shared.increment(key, ttl, limit, blockDuration, throttlerName);
      if (this.degraded) {
        this.degraded = false;
        this.logger.log('Redis answers again; rate limits are shared between instances');
      }
      return record;
    } catch (error) {
      this.degraded = true;
      this.warn(`Redis did not count a request (${(error as Error).message}); counting per instance`);
      return this.local.increment(key, ttl, limit, blockDuration, throttlerName);
    }
  }

  onModuleDestroy(): void {
    this.redis.disconnect();
    this.local.onApplicationShutdown();
  }

  private warn(message: string): void {
    if (Date.now() - this.lastWarning < WARN_EVERY_MS) return;
    this.lastWarning = Date.now();
    this.logger.warn(message);
  }
}
