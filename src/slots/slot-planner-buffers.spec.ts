import { RuleWindow } from '../availability/rule-conflicts';
import { planSlots, planSlotsAndSkips } from './slot-planner';

const iso = (epochMs: number): string => new Date(epochMs).toISOString().replace(':00.000Z', 'Z');

/** Each slot as [local start, buffered start, start, end, buffered end], instants in UTC. */
function plan(timezone: string, date: string, rules: RuleWindow[]): string[][] {
  return planSlots({ timezone, from: date, to: date, rules }).map((slot) => [
    slot.localStart.slice(11),
    iso(slot.bufferedStartsAt),
    iso(slot.startsAt),
    iso(slot.endsAt),
    iso(slot.bufferedEndsAt),
  ]);
}

function rule(startTime: string, endTime: string, slotMinutes: number, bufferBeforeMinutes: number, bufferAfterMinutes: number): RuleWindow {
  return { id: 'r', kind: 'weekly', weekdays: [1, 2, 3, 4, 5, 6, 7], startTime, endTime, slotMinutes, bufferBeforeMinutes, bufferAfterMinutes };
}

describe('planSlots with buffers before and after each slot', () => {
  it('starts the first slot a before-buffer into the window and keeps that much free before each', () => {
    expect(plan('UTC', '2026-06-01', [rule('09:00', '10:00', 20, 10, 0)])).toEqual([
      ['09:10', '2026-06-01T09:00Z', '2026-06-01T09:10Z', '2026-06-01T09:30Z', '2026-06-01T09:30Z'],
      ['09:40', '2026-06-01T09:30Z', '2026-06-01T09:40Z', '2026-06-01T10:00Z', '2026-06-01T10:00Z'],
    ]);
  });

  it('keeps an after-buffer free after each slot, the last one included, inside the window', () => {
    expect(plan('UTC', '2026-06-01', [rule('09:00', '10:00', 20, 0, 10)])).toEqual([
      ['09:00', '2026-06-01T09:00Z', '2026-06-01T09:00Z', '2026-06-01T09:20Z', '2026-06-01T09:30Z'],
      ['09:30', '2026-06-01T09:30Z', '2026-06-01T09:30Z', '2026-06-01T09:50Z', '2026-06-01T10:00Z'],
    ]);
    // 09:00–09:50 would fit, but its 15 minutes after would end past 10:00.
    expect(plan('UTC', '2026-06-01', [rule('09:00', '10:00', 50, 0, 15)])).toEqual([]);
  });

  it('steps by before + slot + after when both are set', () => {
    expect(plan('UTC', '2026-06-01', [rule('09:00', '10:30', 30, 10, 5)])).toEqual([
      ['09:10', '2026-06-01T09:00Z', '2026-06-01T09:10Z', '2026-06-01T09:40Z', '2026-06-01T09:45Z'],
      ['09:55', '2026-06-01T09:45Z', '2026-06-01T09:55Z', '2026-06-01T10:25Z', '2026-06-01T10:30Z'],
    ]);
  });

  describe('Europe/London', () => {
    it('skips the step whose slot starts in the spring-forward gap, buffers in real minutes (2026-03-29)', () => {
      // 01:00 GMT jumps to 02:00 BST: the 01:15 slot does not exist.
      expect(plan('Europe/London', '2026-03-29', [rule('00:00', '04:00', 45, 15, 0)])).toEqual([
        ['00:15', '2026-03-29T00:00Z', '2026-03-29T00:15Z', '2026-03-29T01:00Z', '2026-03-29T01:00Z'],
        ['02:15', '2026-03-29T01:00Z', '2026-03-29T01:15Z', '2026-03-29T02:00Z', '2026-03-29T02:00Z'],
        ['03:15', '2026-03-29T02:00Z', '2026-03-29T02:15Z', '2026-03-29T03:00Z', '2026-03-29T03:00Z'],
      ]);
    });

    it('does not let a before-buffer reach back past a window that starts inside the gap', () => {
      // The window "from 01:30" starts at the jump (01:00Z); a 02:00 BST slot (01:00Z) has no 30 minutes before it.
      expect(plan('Europe/London', '2026-03-29', [rule('01:30', '04:00', 30, 30, 0)])).toEqual([
        ['03:00', '2026-03-29T01:30Z', '2026-03-29T02:00Z', '2026-03-29T02:30Z', '2026-03-29T02:30Z'],
      ]);
    });

    it('keeps the after-buffer inside a window that ends in the fall-back fold (2026-10-25)', () => {
      // "until 01:30" ends at 01:30 GMT (01:30Z): 01:00 BST (00:00Z) + 50 + 10 fits.
      expect(plan('Europe/London', '2026-10-25', [rule('00:00', '01:30', 50, 0, 10)])).toEqual([
        ['00:00', '2026-10-24T23:00Z', '2026-10-24T23:00Z', '2026-10-24T23:50Z', '2026-10-25T00:00Z'],
        ['01:00', '2026-10-25T00:00Z', '2026-10-25T00:00Z', '2026-10-25T00:50Z', '2026-10-25T01:00Z'],
      ]);
    });

    it('does not make, and reports, the slot of a touching window whose buffered span the fold pulls over an earlier slot', () => {
      const rules: RuleWindow[] = [
        { id: 'a', kind: 'weekly', weekdays: [7], startTime: '00:00', endTime: '01:30', slotMinutes: 50, bufferAfterMinutes: 10 },
        { id: 'b', kind: 'weekly', weekdays: [7], startTime: '01:30', endTime: '03:00', slotMinutes: 30 },
      ];

      const { slots, skipped } = planSlotsAndSkips({ timezone: 'Europe/London', from: '2026-10-25', to: '2026-10-25', rules });

      expect(slots.map((slot) => `${slot.ruleId} ${slot.localStart.slice(11)}`)).toEqual(['a 00:00', 'a 01:00', 'b 02:00', 'b 02:30']);
      // "from 01:30" starts at 01:30 BST (00:30Z), inside a's 01:00 slot and its buffer (00:00Z–01:00Z).
      expect(skipped.map((slot) => [slot.ruleId, slot.localStart, iso(slot.bufferedStartsAt), slot.overlaps.ruleId, iso(slot.overlaps.startsAt)])).toEqual([
        ['b', '2026-10-25T01:30', '2026-10-25T00:30Z', 'a', '2026-10-25T00:00Z'],
      ]);
    });
  });

  describe('America/New_York', () => {
    it('skips the 02:00 step of the spring-forward day (2026-03-08)', () => {
      expect(plan('America/New_York', '2026-03-08', [rule('01:00', '04:00', 40, 0, 20)])).toEqual([
        ['01:00', '2026-03-08T06:00Z', '2026-03-08T06:00Z', '2026-03-08T06:40Z', '2026-03-08T07:00Z'],
        ['03:00', '2026-03-08T07:00Z', '2026-03-08T07:00Z', '2026-03-08T07:40Z', '2026-03-08T08:00Z'],
      ]);
    });

    it('takes the earlier 01:15 on the fall-back day and leaves the repeated hour free (2026-11-01)', () => {
      expect(plan('America/New_York', '2026-11-01', [rule('00:00', '03:00', 30, 15, 15)])).toEqual([
        ['00:15', '2026-11-01T04:00Z', '2026-11-01T04:15Z', '2026-11-01T04:45Z', '2026-11-01T05:00Z'],
        ['01:15', '2026-11-01T05:00Z', '2026-11-01T05:15Z', '2026-11-01T05:45Z', '2026-11-01T06:00Z'],
        ['02:15', '2026-11-01T07:00Z', '2026-11-01T07:15Z', '2026-11-01T07:45Z', '2026-11-01T08:00Z'],
      ]);
    });
  });

  describe('Australia/Lord_Howe (30-minute shifts)', () => {
    it('skips the step whose slot falls in 02:00–02:30 when the clocks jump (2026-10-04)', () => {
      expect(plan('Australia/Lord_Howe', '2026-10-04', [rule('01:00', '04:00', 30, 15, 15)])).toEqual([
        ['01:15', '2026-10-03T14:30Z', '2026-10-03T14:45Z', '2026-10-03T15:15Z', '2026-10-03T15:30Z'],
        ['03:15', '2026-10-03T16:00Z', '2026-10-03T16:15Z', '2026-10-03T16:45Z', '2026-10-03T17:00Z'],
      ]);
    });

    it('takes the repeated 01:30–02:00 once, at +11:00, when 02:00 falls back to 01:30 (2026-04-05)', () => {
      expect(plan('Australia/Lord_Howe', '2026-04-05', [rule('01:00', '03:00', 20, 5, 5)])).toEqual([
        ['01:05', '2026-04-04T14:00Z', '2026-04-04T14:05Z', '2026-04-04T14:25Z', '2026-04-04T14:30Z'],
        ['01:35', '2026-04-04T14:30Z', '2026-04-04T14:35Z', '2026-04-04T14:55Z', '2026-04-04T15:00Z'],
        ['02:05', '2026-04-04T15:30Z', '2026-04-04T15:35Z', '2026-04-04T15:55Z', '2026-04-04T16:00Z'],
        ['02:35', '2026-04-04T16:00Z', '2026-04-04T16:05Z', '2026-04-04T16:25Z', '2026-04-04T16:30Z'],
      ]);
    });
  });

  it('removes a slot whose buffer, not the slot itself, overlaps a blackout', () => {
    const rules: RuleWindow[] = [
      rule('09:00', '11:00', 30, 0, 30),
      { id: 'lunch', kind: 'blackout', startDate: '2026-06-01', endDate: '2026-06-01', startTime: '10:45', endTime: '12:00' },
    ];
    expect(plan('UTC', '2026-06-01', rules).map(([local]) => local)).toEqual(['09:00']);
  });
});
