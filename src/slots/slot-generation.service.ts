import { Transactional } from '@nestjs-cls/transactional';
import { Injectable } from '@nestjs/common';
import type { TenantScope } from '../common/auth/principal';
import { daysInclusive } from '../common/validation/calendar';
import { AvailabilityRulesService } from '../availability/availability-rules.service';
import { LocationsService } from '../locations/locations.service';
import { PeopleService } from '../people/people.service';
import { CreateSlotGenerationDto, GenerationReportDto, MAX_GENERATION_DAYS } from './dto/slot-generation.dto';
import { localDatesSpan, planSlots } from './slot-planner';
import { ExistingSlot, NewSlotColumns, SlotChangeColumns, SlotsRepository } from './slots.repository';
import { SlotErrors } from './slots.errors';

/** Slots last at most a day (slotMinutes ≤ 1440), so only a day either side can overlap. */
const NEIGHBOUR_MARGIN_MS = 86_400_000;

export interface GenerationTarget {
  locationId: string;
  bizEntityId: string;
  timezone: string;
  personIds?: readonly string[];
  from: string;
  to: string;
}

/**
 * Materialises slot instances (DOMAIN.md §Slot generation): the pure planner computes every
 * instant in TypeScript, then a handful of set-based statements apply them in one transaction
 * under a per-location advisory lock.
 */
@Injectable()
export class SlotGenerationService {
  constructor(
    private readonly slots: SlotsRepository,
    private readonly locations: LocationsService,
    private readonly people: PeopleService,
    private readonly rules: AvailabilityRulesService,
  ) {}

  @Transactional()
  async generate(scope: TenantScope, dto: CreateSlotGenerationDto): Promise<GenerationReportDto> {
    const days = daysInclusive(dto.from, dto.to);
    if (days < 1) throw SlotErrors.rangeReversed();
    if (days > MAX_GENERATION_DAYS) throw SlotErrors.rangeTooLong(days);
    const location = await this.locations.getForAdmin(scope, dto.locationId);
    await this.slots.lockGeneration(location.id);
    return this.apply({
      locationId: location.id,
      bizEntityId: location.bizEntityId,
      timezone: location.timezone,
      personIds: dto.personIds,
      from: dto.from,
      to: dto.to,
    });
  }

  /**
   * For background jobs: the same run, but it gives way (returns undefined) when another
   * instance is generating this location right now.
   */
  @Transactional()
  async generateUnlessBusy(target: GenerationTarget): Promise<GenerationReportDto | undefined> {
    if (!(await this.slots.tryLockGeneration(target.locationId))) return undefined;
    return this.apply(target);
  }

  /**
   * Runs inside the caller's transaction, holding the location's generation lock, so the
   * slots read here cannot change before the writes below commit. Four statements at most:
   * read the range, retire, update, insert — in that order, so the exclusion constraint
   * (checked row by row) never sees a moved slot next to its not-yet-retired predecessor.
   */
  private async apply(target: GenerationTarget): Promise<GenerationReportDto> {
    const people = await this.people.peopleForGeneration(target.locationId, target.personIds);
    const activeIds = people.filter((person) => person.active).map((person) => person.id);
    const rulesByPerson = await this.rules.activeRuleWindowsOf(activeIds);
    const span = localDatesSpan(target.timezone, target.from, target.to);
    // A day either side too: a live slot there (another run's, or one made in the location's
    // previous zone) may overlap the first or last slots planned here.
    const nearStart = new Date(span.start - NEIGHBOUR_MARGIN_MS);
    const nearEnd = new Date(span.end + NEIGHBOUR_MARGIN_MS);
    const personIds = people.map((person) => person.id);
    const nearby = await this.slots.findInRange(personIds, nearStart, nearEnd);
    const liveBookings = await this.slots.liveBookingsInRange(personIds, nearStart, nearEnd);
    const existing = nearby.filter((slot) => slot.startsAt >= span.start && slot.startsAt < span.end);
    const neighbours = nearby.filter((slot) => (slot.startsAt < span.start || slot.startsAt >= span.end) && slot.status !== 'retired');
    const existingByKey = new Map(existing.map((slot) => [slotKey(slot.personId, slot.startsAt), slot]));
    const plannedByPerson = new Map(
      activeIds.map((personId) => {
        const rules = rulesByPerson.get(personId) ?? [];
        return [personId, rules.length === 0 ? [] : planSlots({ timezone: target.timezone, from: target.from, to: target.to, rules })];
      }),
    );

    // Slots the rules no longer produce: retired, unless they hold live bookings — those stay
    // (a conflict for an operator to resolve) and keep their time for themselves.
    const plannedKeys = new Set(
      [...plannedByPerson].flatMap(([personId, slots]) => slots.map((slot) => slotKey(personId, slot.startsAt))),
    );
    const conflicts = new Map<string, string[]>();
    const kept: ExistingSlot[] = [];
    const toRetire: string[] = [];
    for (const slot of existing) {
      if (slot.status === 'retired' || plannedKeys.has(slotKey(slot.personId, slot.startsAt))) continue;
      const bookingIds = liveBookings.get(slot.id);
      if (bookingIds) {
        conflicts.set(slot.id, bookingIds);
        kept.push(slot);
      } else {
        toRetire.push(slot.id);
      }
    }

    const created: NewSlotColumns = { personIds: [], ruleIds: [], startsAt: [], endsAt: [], localStarts: [], capacities: [] };
    const changed: SlotChangeColumns & { currentCapacities: number[] } = {
      ids: [],
      ruleIds: [],
      endsAt: [],
      localStarts: [],
      capacities: [],
      currentCapacities: [],
    };
    let unchanged = 0;
    for (const [personId, slots] of plannedByPerson) {
      const keptOfPerson = kept.filter((slot) => slot.personId === personId);
      const neighboursOfPerson = neighbours.filter((slot) => slot.personId === personId);
      for (const slot of slots) {
        const current = existingByKey.get(slotKey(personId, slot.startsAt));
        // A new or moved slot may not overlap a slot kept for its bookings, nor a live slot
        // outside this run's dates (reported, so a run over those dates can settle it).
        const overlaps = (other: ExistingSlot): boolean => other.id !== current?.id && other.startsAt < slot.endsAt && slot.startsAt < other.endsAt;
        if (keptOfPerson.some(overlaps)) continue;
        const neighbour = neighboursOfPerson.find(overlaps);
        if (neighbour) {
          conflicts.set(neighbour.id, liveBookings.get(neighbour.id) ?? []);
          continue;
        }
        const booked = current ? (liveBookings.get(current.id)?.length ?? 0) : 0;
        if (!current) {
          created.personIds.push(personId);
          created.ruleIds.push(slot.ruleId);
          created.startsAt.push(slot.startsAt);
          created.endsAt.push(slot.endsAt);
          created.localStarts.push(slot.localStart);
          created.capacities.push(slot.capacity);
        } else if (
          current.status === 'retired' ||
          current.endsAt !== slot.endsAt ||
          current.capacity !== (slot.capacity < booked ? current.capacity : slot.capacity) ||
          current.ruleId !== slot.ruleId ||
          current.localStart !== slot.localStart ||
          current.timezone !== target.timezone
        ) {
          changed.ids.push(current.id);
          changed.ruleIds.push(slot.ruleId);
          changed.endsAt.push(slot.endsAt);
          changed.localStarts.push(slot.localStart);
          // Capacity may not drop below what is booked: the slot takes its new shape but keeps
          // its capacity (re-checked under lock below), and is reported.
          changed.capacities.push(slot.capacity < booked ? current.capacity : slot.capacity);
          changed.currentCapacities.push(current.capacity);
          if (slot.capacity < booked) conflicts.set(current.id, liveBookings.get(current.id) ?? []);
        } else {
          unchanged += 1;
          // Nothing else changes, but the lower capacity was not applied: still a conflict.
          if (slot.capacity < booked) conflicts.set(current.id, liveBookings.get(current.id) ?? []);
        }
      }
    }

    // Bookings read above may have moved on while we planned: lock what we are about to retire
    // or change, and look again. A slot that gained a booking is kept (and reported) instead.
    const lockedLive = await this.slots.lockAndCountLive([...toRetire, ...changed.ids]);
    const retireNow = toRetire.filter((id) => {
      const bookingIds = lockedLive.get(id);
      if (bookingIds) conflicts.set(id, bookingIds);
      return !bookingIds;
    });
    changed.capacities = changed.capacities.map((capacity, index) => {
      const bookingIds = lockedLive.get(changed.ids[index]) ?? [];
      if (capacity >= bookingIds.length) return capacity;
      conflicts.set(changed.ids[index], bookingIds);
      return changed.currentCapacities[index];
    });

    await this.slots.retire(retireNow);
    await this.slots.applyChanges(changed, target.timezone);
    await this.slots.insertMany({ id: target.locationId, bizEntityId: target.bizEntityId, timezone: target.timezone }, created);
    return {
      created: created.startsAt.length,
      updated: changed.ids.length,
      retired: retireNow.length,
      unchanged,
      conflicts: [...conflicts].map(([slotId, bookingIds]) => ({ slotId, bookingIds })),
    };
  }
}

function slotKey(personId: string, startsAt: number): string {
  return `${personId}|${startsAt}`;
}
