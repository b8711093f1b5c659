import { Transactional } from '@nestjs-cls/transactional';
import { Injectable } from '@nestjs/common';
import { AuditTrail } from '../common/audit/audit-trail';
import type { Tenants } from '../common/auth/principal';
import { daysInclusive } from '../common/validation/calendar';
import { AvailabilityRulesService } from '../availability/availability-rules.service';
import { LocationSettings, LocationsService } from '../locations/locations.service';
import { PeopleService } from '../people/people.service';
import { CreateSlotGenerationDto, GenerationReportDto, GenerationSkipDto, MAX_GENERATION_DAYS } from './dto/slot-generation.dto';
import { localDatesSpan, planSlotsAndSkips, SkippedSlot, SlotPlan } from './slot-planner';
import { reconcileSlots, ReconciliationInput } from './slot-reconciliation';
import { SlotsRepository } from './slots.repository';
import type { LiveBookingsOfSlot } from './slots.repository';
import { SlotErrors } from './slots.errors';
import { DomainMetrics } from '../metrics/domain-metrics';

/**
 * A slot's buffered span lies inside its window, within its local date, so a day either side
 * would do; slots stored before buffers were kept inside windows may reach a day further.
 */
const NEIGHBOUR_MARGIN_MS = 2 * 86_400_000;

export interface GenerationTarget {
  locationId: string;
  personIds?: readonly string[];
  from: string;
  to: string;
}

/**
 * Materialises slot instances (DOMAIN.md §Slot generation): the pure planner computes every
 * instant in TypeScript, `reconcileSlots` compares them with what is stored, then a handful of
 * set-based statements apply the difference in one transaction under a per-location advisory
 * lock.
 */
@Injectable()
export class SlotGenerationService {
  constructor(
    private readonly slots: SlotsRepository,
    private readonly locations: LocationsService,
    private readonly people: PeopleService,
    private readonly rules: AvailabilityRulesService,
    private readonly metrics: DomainMetrics,
    private readonly audit: AuditTrail,
  ) {}

  @Transactional()
  async generate(tenants: Tenants, dto: CreateSlotGenerationDto): Promise<GenerationReportDto> {
    const days = daysInclusive(dto.from, dto.to);
    if (days < 1) throw SlotErrors.rangeReversed();
    if (days > MAX_GENERATION_DAYS) throw SlotErrors.rangeTooLong(days);
    const { id } = await this.locations.settingsInTenants(tenants, dto.locationId);
    await this.slots.lockGeneration(id);
    // Locations are never deleted: read in tenants a moment ago, it is still there.
    const location = (await this.locations.lockForGeneration(id))!;
    const report = await this.apply(location, { locationId: id, personIds: dto.personIds, from: dto.from, to: dto.to });
    this.audit.record({ target: { type: 'location', id }, bizEntityId: location.bizEntityId, report });
    return report;
  }

  /**
   * For background jobs: the same run, but it gives way (returns undefined) when another
   * instance is generating this location right now, or the location was deactivated since.
   */
  @Transactional()
  async generateUnlessBusy(target: GenerationTarget): Promise<GenerationReportDto | undefined> {
    if (!(await this.slots.tryLockGeneration(target.locationId))) return undefined;
    const location = await this.locations.lockForGeneration(target.locationId);
    return location?.active ? this.apply(location, target) : undefined;
  }

  /**
   * Runs inside the caller's transaction, holding the location's generation lock, so the
   * slots read here cannot change before the writes below commit, and its row share-locked
   * (`lockForGeneration`), so its zone cannot change either. Statements: read, lock what would be
   * retired or changed, retire, update, insert — in that order, so the exclusion constraint
   * (checked row by row) never sees a moved slot next to its not-yet-retired predecessor.
   */
  private async apply(location: LocationSettings, target: GenerationTarget): Promise<GenerationReportDto> {
    const started = performance.now();
    const people = await this.people.peopleForGeneration(location.id, target.personIds);
    const activeIds = people.filter((person) => person.active).map((person) => person.id);
    const rulesByPerson = await this.rules.activeRuleWindowsOf(activeIds);
    const plans = new Map(
      activeIds.map((personId): [string, SlotPlan] => {
        const rules = rulesByPerson.get(personId) ?? [];
        const none: SlotPlan = { slots: [], skipped: [] };
        return [personId, rules.length === 0 ? none : planSlotsAndSkips({ timezone: location.timezone, from: target.from, to: target.to, rules })];
      }),
    );
    const planned = new Map([...plans].map(([personId, personPlan]) => [personId, personPlan.slots]));

    const span = localDatesSpan(location.timezone, target.from, target.to);
    // Days either side too: a live slot there (another run's, or one made in the location's
    // previous zone) may overlap the first or last slots planned here.
    const nearStart = new Date(span.start - NEIGHBOUR_MARGIN_MS);
    const nearEnd = new Date(span.end + NEIGHBOUR_MARGIN_MS);
    const personIds = people.map((person) => person.id);
    const nearby = await this.slots.findInRange(personIds, nearStart, nearEnd);
    const input: ReconciliationInput = {
      existing: nearby.filter((slot) => slot.startsAt >= span.start && slot.startsAt < span.end),
      neighbours: nearby.filter((slot) => (slot.startsAt < span.start || slot.startsAt >= span.end) && slot.status !== 'retired'),
      planned,
      liveBookings: await this.slots.liveBookingsInRange(personIds, nearStart, nearEnd),
      timezone: location.timezone,
    };
    let plan = reconcileSlots(input);

    // Bookings read above may have moved on since: lock what the plan retires or changes, and
    // read their live bookings again (both reads list ids in order). If any list moved, decide
    // again with the new lists (a slot that gained a booking is kept, and what would overlap it
    // is not made). Only the locked slots' data differs, so the new plan retires or changes
    // no slot outside the lock.
    const lockedIds = [...plan.toRetire, ...plan.changed.ids];
    const lockedLive = await this.slots.lockAndCountLive(lockedIds);
    const idsOf = (live: ReadonlyMap<string, LiveBookingsOfSlot>, id: string): string => String(live.get(id)?.bookingIds ?? []);
    if (lockedIds.some((id) => idsOf(lockedLive, id) !== idsOf(input.liveBookings, id))) {
      const liveBookings = new Map(input.liveBookings);
      for (const id of lockedIds) {
        const live = lockedLive.get(id);
        if (live) liveBookings.set(id, live);
        else liveBookings.delete(id);
      }
      plan = reconcileSlots({ ...input, liveBookings });
    }

    await this.slots.retire(plan.toRetire);
    await this.slots.applyChanges(plan.changed, location.timezone);
    await this.slots.insertMany({ id: location.id, bizEntityId: location.bizEntityId, timezone: location.timezone }, plan.created);
    const report = {
      created: plan.created.startsAt.length,
      updated: plan.changed.ids.length,
      retired: plan.toRetire.length,
      unchanged: plan.unchanged,
      conflicts: [...plan.conflicts].map(([slotId, bookingIds]) => ({ slotId, bookingIds })),
      skipped: [...plans].flatMap(([personId, { skipped }]) => skipped.map((slot) => toSkipDto(personId, slot))),
    };
    this.metrics.generated(report, (performance.now() - started) / 1000);
    return report;
  }
}

const iso = (epochMs: number): string => new Date(epochMs).toISOString();

function toSkipDto(personId: string, slot: SkippedSlot): GenerationSkipDto {
  return {
    personId,
    ruleId: slot.ruleId,
    startsAt: iso(slot.startsAt),
    endsAt: iso(slot.endsAt),
    bufferedStartsAt: iso(slot.bufferedStartsAt),
    bufferedEndsAt: iso(slot.bufferedEndsAt),
    localStart: slot.localStart,
    overlapsRuleId: slot.overlaps.ruleId,
    overlapsStartsAt: iso(slot.overlaps.startsAt),
  };
}
