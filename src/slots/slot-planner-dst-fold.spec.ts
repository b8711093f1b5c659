import { RuleWindow } from '../availability/rule-conflicts';
import { planSlots } from './slot-planner';

const iso = (epochMs: number): string => new Date(epochMs).toISOString();

function plan(timezone: string, from: string, to: string, rules: RuleWindow[]): [string, string, string][] {
  return planSlots({ timezone, from, to, rules }).map((slot) => [slot.localStart, iso(slot.startsAt), iso(slot.endsAt)]);
}

// Europe/London, 2026-10-25: 02:00 BST (01:00Z) falls back to 01:00 GMT, so 01:00–02:00 runs twice.
describe('planSlots across a fall-back fold', () => {
  it('lets a window ending inside the fold run to the second pass of its end', () => {
    const rules: RuleWindow[] = [
      { id: 'fold', kind: 'override', date: '2026-10-25', startTime: '01:00', endTime: '01:30', slotMinutes: 60 },
    ];

    // 01:00 BST (00:00Z) + 60 min fits, because 01:30 ends the window at 01:30 GMT (01:30Z).
    expect(plan('Europe/London', '2026-10-25', '2026-10-25', rules)).toEqual([
      ['2026-10-25T01:00', '2026-10-25T00:00:00.000Z', '2026-10-25T01:00:00.000Z'],
    ]);
  });

  it('starts a window inside the fold at the earlier offset and leaves the repeated hour empty', () => {
    const rules: RuleWindow[] = [
      { id: 'fold', kind: 'weekly', weekdays: [7], startTime: '01:30', endTime: '03:00', slotMinutes: 30 },
    ];

    expect(plan('Europe/London', '2026-10-25', '2026-10-25', rules)).toEqual([
      ['2026-10-25T01:30', '2026-10-25T00:30:00.000Z', '2026-10-25T01:00:00.000Z'],
      ['2026-10-25T02:00', '2026-10-25T02:00:00.000Z', '2026-10-25T02:30:00.000Z'],
      ['2026-10-25T02:30', '2026-10-25T02:30:00.000Z', '2026-10-25T03:00:00.000Z'],
    ]);
  });

  it('widens a blackout inside the fold from the first pass of its start to the second pass of its end', () => {
    const rules: RuleWindow[] = [
      { id: 'night', kind: 'weekly', weekdays: [7], startTime: '00:00', endTime: '04:00', slotMinutes: 30 },
      { id: 'off', kind: 'blackout', startDate: '2026-10-25', endDate: '2026-10-25', startTime: '01:00', endTime: '01:30' },
    ];

    // The blackout covers 00:00Z–01:30Z, which includes the 01:30 BST slot (00:30Z–01:00Z).
    expect(plan('Europe/London', '2026-10-25', '2026-10-25', rules).map(([local]) => local.slice(11))).toEqual([
      '00:00',
      '00:30',
      '02:00',
      '02:30',
      '03:00',
      '03:30',
    ]);
  });

  it('gives America/Santiago its repeated 23:00–24:00 once, before midnight', () => {
    const rules: RuleWindow[] = [
      { id: 'late', kind: 'weekly', weekdays: [6], startTime: '22:00', endTime: '24:00', slotMinutes: 30 },
    ];

    // 2026-04-05 00:00 -03 (03:00Z) falls back to 2026-04-04 23:00 -04.
    expect(plan('America/Santiago', '2026-04-04', '2026-04-04', rules)).toEqual([
      ['2026-04-04T22:00', '2026-04-05T01:00:00.000Z', '2026-04-05T01:30:00.000Z'],
      ['2026-04-04T22:30', '2026-04-05T01:30:00.000Z', '2026-04-05T02:00:00.000Z'],
      ['2026-04-04T23:00', '2026-04-05T02:00:00.000Z', '2026-04-05T02:30:00.000Z'],
      ['2026-04-04T23:30', '2026-04-05T02:30:00.000Z', '2026-04-05T03:00:00.000Z'],
    ]);
  });
});
