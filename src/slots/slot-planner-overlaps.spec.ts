import { RuleWindow } from '../availability/rule-conflicts';
import { planSlots } from './slot-planner';

const iso = (epochMs: number): string => new Date(epochMs).toISOString();

describe('planSlots never returns overlapping slots', () => {
  it('drops a slot of an adjacent window that the fall-back fold pulls back over the previous one', () => {
    // Europe/London 2026-10-25: "until 01:30" ends at 01:30 GMT, "from 01:30" starts at 01:30 BST.
    const rules: RuleWindow[] = [
      { id: 'a', kind: 'weekly', weekdays: [7], startTime: '00:00', endTime: '01:30', slotMinutes: 60 },
      { id: 'b', kind: 'weekly', weekdays: [7], startTime: '01:30', endTime: '03:00', slotMinutes: 30 },
    ];

    const slots = planSlots({ timezone: 'Europe/London', from: '2026-10-25', to: '2026-10-25', rules });

    expect(slots.map((slot) => [slot.ruleId, slot.localStart, iso(slot.startsAt), iso(slot.endsAt)])).toEqual([
      ['a', '2026-10-25T00:00', '2026-10-24T23:00:00.000Z', '2026-10-25T00:00:00.000Z'],
      ['a', '2026-10-25T01:00', '2026-10-25T00:00:00.000Z', '2026-10-25T01:00:00.000Z'],
      ['b', '2026-10-25T02:00', '2026-10-25T02:00:00.000Z', '2026-10-25T02:30:00.000Z'],
      ['b', '2026-10-25T02:30', '2026-10-25T02:30:00.000Z', '2026-10-25T03:00:00.000Z'],
    ]);
  });

  it('keeps the earlier slot when two windows overlap on the wall clock', () => {
    const rules: RuleWindow[] = [
      { id: 'b', kind: 'weekly', weekdays: [1], startTime: '09:30', endTime: '11:30', slotMinutes: 60 },
      { id: 'a', kind: 'weekly', weekdays: [1], startTime: '09:00', endTime: '11:00', slotMinutes: 60 },
    ];

    const slots = planSlots({ timezone: 'UTC', from: '2026-06-01', to: '2026-06-01', rules });

    expect(slots.map((slot) => `${slot.ruleId} ${slot.localStart}`)).toEqual(['a 2026-06-01T09:00', 'a 2026-06-01T10:00']);
  });
});
