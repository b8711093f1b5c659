import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { APP_CONFIG } from '../config/app-config';
import type { AppConfig } from '../config/app-config';
import { ExposuresService } from './exposures.service';

/**
 * Deletes offers past EXPOSURE_RETENTION_SECONDS on every instance; batches with SKIP LOCKED
 * never clash, and each batch is a transaction with the usual statement limits.
 */
@Injectable()
export class ExposurePurgeJob implements OnApplicationBootstrap {
  private readonly logger = new Logger(ExposurePurgeJob.name);
  private running = false;

  constructor(
    private readonly exposures: ExposuresService,
    private readonly scheduler: SchedulerRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const interval = setInterval(() => void this.run(), this.config.EXPOSURE_PURGE_INTERVAL_SECONDS * 1000);
    interval.unref();
    this.scheduler.addInterval('exposure-purge', interval);
  }

  /** Purges until no offer past its retention is left; returns how many went. */
  async run(batchSize?: number): Promise<number> {
    if (this.running) return 0;
    this.running = true;
    try {
      const purged = await this.exposures.purgeExpired(batchSize);
      if (purged > 0) this.logger.log(`purged ${purged} expired offers`);
      return purged;
    } catch (error) {
      this.logger.warn({ err: error }, 'offer purge failed; the next run retries');
      return 0;
    } finally {
      this.running = false;
    }
  }
}
