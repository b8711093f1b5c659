import { RuleWindow } from '../availability/rule-conflicts';
import { planSlots } from './slot-planner';

const iso = (epochMs: number): string => new Date(epochMs).toISOString();

function plan(timezone: string, date: string, rules: RuleWindow[]): [string, string, string][] {
  const slots = planSlots({ timezone, from: date, to: date, rules });
  return slots.map((slot) => [slot.localStart, iso(slot.startsAt), iso(slot.endsAt)]);
}

describe('planSlots across a spring-forward gap', () => {
  // 00:30 + 90 min of real time ends at 02:00Z = 03:00 BST, after the 02:00 BST step has begun.
  it.each(['2026-03-29', '2027-03-28'])('drops a 90-minute slot overlapping its predecessor (Europe/London %s)', (date) => {
    const rules: RuleWindow[] = [{ id: 'long', kind: 'override', date, startTime: '00:30', endTime: '07:00', slotMinutes: 90 }];

    expect(plan('Europe/London', date, rules)).toEqual([
      [`${date}T00:30`, `${date}T00:30:00.000Z`, `${date}T02:00:00.000Z`],
      [`${date}T03:30`, `${date}T02:30:00.000Z`, `${date}T04:00:00.000Z`],
      [`${date}T05:00`, `${date}T04:00:00.000Z`, `${date}T05:30:00.000Z`],
    ]);
  });

  it.each(['2026-03-08', '2027-03-14'])('drops a 90-minute slot overlapping its predecessor (America/New_York %s)', (date) => {
    const rules: RuleWindow[] = [{ id: 'long', kind: 'override', date, startTime: '01:30', endTime: '07:00', slotMinutes: 90 }];

    // 06:00 EDT + 90 min would end after the window's 07:00 EDT.
    expect(plan('America/New_York', date, rules)).toEqual([
      [`${date}T01:30`, `${date}T06:30:00.000Z`, `${date}T08:00:00.000Z`],
      [`${date}T04:30`, `${date}T08:30:00.000Z`, `${date}T10:00:00.000Z`],
    ]);
  });

  it('lets a window ending inside the gap keep its full real length (end resolves past the gap)', () => {
    const rules: RuleWindow[] = [
      { id: 'late', kind: 'weekly', weekdays: [7], startTime: '01:30', endTime: '02:30', slotMinutes: 60 },
    ];

    // 02:30 does not exist; the window ends at 03:30 EDT, one real hour after 01:30 EST.
    expect(plan('America/New_York', '2026-03-08', rules)).toEqual([
      ['2026-03-08T01:30', '2026-03-08T06:30:00.000Z', '2026-03-08T07:30:00.000Z'],
    ]);
  });

  it('starts a blackout that begins inside the gap at the transition itself', () => {
    const rules: RuleWindow[] = [
      { id: 'day', kind: 'weekly', weekdays: [7], startTime: '00:00', endTime: '06:00', slotMinutes: 30 },
      { id: 'off', kind: 'blackout', startDate: '2026-03-08', endDate: '2026-03-08', startTime: '02:30', endTime: '03:30' },
    ];

    expect(plan('America/New_York', '2026-03-08', rules).map(([local]) => local.slice(11))).toEqual([
      '00:00',
      '00:30',
      '01:00',
      '01:30',
      '03:30',
      '04:00',
      '04:30',
      '05:00',
      '05:30',
    ]);
  });

  it('skips the missing midnight hour of America/Santiago and ends the eve at the transition', () => {
    const rules: RuleWindow[] = [
      { id: 'early', kind: 'weekly', weekdays: [6, 7], startTime: '00:00', endTime: '02:00', slotMinutes: 30 },
      { id: 'eve', kind: 'blackout', startDate: '2026-09-05', endDate: '2026-09-05' },
    ];

    // 2026-09-06 00:00 -04 jumps to 01:00 -03 (04:00Z); Saturday's whole-day blackout ends there.
    const slots = planSlots({ timezone: 'America/Santiago', from: '2026-09-05', to: '2026-09-06', rules });

    expect(slots.map((slot) => [slot.localStart, iso(slot.startsAt)])).toEqual([
      ['2026-09-06T01:00', '2026-09-06T04:00:00.000Z'],
      ['2026-09-06T01:30', '2026-09-06T04:30:00.000Z'],
    ]);
  });
});
