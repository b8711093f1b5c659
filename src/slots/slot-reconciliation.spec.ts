import type { PlannedSlot } from './slot-planner';
import { reconcileSlots, ReconciliationInput } from './slot-reconciliation';
import type { ExistingSlot } from './slots.repository';

const HOUR = 3_600_000;
const T0 = Date.parse('2027-01-04T05:00:00Z');
const P = 'person-1';

function planned(hour: number, options: Partial<PlannedSlot> = {}): PlannedSlot {
  const [startsAt, endsAt] = [T0 + hour * HOUR, T0 + (hour + 1) * HOUR];
  return { ruleId: 'rule-1', startsAt, endsAt, bufferedStartsAt: startsAt, bufferedEndsAt: endsAt, localStart: `L${hour}`, capacity: 1, ...options };
}

function stored(id: string, hour: number, options: Partial<ExistingSlot> = {}): ExistingSlot {
  return {
    id,
    personId: P,
    startsAt: T0 + hour * HOUR,
    endsAt: T0 + (hour + 1) * HOUR,
    bufferedStartsAt: T0 + hour * HOUR,
    bufferedEndsAt: T0 + (hour + 1) * HOUR,
    capacity: 1,
    ruleId: 'rule-1',
    localStart: `L${hour}`,
    timezone: 'Asia/Dubai',
    status: 'open',
    ...options,
  };
}

function reconcile(input: Partial<ReconciliationInput>) {
  return reconcileSlots({ existing: [], neighbours: [], planned: new Map(), liveBookings: new Map(), timezone: 'Asia/Dubai', ...input });
}

describe('reconcileSlots (DOMAIN.md §Slot generation)', () => {
  it('creates what is new, leaves what matches, and a second identical run changes nothing', () => {
    const result = reconcile({ existing: [stored('a', 0)], planned: new Map([[P, [planned(0), planned(1)]]]) });
    expect(result.created.startsAt).toEqual([T0 + HOUR]);
    expect(result).toMatchObject({ toRetire: [], unchanged: 1, changed: { ids: [] } });
    expect(result.conflicts.size).toBe(0);
  });

  it('pairs stored and planned slots of each person by start whatever order they come in', () => {
    const Q = 'person-2';
    const result = reconcile({
      existing: [stored('q3', 3, { personId: Q }), stored('p2', 2, { capacity: 4 }), stored('q1', 1, { personId: Q }), stored('p0', 0), stored('p5', 5)],
      planned: new Map([
        [P, [planned(2), planned(0), planned(4)]],
        [Q, [planned(3), planned(1)]],
      ]),
    });
    expect(result.unchanged).toBe(3);
    expect(result.changed).toMatchObject({ ids: ['p2'], capacities: [1] });
    expect(result.created.startsAt).toEqual([T0 + 4 * HOUR]);
    expect(result.toRetire).toEqual(['p5']);
  });

  it('retires a slot the rules no longer produce, but keeps and reports one with live bookings', () => {
    const result = reconcile({
      existing: [stored('free', 0), stored('booked', 1)],
      planned: new Map([[P, []]]),
      liveBookings: new Map([['booked', { bookingIds: ['b1'], seats: 1 }]]),
    });
    expect(result.toRetire).toEqual(['free']);
    expect([...result.conflicts]).toEqual([['booked', ['b1']]]);
  });

  it('does not make a planned slot that overlaps a kept slot', () => {
    // Rules moved from hourly at :00 to hourly at :30; the booked 06:00 slot stays.
    const result = reconcile({
      existing: [stored('booked', 1)],
      planned: new Map([[P, [planned(0.5), planned(1.5), planned(2.5)]]]),
      liveBookings: new Map([['booked', { bookingIds: ['b1'], seats: 1 }]]),
    });
    expect(result.created.startsAt).toEqual([T0 + 2.5 * HOUR]);
    expect([...result.conflicts]).toEqual([['booked', ['b1']]]);
  });

  it('does not make a planned slot that overlaps a live slot outside the dates, and reports that slot', () => {
    const result = reconcile({
      neighbours: [stored('before', -0.5, { endsAt: T0 + 0.5 * HOUR })],
      planned: new Map([[P, [planned(0), planned(1)]]]),
    });
    expect(result.created.startsAt).toEqual([T0 + HOUR]);
    expect([...result.conflicts]).toEqual([['before', []]]);
  });

  it('keeps the buffers of a kept slot free: a planned slot whose buffered span overlaps it is not made', () => {
    // The booked 06:00 slot keeps 30 minutes free after it; a planned 07:00 slot needs 15 before it.
    const result = reconcile({
      existing: [stored('booked', 1, { bufferedEndsAt: T0 + 2.5 * HOUR })],
      planned: new Map([[P, [planned(2, { bufferedStartsAt: T0 + 1.75 * HOUR }), planned(3)]]]),
      liveBookings: new Map([['booked', { bookingIds: ['b1'], seats: 1 }]]),
    });
    expect(result.created.startsAt).toEqual([T0 + 3 * HOUR]);
    expect(result.created.bufferedStartsAt).toEqual([T0 + 3 * HOUR]);
    expect([...result.conflicts]).toEqual([['booked', ['b1']]]);
  });

  it('moves a slot whose buffers changed, though its start and end did not', () => {
    const result = reconcile({
      existing: [stored('same', 0)],
      planned: new Map([[P, [planned(0, { bufferedEndsAt: T0 + 1.25 * HOUR })]]]),
    });
    expect(result.changed).toMatchObject({ ids: ['same'], bufferedStartsAt: [T0], bufferedEndsAt: [T0 + 1.25 * HOUR] });
  });

  it('never drops capacity below what is booked: the slot keeps its capacity and is reported', () => {
    const result = reconcile({
      existing: [stored('busy', 0, { capacity: 3 }), stored('quiet', 1, { capacity: 3 })],
      planned: new Map([[P, [planned(0, { capacity: 1 }), planned(1, { capacity: 1 })]]]),
      liveBookings: new Map([['busy', { bookingIds: ['b1', 'b2'], seats: 2 }]]),
    });
    expect(result.changed).toMatchObject({ ids: ['quiet'], capacities: [1] });
    expect([...result.conflicts]).toEqual([['busy', ['b1', 'b2']]]);
  });

  it('counts seats, not bookings: one party of 3 keeps a capacity of 3 against a rule of 2', () => {
    const result = reconcile({
      existing: [stored('party', 0, { capacity: 4 }), stored('pair', 1, { capacity: 4 })],
      planned: new Map([[P, [planned(0, { capacity: 2 }), planned(1, { capacity: 2 })]]]),
      liveBookings: new Map([
        ['party', { bookingIds: ['b1'], seats: 3 }],
        ['pair', { bookingIds: ['b2'], seats: 2 }],
      ]),
    });
    expect(result.changed).toMatchObject({ ids: ['pair'], capacities: [2] });
    expect([...result.conflicts]).toEqual([['party', ['b1']]]);
  });

  it('brings back a retired slot, and moves a slot whose zone or shape changed', () => {
    const result = reconcile({
      existing: [stored('retired', 0, { status: 'retired' }), stored('old-zone', 1, { timezone: 'Etc/UTC' }), stored('longer', 2)],
      planned: new Map([[P, [planned(0), planned(1), planned(2, { endsAt: T0 + 3.5 * HOUR, bufferedEndsAt: T0 + 3.5 * HOUR })]]]),
    });
    expect(result.changed.ids).toEqual(['retired', 'old-zone', 'longer']);
    expect(result.changed.endsAt[2]).toBe(T0 + 3.5 * HOUR);
    expect(result.unchanged).toBe(0);
  });
});
