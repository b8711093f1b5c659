import { RuleWindow } from '../availability/rule-conflicts';
import { planSlots } from './slot-planner';

// Europe/London in June (BST, UTC+1): every day 09:00–12:00 in hours.
const mornings: RuleWindow = {
  id: 'mornings',
  kind: 'weekly',
  weekdays: [1, 2, 3, 4, 5, 6, 7],
  startTime: '09:00',
  endTime: '12:00',
  slotMinutes: 60,
};

function localStarts(from: string, to: string, rules: RuleWindow[]): string[] {
  return planSlots({ timezone: 'Europe/London', from, to, rules }).map((slot) => slot.localStart);
}

describe('planSlots with blackouts', () => {
  it('removes whole days from startDate to endDate inclusive', () => {
    const rules: RuleWindow[] = [mornings, { id: 'holiday', kind: 'blackout', startDate: '2026-06-02', endDate: '2026-06-03' }];

    expect(localStarts('2026-06-01', '2026-06-04', rules)).toEqual([
      '2026-06-01T09:00',
      '2026-06-01T10:00',
      '2026-06-01T11:00',
      '2026-06-04T09:00',
      '2026-06-04T10:00',
      '2026-06-04T11:00',
    ]);
  });

  it('removes, on each day, every slot overlapping the timed window (half-open)', () => {
    const rules: RuleWindow[] = [
      mornings,
      { id: 'standup', kind: 'blackout', startDate: '2026-06-01', endDate: '2026-06-02', startTime: '10:30', endTime: '11:00' },
    ];

    // 10:00–11:00 overlaps 10:30–11:00; 11:00–12:00 only touches it.
    expect(localStarts('2026-06-01', '2026-06-03', rules)).toEqual([
      '2026-06-01T09:00',
      '2026-06-01T11:00',
      '2026-06-02T09:00',
      '2026-06-02T11:00',
      '2026-06-03T09:00',
      '2026-06-03T10:00',
      '2026-06-03T11:00',
    ]);
  });

  it('keeps slots that end exactly when a blackout begins or begin when it ends', () => {
    const rules: RuleWindow[] = [
      mornings,
      { id: 'lunch', kind: 'blackout', startDate: '2026-06-01', endDate: '2026-06-01', startTime: '10:00', endTime: '11:00' },
    ];

    expect(localStarts('2026-06-01', '2026-06-01', rules)).toEqual(['2026-06-01T09:00', '2026-06-01T11:00']);
  });

  it('applies a blackout that began before the planned dates', () => {
    const rules: RuleWindow[] = [mornings, { id: 'leave', kind: 'blackout', startDate: '2026-05-20', endDate: '2026-06-01' }];

    expect(localStarts('2026-06-01', '2026-06-02', rules)).toEqual(['2026-06-02T09:00', '2026-06-02T10:00', '2026-06-02T11:00']);
  });

  it('removes overrides and weekly slots alike', () => {
    const rules: RuleWindow[] = [
      mornings,
      { id: 'extra', kind: 'override', date: '2026-06-06', startTime: '14:00', endTime: '16:00', slotMinutes: 60 },
      { id: 'weekend', kind: 'blackout', startDate: '2026-06-06', endDate: '2026-06-07', startTime: '11:00', endTime: '15:00' },
    ];

    expect(localStarts('2026-06-06', '2026-06-07', rules)).toEqual(['2026-06-06T15:00', '2026-06-07T09:00', '2026-06-07T10:00']);
  });
});
