import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { APP_CONFIG } from '../config/app-config';
import type { AppConfig } from '../config/app-config';
import { BookingsService } from './bookings.service';

/**
 * Writes `expired` on holds past their TTL, in batches, with an event each. Correctness does
 * not depend on it — every query compares with `now()` — it keeps the table honest. Safe on
 * many instances: batches take rows with SKIP LOCKED.
 */
@Injectable()
export class HoldSweeperJob implements OnApplicationBootstrap {
  private readonly logger = new Logger(HoldSweeperJob.name);
  private running = false;

  constructor(
    private readonly bookings: BookingsService,
    private readonly scheduler: SchedulerRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const interval = setInterval(() => void this.run(), this.config.HOLD_SWEEP_INTERVAL_SECONDS * 1000);
    interval.unref();
    this.scheduler.addInterval('hold-sweeper', interval);
  }

  /** Sweeps until no expired hold is left; returns how many it marked. */
  async run(batchSize = 500): Promise<number> {
    if (this.running) return 0;
    this.running = true;
    let total = 0;
    try {
      for (;;) {
        const swept = await this.bookings.expireLapsedHoldsBatch(batchSize);
        total += swept;
        if (swept < batchSize) return total;
      }
    } catch (error) {
      this.logger.warn({ err: error }, 'hold sweep failed; the next run retries');
      return total;
    } finally {
      this.running = false;
    }
  }
}
