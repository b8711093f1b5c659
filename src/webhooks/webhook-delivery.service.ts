import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../config/app-config';
import type { AppConfig } from '../config/app-config';
import { eventBody } from '../events/event-types';
import { DEFAULT_JITTER, nextRetryDelayMs, RetryPolicy } from './retry-schedule';
import { ClaimedDelivery, WebhookDispatchRepository } from './webhook-dispatch.repository';
import { sendWebhook, SendOutcome } from './webhook-sender';

const FAN_OUT_BATCH = 500;

/**
 * Delivery per the Standard Webhooks specification, at least once: an attempt is leased
 * before it is sent, so an instance that dies mid-way leaves it to be taken again once the
 * lease runs out; a failure is retried on the backoff schedule until it has been tried for
 * WEBHOOK_RETRY_FOR_SECONDS, then it fails and disables its endpoint.
 */
@Injectable()
export class WebhookDeliveryService {
  private readonly policy: RetryPolicy;

  constructor(
    private readonly dispatch: WebhookDispatchRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.policy = {
      baseDelayMs: config.WEBHOOK_RETRY_BASE_MS,
      maxDelayMs: config.WEBHOOK_RETRY_MAX_DELAY_MS,
      retryForMs: config.WEBHOOK_RETRY_FOR_SECONDS * 1000,
      jitter: DEFAULT_JITTER,
    };
  }

  /** Every settled outbox event, turned into deliveries; returns how many events were read. */
  async fanOut(): Promise<number> {
    let total = 0;
    for (;;) {
      const read = await this.dispatch.fanOut(FAN_OUT_BATCH);
      total += read;
      if (read < FAN_OUT_BATCH) return total;
    }
  }

  /** Up to `limit` due deliveries, leased for twice the request deadline. */
  claim(limit: number): Promise<ClaimedDelivery[]> {
    return this.dispatch.claim(limit, 2 * this.config.WEBHOOK_TIMEOUT_MS);
  }

  /** Sends one claimed delivery and records what came of it. */
  async deliver(delivery: ClaimedDelivery): Promise<SendOutcome> {
    // A test event exists only as its delivery: its data names the endpoint it was sent to.
    const data = delivery.data ?? { webhookId: delivery.endpointId };
    const outcome = await sendWebhook({
      url: delivery.url,
      id: delivery.eventId,
      body: JSON.stringify(eventBody(delivery.eventType, delivery.occurredAt, data)),
      secrets: delivery.secrets,
      timeoutMs: this.config.WEBHOOK_TIMEOUT_MS,
      allowPrivate: this.config.WEBHOOK_ALLOW_PRIVATE_URLS,
    });
    if (outcome.delivered) {
      await this.dispatch.markDelivered(delivery, outcome.status!);
      return outcome;
    }
    const delay = nextRetryDelayMs(delivery.attempts, delivery.elapsedMs, this.policy, Math.random());
    if (delay === null) await this.dispatch.markFailed(delivery, outcome);
    else await this.dispatch.scheduleRetry(delivery, delay, outcome);
    return outcome;
  }
}
