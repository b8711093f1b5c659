import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { APP_CONFIG } from '../config/app-config';
import type { AppConfig } from '../config/app-config';
import { WebhookDeliveryService } from './webhook-delivery.service';

/**
 * Sends webhooks on every instance that has WEBHOOK_DISPATCH_ENABLED. Each tick fans new
 * events out and claims as many due deliveries as it has free request slots, then starts
 * them without waiting: a receiver that hangs holds one slot until its deadline, never the
 * next tick, so other endpoints keep being served. Every error is caught and logged; what
 * was claimed and not recorded is taken again when its lease runs out.
 */
@Injectable()
export class WebhookDispatcherJob implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(WebhookDispatcherJob.name);
  private readonly inFlight = new Set<Promise<void>>();
  private claiming = false;
  private stopped = false;

  constructor(
    private readonly deliveries: WebhookDeliveryService,
    private readonly scheduler: SchedulerRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.WEBHOOK_DISPATCH_ENABLED) return;
    const interval = setInterval(() => void this.tick(), this.config.WEBHOOK_DISPATCH_INTERVAL_MS);
    interval.unref();
    this.scheduler.addInterval('webhook-dispatcher', interval);
  }

  /** Lets the requests in flight finish (each within its deadline), so their outcomes are recorded. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await Promise.allSettled([...this.inFlight]);
  }

  /** Fans out, claims what fits and starts sending it; returns how many deliveries it started. */
  async tick(): Promise<number> {
    if (this.claiming || this.stopped) return 0;
    this.claiming = true;
    try {
      await this.deliveries.fanOut();
      const free = this.config.WEBHOOK_CONCURRENCY - this.inFlight.size;
      if (free <= 0) return 0;
      const claimed = await this.deliveries.claim(free);
      for (const delivery of claimed) {
        const sending: Promise<void> = this.deliveries
          .deliver(delivery)
          .then(() => undefined)
          .catch((error: unknown) => this.logger.warn({ err: error, deliveryId: delivery.id }, 'recording a webhook delivery failed; it is retried when its lease ends'))
          .finally(() => this.inFlight.delete(sending));
        this.inFlight.add(sending);
      }
      return claimed.length;
    } catch (error) {
      this.logger.warn({ err: error }, 'webhook dispatch failed; the next tick retries');
      return 0;
    } finally {
      this.claiming = false;
    }
  }

  /** Ticks until a tick finds nothing due and every request it started has finished; returns how many it sent. */
  async run(): Promise<number> {
    let sent = 0;
    for (;;) {
      const started = await this.tick();
      await Promise.allSettled([...this.inFlight]);
      sent += started;
      if (started === 0) return sent;
    }
  }
}
