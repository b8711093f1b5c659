import { SqlParams } from './sql';
import type { SqlRunner } from './sql-runner';
/**
 * What counts against a slot's capacity, as SQL over a `scheduler.bookings` row aliased
 * `b`: confirmed bookings and holds whose TTL has not passed — compared with the database's
 * `now()`, so an expired hold stops counting at once, whether or not the sweeper has run.
 */
export const LIVE_BOOKING = `(b.status = 'confirmed' OR (b.status = 'held' AND b.hold_expires_at > now()))`;

/** The seats of slot `s` that live bookings take: what its capacity is measured against. */
export const LIVE_SEATS_OF_SLOT = `(SELECT COALESCE(sum(b.seats), 0) FROM scheduler.bookings b WHERE b.slot_id = s.id AND ${LIVE_BOOKING})`;

/** The status a client sees: a held booking past its TTL reads as expired everywhere. */
export const EFFECTIVE_STATUS = `(CASE WHEN b.status = 'held' AND b.hold_expires_at <= now() THEN 'expired' ELSE b.status END)`;

const OWNER_COLUMN = { location: 'b.location_id', person: 'b.person_id', rule: 's.rule_id' } as const;

/**
 * Does this location, person or rule (through the slots it produced) still have live
 * bookings on slots that have not started? The HAS_LIVE_BOOKINGS guards ask it inside their
 * transaction, after locking the owner's row.
 */
export async function hasLiveFutureBookings(sql: SqlRunner, owner: keyof typeof OWNER_COLUMN, id: string): Promise<boolean> {
  const p = new SqlParams();
  const [row] = await sql.rows<{ found: boolean }>(
    `SELECT EXISTS (
       SELECT 1 FROM scheduler.bookings b JOIN scheduler.slot_instances s ON s.id = b.slot_id
        WHERE ${OWNER_COLUMN[owner]} = ${p.add(id)} AND s.starts_at > now() AND ${LIVE_BOOKING}) AS found`,
    p,
  );
  return row.found;
}
