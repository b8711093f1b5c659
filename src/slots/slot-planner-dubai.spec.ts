import { RuleWindow } from '../availability/rule-conflicts';
import { PlannedSlot, planSlots } from './slot-planner';

function slot(ruleId: string, startsAt: string, endsAt: string, localStart: string, capacity: number, buffers = { before: 0, after: 0 }): PlannedSlot {
  const [start, end] = [Date.parse(startsAt), Date.parse(endsAt)];
  return { ruleId, startsAt: start, endsAt: end, bufferedStartsAt: start - buffers.before * 60_000, bufferedEndsAt: end + buffers.after * 60_000, localStart, capacity };
}

// Asia/Dubai is UTC+4 all year: other zones' change days are ordinary days here.
describe('planSlots in Asia/Dubai', () => {
  it.each(['2026-03-29', '2026-10-25', '2027-03-28', '2027-10-31'])('cuts the same grid on %s', (date) => {
    const rules: RuleWindow[] = [
      { id: 'desk', kind: 'weekly', weekdays: [7], startTime: '09:00', endTime: '12:00', slotMinutes: 45, bufferAfterMinutes: 15 },
      { id: 'group', kind: 'weekly', weekdays: [7], startTime: '13:00', endTime: '14:00', slotMinutes: 60, capacity: 8 },
    ];

    expect(planSlots({ timezone: 'Asia/Dubai', from: date, to: date, rules })).toEqual([
      slot('desk', `${date}T05:00Z`, `${date}T05:45Z`, `${date}T09:00`, 1, { before: 0, after: 15 }),
      slot('desk', `${date}T06:00Z`, `${date}T06:45Z`, `${date}T10:00`, 1, { before: 0, after: 15 }),
      slot('desk', `${date}T07:00Z`, `${date}T07:45Z`, `${date}T11:00`, 1, { before: 0, after: 15 }),
      slot('group', `${date}T09:00Z`, `${date}T10:00Z`, `${date}T13:00`, 8),
    ]);
  });
});
