import { Transactional } from '@nestjs-cls/transactional';
import { Injectable } from '@nestjs/common';
import type { TenantScope } from '../common/auth/principal';
import { daysInclusive } from '../common/validation/calendar';
import { AvailabilityRulesService } from '../availability/availability-rules.service';
import { LocationsService } from '../locations/locations.service';
import { PeopleService } from '../people/people.service';
import { CreateSlotGenerationDto, GenerationReportDto, MAX_GENERATION_DAYS } from './dto/slot-generation.dto';
import { localDatesSpan, planSlots } from './slot-planner';
import { NewSlotColumns, SlotChangeColumns, SlotsRepository } from './slots.repository';
import { SlotErrors } from './slots.errors';

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
    const existing = await this.slots.findInRange(
      people.map((person) => person.id),
      new Date(span.start),
      new Date(span.end),
    );
    const existingByKey = new Map(existing.map((slot) => [slotKey(slot.personId, slot.startsAt), slot]));

    const created: NewSlotColumns = { personIds: [], ruleIds: [], startsAt: [], endsAt: [], localStarts: [], capacities: [] };
    const changed: SlotChangeColumns = { ids: [], ruleIds: [], endsAt: [], localStarts: [], capacities: [] };
    let unchanged = 0;
    for (const personId of activeIds) {
      const rules = rulesByPerson.get(personId) ?? [];
      if (rules.length === 0) continue;
      for (const slot of planSlots({ timezone: target.timezone, from: target.from, to: target.to, rules })) {
        const key = slotKey(personId, slot.startsAt);
        const current = existingByKey.get(key);
        existingByKey.delete(key);
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
          current.capacity !== slot.capacity ||
          current.ruleId !== slot.ruleId ||
          current.localStart !== slot.localStart
        ) {
          changed.ids.push(current.id);
          changed.ruleIds.push(slot.ruleId);
          changed.endsAt.push(slot.endsAt);
          changed.localStarts.push(slot.localStart);
          changed.capacities.push(slot.capacity);
        } else {
          unchanged += 1;
        }
      }
    }
    // What is left was not planned: the rules no longer produce it.
    // The bookings issue keeps those with live bookings and reports them as conflicts.
    const toRetire = [...existingByKey.values()].filter((slot) => slot.status !== 'retired').map((slot) => slot.id);

    await this.slots.retire(toRetire);
    await this.slots.applyChanges(changed);
    await this.slots.insertMany({ id: target.locationId, bizEntityId: target.bizEntityId }, created);
    return { created: created.startsAt.length, updated: changed.ids.length, retired: toRetire.length, unchanged, conflicts: [] };
  }
}

function slotKey(personId: string, startsAt: number): string {
  return `${personId}|${startsAt}`;
}
