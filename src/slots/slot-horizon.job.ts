import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { DateTime } from 'luxon';
import { APP_CONFIG } from '../config/app-config';
import type { AppConfig } from '../config/app-config';
import { longRunningLimits, runWithQueryLimits } from '../database/query-limits';
import { LocationsService } from '../locations/locations.service';
import { MAX_GENERATION_DAYS } from './dto/slot-generation.dto';
import { SlotGenerationService } from './slot-generation.service';

/**
 * Keeps every active location generated `bookingHorizonDays` ahead, so inventory never runs
 * out silently. Idempotent, and safe on many instances: each location's run takes its
 * generation lock without waiting, and an instance that finds it taken moves on.
 */
@Injectable()
export class SlotHorizonJob implements OnApplicationBootstrap {
  private readonly logger = new Logger(SlotHorizonJob.name);
  private running = false;

  constructor(
    private readonly generation: SlotGenerationService,
    private readonly locations: LocationsService,
    private readonly scheduler: SchedulerRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.SLOT_HORIZON_JOB_ENABLED) return;
    const soon = setTimeout(() => void this.run(), 1000);
    soon.unref();
    this.scheduler.addTimeout('slot-horizon-startup', soon);
    const interval = setInterval(() => void this.run(), this.config.SLOT_HORIZON_INTERVAL_SECONDS * 1000);
    interval.unref();
    this.scheduler.addInterval('slot-horizon', interval);
  }

  /** One pass over every active location; returns how many locations it generated. */
  async run(now: DateTime = DateTime.utc()): Promise<number> {
    if (this.running) return 0;
    this.running = true;
    let generated = 0;
    try {
      for (const location of await this.locations.listActiveForJobs()) {
        try {
          const today = now.setZone(location.timezone).startOf('day');
          const last = today.plus({ days: location.bookingHorizonDays });
          let ran = false;
          for (let from = today; from <= last; from = from.plus({ days: MAX_GENERATION_DAYS })) {
            const to = DateTime.min(from.plus({ days: MAX_GENERATION_DAYS - 1 }), last);
            // The run reads the zone again under its locks; these dates are the horizon's.
            const report = await runWithQueryLimits(longRunningLimits(this.config), () =>
              this.generation.generateUnlessBusy({ locationId: location.id, from: from.toISODate()!, to: to.toISODate()! }),
            );
            // Another instance is generating it, or it was deactivated since the list was read.
            if (!report) break;
            ran = true;
          }
          if (ran) generated += 1;
        } catch (error) {
          this.logger.warn({ err: error, locationId: location.id }, 'horizon generation failed; the next run retries');
        }
      }
    } catch (error) {
      // The locations could not be listed (the database is away): a timer callback must not reject.
      this.logger.warn({ err: error }, 'horizon job could not list locations; the next run retries');
    } finally {
      this.running = false;
    }
    return generated;
  }
}
