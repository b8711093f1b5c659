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
  const { existing, neighbours, planned, liveBookings, timezone } = input;
  // Keyed by person, then by start instant (a number): a run compares 100,000+ slots.
  const existingByPerson = new Map<string, Map<number, ExistingSlot>>();
  for (const slot of existing) {
    const byStart = existingByPerson.get(slot.personId) ?? new Map<number, ExistingSlot>();
    byStart.set(slot.startsAt, slot);
    existingByPerson.set(slot.personId, byStart);
  }
  const plannedStarts = new Map([...planned].map(([personId, slots]) => [personId, new Set(slots.map((slot) => slot.startsAt))]));
  const conflicts = new Map<string, string[]>();
  const kept: ExistingSlot[] = [];
  const toRetire: string[] = [];
  for (const slot of existing) {
    if (slot.status === 'retired' || plannedStarts.get(slot.personId)?.has(slot.startsAt)) continue;
    const live = liveBookings.get(slot.id);
    if (live) {
      conflicts.set(slot.id, [...live.bookingIds]);
      kept.push(slot);
    } else {
      toRetire.push(slot.id);
    }
  }

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
    const currentByStart = existingByPerson.get(personId);
    const keptOfPerson = kept.filter((slot) => slot.personId === personId);
    const neighboursOfPerson = neighbours.filter((slot) => slot.personId === personId);
    for (const slot of slots) {
      const current = currentByStart?.get(slot.startsAt);
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
