import type { PlannedSlot } from './slot-planner';
import type { ExistingSlot, LiveBookingsOfSlot, NewSlotColumns, SlotChangeColumns } from './slots.repository';

/** What one generation run compares: no I/O, so a run can decide again after it locks. */
export interface ReconciliationInput {
  /** Slots of the run's people starting inside its dates, retired ones included. */
  existing: readonly ExistingSlot[];
  /** Live slots of the same people starting within a day outside its dates. */
  neighbours: readonly ExistingSlot[];
  /** What the rules produce now, per active person. */
  planned: ReadonlyMap<string, readonly PlannedSlot[]>;
  /** Live bookings per slot id, with the seats they take (slots without any are absent). */
  liveBookings: ReadonlyMap<string, LiveBookingsOfSlot>;
  /** The zone `planned` local starts are in. */
  timezone: string;
}

export interface Reconciliation {
  toRetire: string[];
  changed: SlotChangeColumns;
  created: NewSlotColumns;
  unchanged: number;
  /** Slot id → its live booking ids: kept against the rules, or in the way of a planned slot. */
  conflicts: Map<string, string[]>;
}

/**
 * DOMAIN.md §Slot generation as a pure function: slots the rules no longer produce retire
 * unless they hold live bookings (then they stay, reported, and keep their time); a planned
 * slot whose buffered span would overlap that of such a kept slot, or of a live slot just
 * outside the run's dates, is not made; capacity never drops below the seats booked; everything else is created or brought
 * in line with the rules.
 */
export function reconcileSlots(input: ReconciliationInput): Reconciliation {
  const { existing, neighbours, liveBookings, timezone } = input;
  // A run compares 100,000+ slots: each person's planned and stored slots are walked side by
  // side in start order, rather than looked up in maps.
  const planned = new Map([...input.planned].map(([personId, slots]) => [personId, inStartOrder(slots)]));
  const existingByPerson = byPersonInStartOrder(existing);
  const currents = new Map<string, (ExistingSlot | undefined)[]>();
  // Flags by position in `existing`: a set of 100,000+ objects costs more than the comparison.
  const matched = new Uint8Array(existing.length);
  for (const [personId, slots] of planned) {
    const stored = existingByPerson.get(personId) ?? [];
    let next = 0;
    currents.set(
      personId,
      slots.map((slot) => {
        while (next < stored.length && existing[stored[next]].startsAt < slot.startsAt) next += 1;
        if (next === stored.length || existing[stored[next]].startsAt !== slot.startsAt) return undefined;
        matched[stored[next]] = 1;
        return existing[stored[next]];
      }),
    );
  }
  const conflicts = new Map<string, string[]>();
  const kept: ExistingSlot[] = [];
  const toRetire: string[] = [];
  existing.forEach((slot, position) => {
    if (slot.status === 'retired' || matched[position] === 1) return;
    const live = liveBookings.get(slot.id);
    if (live) {
      conflicts.set(slot.id, [...live.bookingIds]);
      kept.push(slot);
    } else {
      toRetire.push(slot.id);
    }
  });

  const created: NewSlotColumns = {
    personIds: [],
    ruleIds: [],
    startsAt: [],
    endsAt: [],
    bufferedStartsAt: [],
    bufferedEndsAt: [],
    localStarts: [],
    capacities: [],
  };
  const changed: SlotChangeColumns = { ids: [], ruleIds: [], endsAt: [], bufferedStartsAt: [], bufferedEndsAt: [], localStarts: [], capacities: [] };
  let unchanged = 0;
  for (const [personId, slots] of planned) {
    const currentOfPerson = currents.get(personId)!;
    const keptOfPerson = kept.filter((slot) => slot.personId === personId);
    const neighboursOfPerson = neighbours.filter((slot) => slot.personId === personId);
    for (const [index, slot] of slots.entries()) {
      const current = currentOfPerson[index];
      const overlaps = (other: ExistingSlot): boolean =>
        other.id !== current?.id && other.bufferedStartsAt < slot.bufferedEndsAt && slot.bufferedStartsAt < other.bufferedEndsAt;
      if (keptOfPerson.length > 0 && keptOfPerson.some(overlaps)) continue;
      // Reported, so that a run over the neighbour's dates can settle it.
      const neighbour = neighboursOfPerson.length > 0 ? neighboursOfPerson.find(overlaps) : undefined;
      if (neighbour) {
        conflicts.set(neighbour.id, [...(liveBookings.get(neighbour.id)?.bookingIds ?? [])]);
        continue;
      }
      if (!current) {
        created.personIds.push(personId);
        created.ruleIds.push(slot.ruleId);
        created.startsAt.push(slot.startsAt);
        created.endsAt.push(slot.endsAt);
        created.bufferedStartsAt.push(slot.bufferedStartsAt);
        created.bufferedEndsAt.push(slot.bufferedEndsAt);
        created.localStarts.push(slot.localStart);
        created.capacities.push(slot.capacity);
        continue;
      }
      const live = liveBookings.get(current.id);
      // The slot takes its new shape but keeps a capacity the booked seats need, and is reported.
      const tooSmall = live !== undefined && slot.capacity < live.seats;
      const capacity = tooSmall ? current.capacity : slot.capacity;
      if (tooSmall) conflicts.set(current.id, [...live.bookingIds]);
      if (
        current.status === 'retired' ||
        current.endsAt !== slot.endsAt ||
        current.bufferedStartsAt !== slot.bufferedStartsAt ||
        current.bufferedEndsAt !== slot.bufferedEndsAt ||
        current.capacity !== capacity ||
        current.ruleId !== slot.ruleId ||
        current.localStart !== slot.localStart ||
        current.timezone !== timezone
      ) {
        changed.ids.push(current.id);
        changed.ruleIds.push(slot.ruleId);
        changed.endsAt.push(slot.endsAt);
        changed.bufferedStartsAt.push(slot.bufferedStartsAt);
        changed.bufferedEndsAt.push(slot.bufferedEndsAt);
        changed.localStarts.push(slot.localStart);
        changed.capacities.push(capacity);
      } else {
        unchanged += 1;
      }
    }
  }
  return { toRetire, changed, created, unchanged, conflicts };
}

/** A copy in start order (V8 sorts with TimSort: linear on input already in order). */
function inStartOrder<T extends { startsAt: number }>(slots: readonly T[]): T[] {
  return [...slots].sort((a, b) => a.startsAt - b.startsAt);
}

/** Positions in `slots` of each person's slots, in start order. */
function byPersonInStartOrder(slots: readonly ExistingSlot[]): Map<string, number[]> {
  const byPerson = new Map<string, number[]>();
  slots.forEach((slot, position) => {
    const ofPerson = byPerson.get(slot.personId);
    if (ofPerson) ofPerson.push(position);
    else byPerson.set(slot.personId, [position]);
  });
  for (const positions of byPerson.values()) positions.sort((a, b) => slots[a].startsAt - slots[b].startsAt);
  return byPerson;
}
