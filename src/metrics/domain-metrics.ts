import { Injectable } from '@nestjs/common';
import { Counter, Histogram } from 'prom-client';
import { toProblem } from '../common/errors/problem';
import { MetricsService } from './metrics.service';

/** What the generation report says, as counted here. */
export interface GenerationCounts {
  created: number;
  updated: number;
  retired: number;
  unchanged: number;
  conflicts: readonly unknown[];
  skipped: readonly unknown[];
}

/**
 * The domain's counters on `/metrics` (docs/operations.md lists them; docs/grafana-dashboard.json
 * charts them). Services report outcomes here as they decide them; idempotent replays never
 * reach a service, so they are not counted twice.
 */
@Injectable()
export class DomainMetrics {
  private readonly holdsCreated: Counter;
  private readonly holdsRefused: Counter<'code'>;
  private readonly confirmations: Counter;
  private readonly expiries: Counter;
  private readonly offerSize: Histogram<'scope'>;
  private readonly offerCollisions: Counter<'scope'>;
  private readonly generationRows: Counter<'change'>;
  private readonly generationDuration: Histogram;
  // Webhook delivery counters (by outcome) belong here too, next to the outcomes they report.

  constructor(metrics: MetricsService) {
    const registers = [metrics.registry];
    this.holdsCreated = new Counter({ name: 'scheduler_holds_created_total', help: 'Holds placed (POST /v1/bookings answered 201).', registers });
    this.holdsRefused = new Counter({
      name: 'scheduler_holds_refused_total',
      help: 'Hold attempts refused, by problem code (SLOT_UNAVAILABLE is a collision with another user).',
      labelNames: ['code'] as const,
      registers,
    });
    this.confirmations = new Counter({ name: 'scheduler_bookings_confirmed_total', help: 'Holds confirmed into bookings.', registers });
    this.expiries = new Counter({
      name: 'scheduler_holds_expired_total',
      help: 'Holds written as expired after their TTL (by the sweeper, or by the next hold on their slot).',
      registers,
    });
    this.offerSize = new Histogram({
      name: 'scheduler_offer_slots',
      help: 'Slots in each new offer (exposure), by scope.',
      labelNames: ['scope'] as const,
      buckets: [0, 1, 2, 3, 4, 5, 6, 8, 10, 15, 20],
      registers,
    });
    this.offerCollisions = new Counter({
      name: 'scheduler_offer_collisions_total',
      help: "Slots put in a new offer while already in another user's live offer, by scope.",
      labelNames: ['scope'] as const,
      registers,
    });
    this.generationRows = new Counter({
      name: 'scheduler_slot_generation_rows_total',
      help: 'Slots touched by generation runs, by change (created, updated, retired, unchanged, conflict).',
      labelNames: ['change'] as const,
      registers,
    });
    this.generationDuration = new Histogram({
      name: 'scheduler_slot_generation_duration_seconds',
      help: 'Duration of generation runs (admin requests and the horizon job), from planning to the last write.',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120],
      registers,
    });
  }

  holdCreated(): void {
    this.holdsCreated.inc();
  }

  /** The refusal's problem code, as the client sees it (`UNAVAILABLE` for database faults). */
  holdRefused(error: unknown): void {
    this.holdsRefused.inc({ code: toProblem(error).body.code });
  }

  confirmed(): void {
    this.confirmations.inc();
  }

  holdsExpired(count: number): void {
    if (count > 0) this.expiries.inc(count);
  }

  offered(scope: string, slots: number, collisions: number): void {
    this.offerSize.observe({ scope }, slots);
    if (collisions > 0) this.offerCollisions.inc({ scope }, collisions);
  }

  generated(report: GenerationCounts, seconds: number): void {
    for (const change of ['created', 'updated', 'retired', 'unchanged'] as const) {
      if (report[change] > 0) this.generationRows.inc({ change }, report[change]);
    }
    if (report.conflicts.length > 0) this.generationRows.inc({ change: 'conflict' }, report.conflicts.length);
    if (report.skipped.length > 0) this.generationRows.inc({ change: 'skipped' }, report.skipped.length);
    this.generationDuration.observe(seconds);
  }
}
