import { RuleWindow } from '../availability/rule-conflicts';
import { planSlots } from './slot-planner';

// 2026-06-01 is a Monday.
describe('planSlots with a weekly rule', () => {
  it('runs on its weekdays from validFrom to validUntil, both inclusive', () => {
    const rules: RuleWindow[] = [
      {
        id: 'clinic',
        kind: 'weekly',
        weekdays: [1, 3],
        startTime: '09:00',
        endTime: '10:00',
        slotMinutes: 60,
        validFrom: '2026-06-03',
        validUntil: '2026-06-10',
      },
    ];

    const slots = planSlots({ timezone: 'Asia/Kolkata', from: '2026-06-01', to: '2026-06-15', rules });

    expect(slots.map((slot) => [slot.localStart, new Date(slot.startsAt).toISOString()])).toEqual([
      ['2026-06-03T09:00', '2026-06-03T03:30:00.000Z'],
      ['2026-06-08T09:00', '2026-06-08T03:30:00.000Z'],
      ['2026-06-10T09:00', '2026-06-10T03:30:00.000Z'],
    ]);
  });

  it('runs without bounds when validity is open on both sides', () => {
    const rules: RuleWindow[] = [
      { id: 'sundays', kind: 'weekly', weekdays: [7], startTime: '09:00', endTime: '10:00', slotMinutes: 60 },
    ];

    expect(planSlots({ timezone: 'UTC', from: '2026-06-01', to: '2026-06-21', rules }).map((slot) => slot.localStart)).toEqual([
      '2026-06-07T09:00',
      '2026-06-14T09:00',
      '2026-06-21T09:00',
    ]);
  });

  it('returns nothing for an empty date range', () => {
    const rules: RuleWindow[] = [
      { id: 'daily', kind: 'weekly', weekdays: [1, 2, 3, 4, 5, 6, 7], startTime: '09:00', endTime: '10:00', slotMinutes: 60 },
    ];

    expect(planSlots({ timezone: 'UTC', from: '2026-06-02', to: '2026-06-01', rules })).toEqual([]);
  });
});
