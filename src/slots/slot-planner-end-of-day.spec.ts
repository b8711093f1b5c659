import { RuleWindow } from '../availability/rule-conflicts';
import { planSlots } from './slot-planner';

const iso = (epochMs: number): string => new Date(epochMs).toISOString();

describe('planSlots with a window ending at 24:00', () => {
  it('fills up to the next date midnight and no further', () => {
    const rules: RuleWindow[] = [
      { id: 'night', kind: 'weekly', weekdays: [1], startTime: '22:00', endTime: '24:00', slotMinutes: 45, bufferAfterMinutes: 5 },
    ];

    // Steps at 22:00, 22:50, 23:40; the last would end at 00:25 and is left out.
    const slots = planSlots({ timezone: 'Europe/London', from: '2026-06-01', to: '2026-06-02', rules });

    expect(slots.map((slot) => [slot.localStart, iso(slot.startsAt), iso(slot.endsAt)])).toEqual([
      ['2026-06-01T22:00', '2026-06-01T21:00:00.000Z', '2026-06-01T21:45:00.000Z'],
      ['2026-06-01T22:50', '2026-06-01T21:50:00.000Z', '2026-06-01T22:35:00.000Z'],
    ]);
  });

  it('lets the last slot end exactly at midnight', () => {
    const rules: RuleWindow[] = [
      { id: 'night', kind: 'override', date: '2026-06-01', startTime: '23:00', endTime: '24:00', slotMinutes: 30 },
    ];

    const slots = planSlots({ timezone: 'America/New_York', from: '2026-06-01', to: '2026-06-01', rules });

    expect(slots.map((slot) => iso(slot.endsAt))).toEqual([
      '2026-06-02T03:30:00.000Z',
      '2026-06-02T04:00:00.000Z',
    ]);
  });
});
