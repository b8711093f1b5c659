import fc from 'fast-check';
import { minutesOfDay } from '../common/validation/calendar';
import { conflictingRuleIds, isoWeekday, RuleWindow } from './rule-conflicts';

// Validity bounds are drawn from January 2026; the oracle walks a wider range, so a bound
// left open reaches at least a full week past every drawn date.
const DRAWN = { first: Date.UTC(2026, 0, 1), days: 28 };
const ORACLE = { first: Date.UTC(2025, 11, 20), days: 52 };

const day = (first: number, offset: number): string => new Date(first + offset * 86_400_000).toISOString().slice(0, 10);
const time = (minute: number): string =>
  minute === 1440 ? '24:00' : `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;

const window = fc
  .tuple(fc.integer({ min: 0, max: 1439 }), fc.integer({ min: 1, max: 1440 }))
  .map(([start, length]) => ({ startTime: time(start), endTime: time(Math.min(1440, start + length)) }));

const drawnDate = fc.integer({ min: 0, max: DRAWN.days - 1 }).map((offset) => day(DRAWN.first, offset));

const weekly = fc
  .record({
    window,
    weekdays: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
    validFrom: fc.option(drawnDate, { nil: undefined }),
    validUntil: fc.option(drawnDate, { nil: undefined }),
  })
  .filter(({ validFrom, validUntil }) => !validFrom || !validUntil || validFrom <= validUntil)
  .map(({ window: w, ...rest }) => ({ kind: 'weekly' as const, ...w, ...rest }));

const override = fc
  .record({ window: fc.option(window, { nil: undefined }), date: drawnDate })
  .map(({ window: w, date }) => ({ kind: 'override' as const, date, ...(w ?? {}) }));

/** Brute force: every date, every minute. Independent of the implementation's shortcuts. */
function oracleConflict(a: RuleWindow, b: RuleWindow): boolean {
  if (a.kind !== b.kind) return false;
  for (let offset = 0; offset < ORACLE.days; offset += 1) {
    const date = day(ORACLE.first, offset);
    if (!appliesOn(a, date) || !appliesOn(b, date)) continue;
    for (let minute = 0; minute < 1440; minute += 1) {
      if (covers(a, minute) && covers(b, minute)) return true;
    }
  }
  return false;
}

function appliesOn(rule: RuleWindow, date: string): boolean {
  if (rule.kind === 'override') return rule.date === date;
  return (
    (rule.weekdays ?? []).includes(isoWeekday(date)) &&
    (rule.validFrom === undefined || rule.validFrom <= date) &&
    (rule.validUntil === undefined || date <= rule.validUntil)
  );
}

function covers(rule: RuleWindow, minute: number): boolean {
  if (!rule.startTime || !rule.endTime) return false;
  return minutesOfDay(rule.startTime) <= minute && minute < minutesOfDay(rule.endTime);
}

describe('rule conflict detection', () => {
  it('agrees with a minute-by-minute oracle on random weekly pairs', () => {
    fc.assert(
      fc.property(weekly, weekly, (a, b) => {
        const found = conflictingRuleIds({ id: 'a', ...a }, [{ id: 'b', ...b }]).length > 0;
        expect(found).toBe(oracleConflict({ id: 'a', ...a }, { id: 'b', ...b }));
      }),
      { numRuns: 400 },
    );
  });

  it('agrees with a minute-by-minute oracle on random override pairs, days off included', () => {
    fc.assert(
      fc.property(override, override, (a, b) => {
        const found = conflictingRuleIds({ id: 'a', ...a }, [{ id: 'b', ...b }]).length > 0;
        expect(found).toBe(oracleConflict({ id: 'a', ...a }, { id: 'b', ...b }));
      }),
      { numRuns: 400 },
    );
  });

  it('treats windows as half-open: 09:00–12:00 and 12:00–15:00 do not overlap', () => {
    const morning: RuleWindow = { id: 'a', kind: 'weekly', weekdays: [1], startTime: '09:00', endTime: '12:00' };
    const afternoon: RuleWindow = { id: 'b', kind: 'weekly', weekdays: [1], startTime: '12:00', endTime: '15:00' };
    expect(conflictingRuleIds(morning, [afternoon])).toEqual([]);
  });

  it('finds no shared date when the common validity range misses every shared weekday', () => {
    // 2026-01-05 is a Monday; the only common date is that Monday, but they share only Friday.
    const a: RuleWindow = { id: 'a', kind: 'weekly', weekdays: [1, 5], startTime: '09:00', endTime: '10:00', validFrom: '2026-01-05', validUntil: '2026-01-05' };
    const b: RuleWindow = { id: 'b', kind: 'weekly', weekdays: [5], startTime: '09:00', endTime: '10:00', validFrom: '2026-01-05', validUntil: '2026-01-06' };
    expect(conflictingRuleIds(a, [b])).toEqual([]);
  });

  it('names every conflicting rule and never the rule itself', () => {
    const rule: RuleWindow = { id: 'self', kind: 'override', date: '2026-03-01', startTime: '10:00', endTime: '11:00' };
    const others: RuleWindow[] = [
      { ...rule },
      { id: 'x', kind: 'override', date: '2026-03-01', startTime: '10:30', endTime: '12:00' },
      { id: 'y', kind: 'override', date: '2026-03-02', startTime: '10:30', endTime: '12:00' },
      { id: 'z', kind: 'override', date: '2026-03-01', startTime: '08:00', endTime: '10:01' },
    ];
    expect(conflictingRuleIds(rule, others)).toEqual(['x', 'z']);
  });
});
