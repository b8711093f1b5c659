import { LIVE_BOOKING, LIVE_SEATS_OF_SLOT } from '../common/database/live-bookings';
import type { DomainError } from '../common/errors/domain-error';
import { BookingErrors } from './bookings.errors';

/**
 * "Bookable by this user, for this party, right now" (DOMAIN.md §Booking states, §Exposure),
 * once: each check a boolean SQL expression over slot `s`, its location `l` and its person `p`,
 * measured with the database's clock. The offer query filters with all of them
 * (`bookableCondition`, so it keeps its index plan), the hold, move and confirm paths and explain
 * read them one by one (`bookabilityColumns`), and `holdRefusal` turns them into the refusal, in
 * the documented order.
 */
export const BOOKABILITY_CHECKS = [
  'slotOpen',
  'locationOpen',
  'personActive',
  'notStarted',
  'outsideMinNotice',
  'insideHorizon',
  'seatsFitSlot',
  'seatsWithinPolicy',
  'hasRoom',
  'notTheUsers',
] as const;

export type BookabilityCheck = (typeof BOOKABILITY_CHECKS)[number];

/** The result of each check, with what the refusal's words name: the slot's status, capacity and the location's seat cap. */
export type Bookability = Record<BookabilityCheck, boolean> & { status: string; capacity: number; maxSeatsPerBooking: number | null };

/** Who a party is and how many seats it takes: SQL expressions (parameters) naming the user and the seats. */
export interface Party {
  user: string;
  seats: string;
}

/** Each check as SQL for `party`. */
function checks({ user, seats }: Party): Record<BookabilityCheck, string> {
  return {
    slotOpen: `s.status = 'open'`,
    locationOpen: 'l.active',
    personActive: 'p.active',
    notStarted: 's.starts_at > now()',
    outsideMinNotice: 's.starts_at >= now() + make_interval(mins => l.min_notice_minutes)',
    insideHorizon: 's.starts_at <= now() + make_interval(days => l.booking_horizon_days)',
    seatsFitSlot: `${seats} <= s.capacity`,
    seatsWithinPolicy: `${seats} <= COALESCE(l.max_seats_per_booking, s.capacity)`,
    hasRoom: `s.capacity - ${LIVE_SEATS_OF_SLOT} >= ${seats}`,
    notTheUsers: `NOT EXISTS (SELECT 1 FROM scheduler.bookings b WHERE b.slot_id = s.id AND b.user_id = ${user} AND ${LIVE_BOOKING})`,
  };
}

/** The checks as SELECT columns named like BOOKABILITY_CHECKS, plus what the refusal's words name. */
export function bookabilityColumns(party: Party): string {
  return [
    ...Object.entries(checks(party)).map(([name, sql]) => `(${sql}) AS "${name}"`),
    's.status, s.capacity, l.max_seats_per_booking AS "maxSeatsPerBooking"',
  ].join(', ');
}

/** The checks that read other rows (the slot's bookings): the costly ones, per slot a lookup. */
export const BOOKING_DEPENDENT_CHECKS: readonly BookabilityCheck[] = ['hasRoom', 'notTheUsers'];

/** The checks over the slot, its location and its person only. */
export const ROW_CHECKS: readonly BookabilityCheck[] = BOOKABILITY_CHECKS.filter((check) => !BOOKING_DEPENDENT_CHECKS.includes(check));

/**
 * The checks as one condition: bookable right now by `party` (all of them), or only the given
 * ones — a search may narrow by the cheap row checks first and apply the others to fewer rows.
 */
export function bookableCondition(party: Party, only: readonly BookabilityCheck[] = BOOKABILITY_CHECKS): string {
  const sql = checks(party);
  return only.map((check) => `(${sql[check]})`).join(' AND ');
}

/** What a hold or a move is decided on: the slot's checks, the party's seats, and the caller's offers and live holds. */
export interface HoldFacts extends Bookability {
  seats: number;
  /** In one of the user's live offers (true when the location does not require one). */
  offered: boolean;
  liveHolds: number;
  maxHolds: number;
}

/** A new hold or booking, or a live one moving onto the slot (it adds no hold, so the hold limit does not apply). */
export type HoldAction = 'hold' | 'move';

/**
 * The refusal of a hold (or a move onto the slot), or undefined when it may be placed, in the
 * documented order: the slot exists and its location and person are active (404); it has not
 * started (422) and lies within notice and horizon (422); the party fits the slot and the
 * location's seat cap (422); it is not already the user's (409 — the user's own conflict comes
 * before everything below); it is in one of the user's offers (403); the user is under the hold
 * limit (429); it is open and has room for the party (409). An operator booking on a user's
 * behalf skips the window, the seat cap, the offer and the hold limit — never capacity.
 */
export function holdRefusal(facts: HoldFacts | undefined, by: 'user' | 'operator', action: HoldAction = 'hold'): DomainError | undefined {
  if (!facts || !facts.locationOpen || !facts.personActive) return BookingErrors.slotNotFound();
  if (!facts.notStarted) return BookingErrors.slotInPast();
  if (by === 'user' && !facts.outsideMinNotice) return BookingErrors.outsideWindow('The slot starts too soon to be booked (minimum notice).');
  if (by === 'user' && !facts.insideHorizon) return BookingErrors.outsideWindow('The slot is beyond the booking horizon.');
  if (!facts.seatsFitSlot) return BookingErrors.tooManySeats(facts.seats, facts.capacity, 'the slot takes');
  if (by === 'user' && !facts.seatsWithinPolicy) return BookingErrors.tooManySeats(facts.seats, facts.maxSeatsPerBooking!, 'this location takes per booking');
  if (!facts.notTheUsers) return BookingErrors.slotUnavailable('You already hold or booked this slot.');
  if (by === 'user' && !facts.offered) return BookingErrors.notOffered();
  if (by === 'user' && action === 'hold' && facts.liveHolds >= facts.maxHolds) return BookingErrors.holdLimit(facts.maxHolds);
  if (!facts.slotOpen) return BookingErrors.slotUnavailable(`The slot is ${facts.status}.`);
  if (!facts.hasRoom) return BookingErrors.slotUnavailable(facts.seats === 1 ? 'The slot is full.' : `The slot has no room left for ${facts.seats} seats.`);
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
  if (!check.seatsFitSlot) reasons.push('the party is larger than the slot\'s capacity');
  else if (!check.seatsWithinPolicy) reasons.push('the party is larger than the location\'s maxSeatsPerBooking');
  else if (!check.hasRoom) reasons.push('the slot is full for the party (confirmed bookings and live holds leave fewer seats)');
  if (!check.notTheUsers) reasons.push('the user already holds or booked it');
  return reasons;
}
