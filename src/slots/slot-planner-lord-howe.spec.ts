import { RuleWindow } from '../availability/rule-conflicts';
import { planSlots } from './slot-planner';

// Australia/Lord_Howe shifts by 30 minutes: +10:30 standard, +11:00 summer.
function plan(date: string, startTime: string, endTime: string): [string, string][] {
  const rules: RuleWindow[] = [{ id: 'night', kind: 'override', date, startTime, endTime, slotMinutes: 30 }];
  return planSlots({ timezone: 'Australia/Lord_Howe', from: date, to: date, rules }).map((slot) => [
    slot.localStart,
    new Date(slot.startsAt).toISOString(),
  ]);
}

describe('planSlots in Australia/Lord_Howe', () => {
  it('skips only the 02:00 step when 02:00 jumps to 02:30 (2026-10-04)', () => {
    expect(plan('2026-10-04', '01:00', '04:00')).toEqual([
      ['2026-10-04T01:00', '2026-10-03T14:30:00.000Z'],
      ['2026-10-04T01:30', '2026-10-03T15:00:00.000Z'],
      ['2026-10-04T02:30', '2026-10-03T15:30:00.000Z'],
      ['2026-10-04T03:00', '2026-10-03T16:00:00.000Z'],
      ['2026-10-04T03:30', '2026-10-03T16:30:00.000Z'],
    ]);
  });

  it('gives the repeated 01:30–02:00 once, at +11:00, when 02:00 falls back to 01:30 (2026-04-05)', () => {
    expect(plan('2026-04-05', '01:00', '03:00')).toEqual([
      ['2026-04-05T01:00', '2026-04-04T14:00:00.000Z'],
      ['2026-04-05T01:30', '2026-04-04T14:30:00.000Z'],
      ['2026-04-05T02:00', '2026-04-04T15:30:00.000Z'],
      ['2026-04-05T02:30', '2026-04-04T16:00:00.000Z'],
    ]);
  });
});
