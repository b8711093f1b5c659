import { runMigrations } from '../../../src/database/migrate';
import { oldPerson, undoFrom, useScratchDatabase } from './migration-kit';

/**
 * PartySizeAndHistory on a database with bookings from before it: every booking takes one
 * seat, every history row gets its actor (none: the system; the booking's user: the user;
 * anyone else: an operator), cancelled bookings say who cancelled, moved ones when they moved.
 */
describe('migration PartySizeAndHistory over existing bookings', () => {
  const database = useScratchDatabase();

  it('gives old rows their seats, actors, cancelledBy and rescheduledAt', async () => {
    const db = database();
    const undone = await undoFrom(db, 'PartySizeAndHistory1764000000011');

    const [{ biz, userId, operator }] = (await db.query(
      `WITH b AS (INSERT INTO public.biz_entity (id) VALUES (gen_random_uuid()) RETURNING id),
            u AS (INSERT INTO public.auth_user (id) VALUES (gen_random_uuid()), (gen_random_uuid()) RETURNING id)
       SELECT (SELECT id FROM b) AS biz, (SELECT min(id::text) FROM u)::uuid AS "userId", (SELECT max(id::text) FROM u)::uuid AS operator`,
    )) as { biz: string; userId: string; operator: string }[];
    const { loc, person } = await oldPerson(db, biz);
    const slots = (await db.query(
      `INSERT INTO scheduler.slot_instances (biz_entity_id, location_id, person_id, starts_at, ends_at, local_start, timezone, capacity)
       SELECT $1, $2, $3, timestamptz '2027-01-04T09:00:00Z' + n * interval '1 hour', timestamptz '2027-01-04T09:30:00Z' + n * interval '1 hour',
              'n/a', 'UTC', 1
         FROM generate_series(0, 4) AS n RETURNING id`,
      [biz, loc, person],
    )) as { id: string }[];
    /** A booking on slot `n` with its history: [actor, from, to, details] per change. */
    const booking = async (n: number, status: string, changes: [string | null, string | null, string, object][]): Promise<string> => {
      const [{ id }] = (await db.query(
        `INSERT INTO scheduler.bookings (biz_entity_id, location_id, person_id, slot_id, user_id, status, hold_expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, now() - interval '1 hour') RETURNING id`,
        [biz, loc, person, slots[n].id, userId, status],
      )) as { id: string }[];
      for (const [actor, from, to, details] of changes) {
        await db.query(
          `INSERT INTO scheduler.booking_events (booking_id, biz_entity_id, actor_sub, from_status, to_status, details) VALUES ($1, $2, $3, $4, $5, $6)`,
          [id, biz, actor, from, to, JSON.stringify(details)],
        );
      }
      return id;
    };
    const byUser = await booking(0, 'cancelled', [[userId, null, 'held', {}], [userId, 'held', 'cancelled', {}]]);
    const byOperator = await booking(1, 'cancelled', [[operator, null, 'confirmed', {}], [operator, 'confirmed', 'cancelled', { bulk: true }]]);
    const moved = await booking(2, 'confirmed', [
      [userId, null, 'held', {}],
      [userId, 'held', 'confirmed', {}],
      [operator, 'confirmed', 'confirmed', { fromSlotId: slots[4].id, toSlotId: slots[2].id }],
    ]);
    const expired = await booking(3, 'expired', [[userId, null, 'held', {}], [null, 'held', 'expired', {}]]);

    expect(await runMigrations(db)).toEqual(undone);

    const rows = (await db.query(
      `SELECT id, seats, cancelled_by AS "cancelledBy", rescheduled_at IS NOT NULL AS rescheduled,
              (SELECT array_agg(e.actor_kind ORDER BY e.id) FROM scheduler.booking_events e WHERE e.booking_id = b.id) AS actors
         FROM scheduler.bookings b`,
    )) as { id: string }[];
    const of = (id: string) => rows.find((row) => row.id === id);
    expect(of(byUser)).toEqual({ id: byUser, seats: 1, cancelledBy: 'user', rescheduled: false, actors: ['user', 'user'] });
    expect(of(byOperator)).toEqual({ id: byOperator, seats: 1, cancelledBy: 'admin', rescheduled: false, actors: ['admin', 'admin'] });
    expect(of(moved)).toEqual({ id: moved, seats: 1, cancelledBy: null, rescheduled: true, actors: ['user', 'user', 'admin'] });
    expect(of(expired)).toEqual({ id: expired, seats: 1, cancelledBy: null, rescheduled: false, actors: ['user', 'system'] });
    const [policy] = (await db.query(`SELECT max_seats_per_booking, require_cancellation_reason FROM scheduler.locations WHERE id = $1`, [loc])) as unknown[];
    expect(policy).toEqual({ max_seats_per_booking: null, require_cancellation_reason: false });
  });
});
