import { LIVE_BOOKING } from '../common/database/live-bookings';
import type { DomainError } from '../common/errors/domain-error';
import { BookingErrors } from './bookings.errors';

/**
 * "Bookable by this user right now" (DOMAIN.md §Booking states, §Exposure), once: each check a
 * boolean SQL expression over slot `s`, its location `l` and its person `p`, measured with the
 * database's clock. The offer query filters with all of them (`bookableCondition`, so it keeps
 * its index plan), the hold and confirm paths and explain read them one by one
 * (`bookabilityColumns`), and `holdRefusal` turns them into the refusal, in the documented order.
 */
export const BOOKABILITY_CHECKS = [
  'slotOpen',
  'locationOpen',
  'personActive',
  'notStarted',
  'outsideMinNotice',
  'insideHorizon',
  'hasRoom',
  'notTheUsers',
] as const;

export type BookabilityCheck = (typeof BOOKABILITY_CHECKS)[number];

/** The result of each check, with the slot's status for the refusal's words. */
export type Bookability = Record<BookabilityCheck, boolean> & { status: string };

/** Confirmed bookings and live holds of slot `s`. */
export const LIVE_BOOKINGS_OF_SLOT = `(SELECT count(*) FROM scheduler.bookings b WHERE b.slot_id = s.id AND ${LIVE_BOOKING})`;

/** Each check as SQL; `user` is the parameter (or expression) naming the user. */
function checks(user: string): Record<BookabilityCheck, string> {
  return {
    slotOpen: `s.status = 'open'`,
    locationOpen: 'l.active',
    personActive: 'p.active',
    notStarted: 's.starts_at > now()',
    outsideMinNotice: 's.starts_at >= now() + make_interval(mins => l.min_notice_minutes)',
    insideHorizon: 's.starts_at <= now() + make_interval(days => l.booking_horizon_days)',
    hasRoom: `s.capacity > ${LIVE_BOOKINGS_OF_SLOT}`,
    notTheUsers: `NOT EXISTS (SELECT 1 FROM scheduler.bookings b WHERE b.slot_id = s.id AND b.user_id = ${user} AND ${LIVE_BOOKING})`,
  };
}

/** The checks as SELECT columns named like BOOKABILITY_CHECKS, plus the slot's status. */
export function bookabilityColumns(user: string): string {
  return [...Object.entries(checks(user)).map(([name, sql]) => `(${sql}) AS "${name}"`), 's.status'].join(', ');
}

/** All the checks as one condition: bookable right now by `user`. */
export function bookableCondition(user: string): string {
  return Object.values(checks(user))
    .map((sql) => `(${sql})`)
    .join(' AND ');
}

/** What a hold is decided on: the slot's checks, and the caller's offers and live holds. */
export interface HoldFacts extends Bookability {
  /** In one of the user's live offers (true when the location does not require one). */
  offered: boolean;
  liveHolds: number;
  maxHolds: number;
}

/**
 * The refusal of a hold, or undefined when it may be placed, in the documented order: the slot
 * exists and its location and person are active (404); it has not started (422) and lies within
 * notice and horizon (422); it is not already the user's (409 — the user's own conflict comes
 * before everything below); it is in one of the user's offers (403); the user is under the hold
 * limit (429); it is open and has room (409). An operator booking on a user's behalf skips the
 * window, the offer and the hold limit — never capacity.
 */
export function holdRefusal(facts: HoldFacts | undefined, by: 'user' | 'operator'): DomainError | undefined {
  if (!facts || !facts.locationOpen || !facts.personActive) return BookingErrors.slotNotFound();
  if (!facts.notStarted) return BookingErrors.slotInPast();
  if (by === 'user' && !facts.outsideMinNotice) return BookingErrors.outsideWindow('The slot starts too soon to be booked (minimum notice).');
  if (by === 'user' && !facts.insideHorizon) return BookingErrors.outsideWindow('The slot is beyond the booking horizon.');
  if (!facts.notTheUsers) return BookingErrors.slotUnavailable('You already hold or booked this slot.');
  if (by === 'user' && !facts.offered) return BookingErrors.notOffered();
  if (by === 'user' && facts.liveHolds >= facts.maxHolds) return BookingErrors.holdLimit(facts.maxHolds);
  if (!facts.slotOpen) return BookingErrors.slotUnavailable(`The slot is ${facts.status}.`);
  if (!facts.hasRoom) return BookingErrors.slotUnavailable('The slot is full.');
  return undefined;
}

/** Explain's words for each failing check; empty when bookable. */
export function unbookableReasons(check: Bookability | undefined): string[] {
  if (!check) return ['the slot does not exist'];
  const reasons: string[] = [];
  if (!check.slotOpen || !check.locationOpen) reasons.push('the slot is not open (blocked or retired, or its location is closed)');
  if (!check.personActive) reasons.push('the person no longer works here');
  if (!check.notStarted) reasons.push('the slot has started');
  else if (!check.outsideMinNotice) reasons.push('the slot starts within the minimum notice');
  if (!check.insideHorizon) reasons.push('the slot is beyond the booking horizon');
  if (!check.hasRoom) reasons.push('the slot is full (confirmed bookings and live holds)');
  if (!check.notTheUsers) reasons.push('the user already holds or booked it');
  return reasons;
}
