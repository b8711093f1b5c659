import { RuleWindow } from '../availability/rule-conflicts';
import { planSlots } from './slot-planner';

// America/Havana, 2026-11-01: 01:00 CDT (05:00Z) falls back to 00:00 CST, so Sunday's
// 00:00–01:00 runs twice and Saturday's "24:00" resolves to the second pass (05:00Z).
const rules: RuleWindow[] = [
  { id: 'saturday', kind: 'weekly', weekdays: [6], startTime: '23:00', endTime: '24:00', slotMinutes: 90 },
  { id: 'sunday', kind: 'weekly', weekdays: [7], startTime: '00:00', endTime: '02:00', slotMinutes: 30 },
];

function plan(from: string, to: string, extra: RuleWindow[]): [string, string, string][] {
  return planSlots({ timezone: 'America/Havana', from, to, rules: [...rules, ...extra] }).map((slot) => [
    slot.localStart,
    new Date(slot.startsAt).toISOString(),
    new Date(slot.endsAt).toISOString(),
  ]);
}

describe('planSlots where the clocks fall back at midnight', () => {
  it("lets Saturday's last slot run into the repeated hour and drops the Sunday slot it overlaps", () => {
    expect(plan('2026-10-31', '2026-11-01', [])).toEqual([
      ['2026-10-31T23:00', '2026-11-01T03:00:00.000Z', '2026-11-01T04:30:00.000Z'],
      ['2026-11-01T00:30', '2026-11-01T04:30:00.000Z', '2026-11-01T05:00:00.000Z'],
      ['2026-11-01T01:00', '2026-11-01T06:00:00.000Z', '2026-11-01T06:30:00.000Z'],
      ['2026-11-01T01:30', '2026-11-01T06:30:00.000Z', '2026-11-01T07:00:00.000Z'],
    ]);
  });

  it('ends a whole-day blackout where a 24:00 window ends: the second pass of the next midnight', () => {
    const blackout: RuleWindow = { id: 'saturday-off', kind: 'blackout', startDate: '2026-10-31', endDate: '2026-10-31' };
    const sundayLeft = [
      ['2026-11-01T01:00', '2026-11-01T06:00:00.000Z', '2026-11-01T06:30:00.000Z'],
      ['2026-11-01T01:30', '2026-11-01T06:30:00.000Z', '2026-11-01T07:00:00.000Z'],
    ];

    expect(plan('2026-10-31', '2026-11-01', [blackout])).toEqual(sundayLeft);
    // Also when Saturday is outside the planned dates.
    expect(plan('2026-11-01', '2026-11-01', [blackout])).toEqual(sundayLeft);
  });

  it('starts a whole-day blackout at the first pass of its midnight', () => {
    const blackout: RuleWindow = { id: 'sunday-off', kind: 'blackout', startDate: '2026-11-01', endDate: '2026-11-01' };

    // Saturday's slot ends at 04:30Z, after Sunday began at 00:00 CDT (04:00Z).
    expect(plan('2026-10-31', '2026-11-01', [blackout])).toEqual([]);
    expect(plan('2026-10-31', '2026-10-31', [blackout])).toEqual([]);
  });
});
