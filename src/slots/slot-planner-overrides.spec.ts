import { RuleWindow } from '../availability/rule-conflicts';
import { PlannedSlot, planSlots } from './slot-planner';

// Europe/London in June (BST, UTC+1). 2026-06-01 is a Monday.
const weekdays: RuleWindow = {
  id: 'weekdays',
  kind: 'weekly',
  weekdays: [1, 2, 3, 4, 5],
  startTime: '09:00',
  endTime: '11:00',
  slotMinutes: 60,
};

function slot(ruleId: string, startsAt: string, endsAt: string, localStart: string, capacity: number, buffers = { before: 0, after: 0 }): PlannedSlot {
  const [start, end] = [Date.parse(startsAt), Date.parse(endsAt)];
  return { ruleId, startsAt: start, endsAt: end, bufferedStartsAt: start - buffers.before * 60_000, bufferedEndsAt: end + buffers.after * 60_000, localStart, capacity };
}

function localStarts(rules: RuleWindow[]): string[] {
  return planSlots({ timezone: 'Europe/London', from: '2026-06-01', to: '2026-06-05', rules }).map(
    (slot) => `${slot.localStart} ${slot.ruleId}`,
  );
}

describe('planSlots with overrides', () => {
  it('replaces the weekly window on the override date only', () => {
    const rules: RuleWindow[] = [
      weekdays,
      {
        id: 'afternoon',
        kind: 'override',
        date: '2026-06-03',
        startTime: '14:00',
        endTime: '15:00',
        slotMinutes: 30,
        capacity: 2,
      },
    ];

    const slots = planSlots({ timezone: 'Europe/London', from: '2026-06-03', to: '2026-06-04', rules });

    expect(slots).toEqual([
      slot('afternoon', '2026-06-03T13:00Z', '2026-06-03T13:30Z', '2026-06-03T14:00', 2),
      slot('afternoon', '2026-06-03T13:30Z', '2026-06-03T14:00Z', '2026-06-03T14:30', 2),
      slot('weekdays', '2026-06-04T08:00Z', '2026-06-04T09:00Z', '2026-06-04T09:00', 1),
      slot('weekdays', '2026-06-04T09:00Z', '2026-06-04T10:00Z', '2026-06-04T10:00', 1),
    ]);
  });

  it('takes a day off for an override without times', () => {
    const rules: RuleWindow[] = [weekdays, { id: 'off', kind: 'override', date: '2026-06-02' }];

    expect(localStarts(rules)).toEqual([
      '2026-06-01T09:00 weekdays',
      '2026-06-01T10:00 weekdays',
      '2026-06-03T09:00 weekdays',
      '2026-06-03T10:00 weekdays',
      '2026-06-04T09:00 weekdays',
      '2026-06-04T10:00 weekdays',
      '2026-06-05T09:00 weekdays',
      '2026-06-05T10:00 weekdays',
    ]);
  });

  it('adds up several overrides on one date, a day off among them included', () => {
    const rules: RuleWindow[] = [
      weekdays,
      { id: 'late', kind: 'override', date: '2026-06-05', startTime: '16:00', endTime: '17:00', slotMinutes: 60 },
      { id: 'off', kind: 'override', date: '2026-06-05' },
      {
        id: 'early',
        kind: 'override',
        date: '2026-06-05',
        startTime: '07:00',
        endTime: '08:00',
        slotMinutes: 20,
        bufferAfterMinutes: 10,
      },
    ];

    const slots = planSlots({ timezone: 'Europe/London', from: '2026-06-05', to: '2026-06-05', rules });

    expect(slots.map((slot) => `${slot.localStart} ${slot.ruleId}`)).toEqual([
      '2026-06-05T07:00 early',
      '2026-06-05T07:30 early',
      '2026-06-05T16:00 late',
    ]);
  });

  it('applies an override on a date the weekly rules skip', () => {
    const rules: RuleWindow[] = [
      weekdays,
      { id: 'saturday', kind: 'override', date: '2026-06-06', startTime: '10:00', endTime: '11:00', slotMinutes: 60 },
    ];

    const slots = planSlots({ timezone: 'Europe/London', from: '2026-06-06', to: '2026-06-07', rules });

    expect(slots.map((slot) => slot.localStart)).toEqual([
      '2026-06-06T10:00',
    ]);
  });
});
