import { RuleWindow } from '../availability/rule-conflicts';
import { planSlots } from './slot-planner';

// Every 2026 and 2027 offset change in London (01:00 UTC) and New York (02:00 local), cut by
// a 00:00–04:00 window of 30-minute slots: the skipped hour gives no slots, the repeated hour
// gives its slots once, at the earlier (summer) offset.
const night = (date: string): RuleWindow => ({
  id: 'night',
  kind: 'override',
  date,
  startTime: '00:00',
  endTime: '04:00',
  slotMinutes: 30,
});

function plan(timezone: string, date: string): [string, string, string][] {
  return planSlots({ timezone, from: date, to: date, rules: [night(date)] }).map((slot) => [
    slot.localStart,
    new Date(slot.startsAt).toISOString(),
    new Date(slot.endsAt).toISOString(),
  ]);
}

describe('planSlots on the 2026–2027 transition days', () => {
  it.each(['2026-03-29', '2027-03-28'])('Europe/London spring-forward %s skips 01:00–02:00', (date) => {
    expect(plan('Europe/London', date)).toEqual([
      [`${date}T00:00`, `${date}T00:00:00.000Z`, `${date}T00:30:00.000Z`],
      [`${date}T00:30`, `${date}T00:30:00.000Z`, `${date}T01:00:00.000Z`],
      [`${date}T02:00`, `${date}T01:00:00.000Z`, `${date}T01:30:00.000Z`],
      [`${date}T02:30`, `${date}T01:30:00.000Z`, `${date}T02:00:00.000Z`],
      [`${date}T03:00`, `${date}T02:00:00.000Z`, `${date}T02:30:00.000Z`],
      [`${date}T03:30`, `${date}T02:30:00.000Z`, `${date}T03:00:00.000Z`],
    ]);
  });

  it.each([
    ['2026-10-25', '2026-10-24'],
    ['2027-10-31', '2027-10-30'],
  ])('Europe/London fall-back %s gives 01:00–02:00 once, in BST', (date, eve) => {
    expect(plan('Europe/London', date)).toEqual([
      [`${date}T00:00`, `${eve}T23:00:00.000Z`, `${eve}T23:30:00.000Z`],
      [`${date}T00:30`, `${eve}T23:30:00.000Z`, `${date}T00:00:00.000Z`],
      [`${date}T01:00`, `${date}T00:00:00.000Z`, `${date}T00:30:00.000Z`],
      [`${date}T01:30`, `${date}T00:30:00.000Z`, `${date}T01:00:00.000Z`],
      [`${date}T02:00`, `${date}T02:00:00.000Z`, `${date}T02:30:00.000Z`],
      [`${date}T02:30`, `${date}T02:30:00.000Z`, `${date}T03:00:00.000Z`],
      [`${date}T03:00`, `${date}T03:00:00.000Z`, `${date}T03:30:00.000Z`],
      [`${date}T03:30`, `${date}T03:30:00.000Z`, `${date}T04:00:00.000Z`],
    ]);
  });

  it.each(['2026-03-08', '2027-03-14'])('America/New_York spring-forward %s skips 02:00–03:00', (date) => {
    expect(plan('America/New_York', date)).toEqual([
      [`${date}T00:00`, `${date}T05:00:00.000Z`, `${date}T05:30:00.000Z`],
      [`${date}T00:30`, `${date}T05:30:00.000Z`, `${date}T06:00:00.000Z`],
      [`${date}T01:00`, `${date}T06:00:00.000Z`, `${date}T06:30:00.000Z`],
      [`${date}T01:30`, `${date}T06:30:00.000Z`, `${date}T07:00:00.000Z`],
      [`${date}T03:00`, `${date}T07:00:00.000Z`, `${date}T07:30:00.000Z`],
      [`${date}T03:30`, `${date}T07:30:00.000Z`, `${date}T08:00:00.000Z`],
    ]);
  });

  it.each(['2026-11-01', '2027-11-07'])('America/New_York fall-back %s gives 01:00–02:00 once, in EDT', (date) => {
    expect(plan('America/New_York', date)).toEqual([
      [`${date}T00:00`, `${date}T04:00:00.000Z`, `${date}T04:30:00.000Z`],
      [`${date}T00:30`, `${date}T04:30:00.000Z`, `${date}T05:00:00.000Z`],
      [`${date}T01:00`, `${date}T05:00:00.000Z`, `${date}T05:30:00.000Z`],
      [`${date}T01:30`, `${date}T05:30:00.000Z`, `${date}T06:00:00.000Z`],
      [`${date}T02:00`, `${date}T07:00:00.000Z`, `${date}T07:30:00.000Z`],
      [`${date}T02:30`, `${date}T07:30:00.000Z`, `${date}T08:00:00.000Z`],
      [`${date}T03:00`, `${date}T08:00:00.000Z`, `${date}T08:30:00.000Z`],
      [`${date}T03:30`, `${date}T08:30:00.000Z`, `${date}T09:00:00.000Z`],
    ]);
  });
});
