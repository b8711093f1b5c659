/**
 * What counts against a slot's capacity, as SQL over a `scheduler.bookings` row aliased
 * `b`: confirmed bookings and holds whose TTL has not passed — compared with the database's
 * `now()`, so an expired hold stops counting at once, whether or not the sweeper has run.
 */
export const LIVE_BOOKING = `(b.status = 'confirmed' OR (b.status = 'held' AND b.hold_expires_at > now()))`;

/** The status a client sees: a held booking past its TTL reads as expired everywhere. */
export const EFFECTIVE_STATUS = `(CASE WHEN b.status = 'held' AND b.hold_expires_at <= now() THEN 'expired' ELSE b.status END)`;
