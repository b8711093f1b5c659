import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { APP_CONFIG } from '../config/app-config';
import type { AppConfig } from '../config/app-config';
import { IdempotencyService } from './idempotency.service';

/** Purges expired idempotency records on every instance; batches with SKIP LOCKED never clash. */
@Injectable()
export class IdempotencyPurgeJob implements OnApplicationBootstrap {
  private readonly logger = new Logger(IdempotencyPurgeJob.name);
  private running = false;

  constructor(
    private readonly idempotency: IdempotencyService,
    private readonly scheduler: SchedulerRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const interval = setInterval(() => void this.run(), this.config.IDEMPOTENCY_PURGE_INTERVAL_SECONDS * 1000);
    interval.unref();
    this.scheduler.addInterval('idempotency-purge', interval);
  }

  async run(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const purged = await this.idempotency.purgeExpired();
      if (purged > 0) this.logger.log(`purged ${purged} expired idempotency records`);
    } catch (error) {
      this.logger.warn({ err: error }, 'idempotency purge failed; the next run retries');
    } finally {
      this.running = false;
    }
  }
}
