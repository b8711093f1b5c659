/**
 * An in-memory model of one location's bookings (DOMAIN.md §Booking states), for the
 * model-based test. It predicts the HTTP outcome of each call with the same precedence of
 * checks as BookingsService, and holds the state the API should show afterwards.
 *
 * Time is not modelled: holds live far longer than a run, and a hold's TTL passes only when
 * the test says so (`expire`), so every prediction is deterministic.
 */

/** Effective statuses reachable through the calls the test makes. */
export type ModelStatus = 'held' | 'confirmed' | 'cancelled' | 'expired';

export interface ModelBooking {
  id: string;
  /** Index of the owning user. */
  owner: number;
  /** Index of the slot it is on now. */
  slot: number;
  status: ModelStatus;
}

export interface BookingModel {
  capacities: number[];
  maxActiveHoldsPerUser: number;
  /** In creation order. */
  bookings: ModelBooking[];
}

/** What a call should answer: a success status, or a problem status and its `code`. */
export interface Expected {
  status: number;
  code?: string;
  /** Which rule decided a refusal — not compared with the API, only tallied for coverage. */
  why?: string;
}

export type Caller = { user: number } | { admin: 'own' | 'foreign' };

const ok = (status = 200, why?: string): Expected => ({ status, why });
const problem = (status: number, code: string, why: string): Expected => ({ status, code, why });

export const isLive = (b: ModelBooking): boolean => b.status === 'held' || b.status === 'confirmed';

export function liveOnSlot(m: BookingModel, slot: number): ModelBooking[] {
  return m.bookings.filter((b) => b.slot === slot && isLive(b));
}

export function liveHoldsOf(m: BookingModel, user: number): number {
  return m.bookings.filter((b) => b.owner === user && b.status === 'held').length;
}

/** Room on `slot` for `user`: the checks of BookingsService.assertRoom, in its order. */
function room(m: BookingModel, slot: number, user: number): Expected | undefined {
  const live = liveOnSlot(m, slot);
  if (live.some((b) => b.owner === user)) return problem(409, 'SLOT_UNAVAILABLE', 'already live on the slot');
  if (live.length >= m.capacities[slot]) return problem(409, 'SLOT_UNAVAILABLE', 'slot full');
  return undefined;
}

/** Another user's booking looks missing; so does any booking to an admin of another business. */
function visible(caller: Caller, b: ModelBooking): boolean {
  return 'user' in caller ? caller.user === b.owner : caller.admin === 'own';
}

/** POST /v1/bookings: the user's own booking of the slot first, then the hold limit, then room on the slot. */
export function predictHold(m: BookingModel, user: number, slot: number): Expected {
  if (liveOnSlot(m, slot).some((b) => b.owner === user)) return problem(409, 'SLOT_UNAVAILABLE', 'already live on the slot');
  if (liveHoldsOf(m, user) >= m.maxActiveHoldsPerUser) return problem(429, 'HOLD_LIMIT_REACHED', 'hold limit');
  return room(m, slot, user) ?? ok(201);
}

/** POST /v1/bookings/{id}/confirm: a hold past its TTL has a code of its own. */
export function predictConfirm(user: number, b: ModelBooking): Expected {
  if (!visible({ user }, b)) return problem(404, 'NOT_FOUND', 'not visible');
  if (b.status === 'expired') return problem(409, 'HOLD_EXPIRED', 'expired');
  if (b.status !== 'held') return problem(409, 'INVALID_TRANSITION', `from ${b.status}`);
  return ok();
}

/** POST …/cancel, public or admin. The fixture's slots are a day away and the cutoff is 0. */
export function predictCancel(caller: Caller, b: ModelBooking): Expected {
  if (!visible(caller, b)) return problem(404, 'NOT_FOUND', 'not visible');
  if (!isLive(b)) return problem(409, 'INVALID_TRANSITION', `from ${b.status}`);
  return ok(200, `from ${b.status}`);
}

/** POST /v1/admin/bookings/{id}/reschedule: transition, then same slot, then room on the target. */
export function predictReschedule(m: BookingModel, admin: 'own' | 'foreign', b: ModelBooking, slot: number): Expected {
  if (!visible({ admin }, b)) return problem(404, 'NOT_FOUND', 'not visible');
  if (!isLive(b)) return problem(409, 'INVALID_TRANSITION', `from ${b.status}`);
  if (b.slot === slot) return problem(409, 'SLOT_UNAVAILABLE', 'same slot');
  return room(m, slot, b.owner) ?? ok(200, `moves ${b.status}`);
}

/** The status `action` leaves the booking in when the prediction was a success. */
export function applySuccess(
  m: BookingModel,
  action: { kind: 'hold'; id: string; user: number; slot: number } | { kind: 'confirm' | 'cancel'; b: ModelBooking } | { kind: 'reschedule'; b: ModelBooking; slot: number },
): void {
  switch (action.kind) {
    case 'hold':
      m.bookings.push({ id: action.id, owner: action.user, slot: action.slot, status: 'held' });
      return;
    case 'confirm':
      action.b.status = 'confirmed';
      return;
    case 'cancel':
      action.b.status = 'cancelled';
      return;
    case 'reschedule':
      action.b.slot = action.slot;
      return;
  }
}

/** The hold's TTL passes: a hold reads expired and stops counting at once; a confirmed booking stays. */
export function applyExpire(b: ModelBooking): void {
  if (b.status === 'held') b.status = 'expired';
}
