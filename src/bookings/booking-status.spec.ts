import { BOOKING_STATUSES, BookingAction, nextStatus } from './booking-status';

describe('the booking state machine', () => {
  it.each([
    ['held', 'confirm', 'confirmed'],
    ['held', 'cancel', 'cancelled'],
    ['held', 'expire', 'expired'],
    ['confirmed', 'cancel', 'cancelled'],
    ['confirmed', 'complete', 'completed'],
    ['confirmed', 'no_show', 'no_show'],
    ['held', 'reschedule', 'held'],
    ['confirmed', 'reschedule', 'confirmed'],
  ] as const)('%s --%s--> %s', (from, action, to) => {
    expect(nextStatus(from, action)).toBe(to);
  });

  it('allows nothing else', () => {
    const allowed = new Set([
      'held confirm', 'held cancel', 'held expire', 'confirmed cancel', 'confirmed complete', 'confirmed no_show',
      'held reschedule', 'confirmed reschedule',
    ]);
    const actions: BookingAction[] = ['confirm', 'cancel', 'complete', 'no_show', 'expire', 'reschedule'];
    for (const from of BOOKING_STATUSES) {
      for (const action of actions) {
        expect({ from, action, to: nextStatus(from, action) !== undefined }).toEqual({ from, action, to: allowed.has(`${from} ${action}`) });
      }
    }
  });
});
