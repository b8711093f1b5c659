export const BOOKING_STATUSES = ['held', 'confirmed', 'cancelled', 'expired', 'completed', 'no_show'] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];

/** Who makes a change: the booking's user (public API), an operator (admin API), or the scheduler itself. */
export const ACTOR_KINDS = ['user', 'admin', 'system'] as const;
export type ActorKind = (typeof ACTOR_KINDS)[number];

export type BookingAction = 'confirm' | 'cancel' | 'complete' | 'no_show' | 'expire' | 'reschedule';

/**
 * DOMAIN.md §Booking states:
 *   held --confirm--> confirmed --complete--> completed
 *     |                  |  \\--no-show--> no_show
 *     |--cancel--> cancelled <--cancel--|
 *     \\--TTL passes--> expired
 * Rescheduling moves a live booking to another slot and keeps its status.
 */
const TRANSITIONS: Record<BookingAction, Partial<Record<BookingStatus, BookingStatus>>> = {
  confirm: { held: 'confirmed' },
  cancel: { held: 'cancelled', confirmed: 'cancelled' },
  complete: { confirmed: 'completed' },
  no_show: { confirmed: 'no_show' },
  expire: { held: 'expired' },
  reschedule: { held: 'held', confirmed: 'confirmed' },
};

/** The status `action` leads to from `from`, or undefined when the machine forbids it. */
export function nextStatus(from: BookingStatus, action: BookingAction): BookingStatus | undefined {
  return TRANSITIONS[action][from];
}
