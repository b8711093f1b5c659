import fc from 'fast-check';
import { RuleWindow } from '../availability/rule-conflicts';
import { formatDate, oraclePlan, oracleSlots, parseDate, Transition, transitions, wallClockAt, windowInstants } from '../../test/oracles/intl-slot-oracle';
import { PlannedSlot, planSlots, planSlotsAndSkips, SlotPlanInput } from './slot-planner';

// Havana is extra: its clocks fall back at midnight, so 00:00 itself is ambiguous.
const DST_ZONES = [
  'Europe/London',
  'America/New_York',
  'America/Santiago',
  'America/Havana',
  'Australia/Lord_Howe',
  'Pacific/Chatham',
];
const FIXED_ZONES = ['Asia/Dubai', 'Asia/Kolkata', 'UTC'];

/** Something per zone, from its 2026–2027 offset changes as the oracle finds them. */
function perZone<T>(of: (change: Transition) => T[], otherwise: T[]): Map<string, T[]> {
  return new Map(
    [...DST_ZONES, ...FIXED_ZONES].map((zone) => {
      const found = [...new Set(transitions(zone, '2026-01-01', '2027-12-31').flatMap(of))];
      return [zone, found.length > 0 ? found : otherwise];
    }),
  );
}

// Local dates on either side of each change; zones without DST borrow the others' dates.
const CHANGE_DATES = perZone(
  (change) => [change.before.slice(0, 10), change.after.slice(0, 10)],
  ['2026-03-29', '2026-10-25', '2026-04-04', '2027-09-05'],
);

// Wall-clock minutes where the clocks jump: just after the last minute before a change, and
// the first minute after it.
const minuteOf = (local: string): number => Number(local.slice(11, 13)) * 60 + Number(local.slice(14, 16));
const CHANGE_MINUTES = perZone(
  (change) => [minuteOf(change.before) + 1, minuteOf(change.after)],
  [0, 60, 120, 165, 1380, 1440],
);

const clock = (minute: number): string =>
  minute === 1440 ? '24:00' : `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;

type Times = { startTime: string; endTime: string };

/** Windows whose start and end often fall within an hour of where the zone's clocks jump. */
function windowNear(changeMinutes: number[]): fc.Arbitrary<Times> {
  const nearChange = fc
    .tuple(fc.constantFrom(...changeMinutes), fc.integer({ min: -60, max: 60 }))
    .map(([at, delta]) => at + delta);
  const minute = fc.oneof({ weight: 2, arbitrary: nearChange }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 1440 }) });
  const length = fc.oneof(
    { weight: 2, arbitrary: fc.integer({ min: 60, max: 600 }) },
    { weight: 1, arbitrary: fc.integer({ min: 5, max: 1440 }) },
  );
  return fc.tuple(minute, minute, length).map(([a, b, fallback]) => {
    const start = Math.min(Math.max(a, 0), 1439);
    const end = b > start ? Math.min(b, 1440) : Math.min(1440, start + fallback);
    return { startTime: clock(start), endTime: clock(end) };
  });
}

const slotShape = fc.record({
  slotMinutes: fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(15, 30, 45, 60, 90) },
    { weight: 1, arbitrary: fc.integer({ min: 5, max: 240 }) },
  ),
  bufferBeforeMinutes: fc.option(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 90 })), { nil: undefined }),
  bufferAfterMinutes: fc.option(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 90 })), { nil: undefined }),
  capacity: fc.option(fc.integer({ min: 1, max: 10 }), { nil: undefined }),
});

/** Mostly undefined: a validity bound on every rule would leave most draws without slots. */
const rarely = <T>(value: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> =>
  fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: value });

/** One person's rules, dated from `near`. Windows of one kind may overlap: the planner must cope. */
function rulesNear(near: fc.Arbitrary<string>, window: fc.Arbitrary<Times>): fc.Arbitrary<RuleWindow[]> {
  const weekly = fc.record({
    window,
    slotShape,
    weekdays: fc.oneof(
      { weight: 2, arbitrary: fc.constant<number[]>([1, 2, 3, 4, 5, 6, 7]) },
      { weight: 1, arbitrary: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }) },
    ),
    validFrom: rarely(near),
    validUntil: rarely(near),
  });
  const override = fc.record({ date: near, timed: fc.option(fc.tuple(window, slotShape), { nil: undefined }) });
  const blackout = fc.record({
    startDate: near,
    days: fc.integer({ min: 0, max: 2 }),
    window: fc.option(window, { nil: undefined, freq: 3 }),
  });
  return fc
    .tuple(
      fc.array(weekly, { minLength: 1, maxLength: 3 }),
      fc.array(override, { maxLength: 3 }),
      fc.array(blackout, { maxLength: 2 }),
    )
    .map(([weeklies, overrides, blackouts]) => [
      ...weeklies.map(({ window: times, slotShape: shape, ...rest }, index): RuleWindow => {
        return { id: `w${index}`, kind: 'weekly', ...times, ...shape, ...rest };
      }),
      ...overrides.map(({ date, timed }, index): RuleWindow => {
        return { id: `o${index}`, kind: 'override', date, ...(timed ? { ...timed[0], ...timed[1] } : {}) };
      }),
      ...blackouts.map(
        ({ startDate, days, window: times }, index): RuleWindow => ({
          id: `b${index}`,
          kind: 'blackout',
          startDate,
          endDate: formatDate(parseDate(startDate) + days),
          ...(times ?? {}),
        }),
      ),
    ]);
}

/** 1–4 local dates, usually around one of the zone's offset changes. */
const plan: fc.Arbitrary<SlotPlanInput> = fc
  .oneof({ weight: 3, arbitrary: fc.constantFrom(...DST_ZONES) }, { weight: 1, arbitrary: fc.constantFrom(...FIXED_ZONES) })
  .chain((timezone) =>
    fc.record({
      timezone: fc.constant(timezone),
      anchor: fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(...(CHANGE_DATES.get(timezone) as string[])) },
        { weight: 1, arbitrary: fc.integer({ min: parseDate('2026-01-01'), max: parseDate('2027-12-31') }).map(formatDate) },
      ),
      shift: fc.integer({ min: -2, max: 0 }),
      days: fc.integer({ min: 1, max: 4 }),
    }),
  )
  .chain(({ timezone, anchor, shift, days }) => {
    const first = parseDate(anchor) + shift;
    const last = first + days - 1;
    const near = fc.integer({ min: first - 2, max: last + 2 }).map(formatDate);
    return fc.record({
      timezone: fc.constant(timezone),
      from: fc.constant(formatDate(first)),
      to: fc.constant(formatDate(last)),
      rules: rulesNear(near, windowNear(CHANGE_MINUTES.get(timezone) as number[])),
    });
  });

describe('planSlots (property)', () => {
  it('draws dates around the offset changes the oracle finds', () => {
    expect(CHANGE_DATES.get('Europe/London')).toEqual(['2026-03-29', '2026-10-25', '2027-03-28', '2027-10-31']);
    expect(CHANGE_DATES.get('America/New_York')).toEqual(['2026-03-08', '2026-11-01', '2027-03-14', '2027-11-07']);
    for (const zone of DST_ZONES) expect(transitions(zone, '2026-01-01', '2027-12-31')).toHaveLength(4);
    for (const zone of FIXED_ZONES) expect(transitions(zone, '2026-01-01', '2027-12-31')).toEqual([]);
  });

  it('matches the Intl oracle', () => {
    fc.assert(
      fc.property(plan, (input) => {
        expect(planSlots(input)).toEqual(oracleSlots(input));
      }),
      { numRuns: 600 },
    );
  });

  it('reports the same skipped slots as the Intl oracle', () => {
    fc.assert(
      fc.property(plan, (input) => {
        expect(planSlotsAndSkips(input).skipped).toEqual(oraclePlan(input).skipped);
      }),
      { numRuns: 300 },
    );
  });

  it('returns sorted slots of exactly slotMinutes whose local start reads back, buffers inside the window and buffered spans apart', () => {
    fc.assert(
      fc.property(plan, (input) => {
        const slots = planSlots(input);
        const rules = new Map(input.rules.map((rule) => [rule.id, rule]));
        slots.forEach((slot, index) => {
          const rule = rules.get(slot.ruleId) as RuleWindow;
          const [date, time] = slot.localStart.split('T');
          expect(slot.endsAt - slot.startsAt).toBe((rule.slotMinutes as number) * 60_000);
          expect(wallClockAt(input.timezone, slot.startsAt)).toBe(slot.localStart);
          expect(date >= input.from && date <= input.to).toBe(true);
          expect(time >= (rule.startTime as string) && time < (rule.endTime as string)).toBe(true);
          expect(slot.capacity).toBe(rule.capacity ?? 1);
          expect(slot.startsAt - slot.bufferedStartsAt).toBe((rule.bufferBeforeMinutes ?? 0) * 60_000);
          expect(slot.bufferedEndsAt - slot.endsAt).toBe((rule.bufferAfterMinutes ?? 0) * 60_000);
          const window = windowInstants(input.timezone, date, rule.startTime as string, rule.endTime as string);
          expect(slot.bufferedStartsAt).toBeGreaterThanOrEqual(window.start);
          expect(slot.bufferedEndsAt).toBeLessThanOrEqual(window.end);
          if (index > 0) expect(slots[index - 1].bufferedEndsAt).toBeLessThanOrEqual(slot.bufferedStartsAt);
        });
      }),
      { numRuns: 200 },
    );
  });

  it('only removes slots when blackouts are added, and ignores rule order', () => {
    const withShuffle = plan.chain((input) =>
      fc.record({
        input: fc.constant(input),
        shuffled: fc.shuffledSubarray([...input.rules], { minLength: input.rules.length, maxLength: input.rules.length }),
      }),
    );
    fc.assert(
      fc.property(withShuffle, ({ input, shuffled }) => {
        const slots = planSlots(input);
        const key = (slot: PlannedSlot): string => `${slot.ruleId}@${slot.startsAt}`;
        const open = planSlots({ ...input, rules: input.rules.filter((rule) => rule.kind !== 'blackout') });
        const unblocked = new Set(open.map(key));
        expect(slots.filter((slot) => !unblocked.has(key(slot)))).toEqual([]);
        expect(planSlots({ ...input, rules: shuffled })).toEqual(slots);
      }),
      { numRuns: 300 },
    );
  });
});
