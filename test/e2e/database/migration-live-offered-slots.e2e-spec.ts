import { runMigrations } from '../../../src/database/migrate';
import { oldPerson, undoFrom, useScratchDatabase } from './migration-kit';

/**
 * LiveOfferedSlots on a database with offers from before it: each offered row gets its offer's
 * user, party and expiry; the composite foreign key refuses a row whose copies differ from its
 * offer's, and carries a change of the offer's expiry to its rows.
 */
describe('migration LiveOfferedSlots over existing offers', () => {
  const database = useScratchDatabase();

  it('copies user, party and expiry into every offered row, and keeps them equal to the offer', async () => {
    const db = database();
    const undone = await undoFrom(db, 'LiveOfferedSlots1764000000017');

    const [{ biz }] = (await db.query(`INSERT INTO public.biz_entity (id) VALUES (gen_random_uuid()) RETURNING id AS biz`)) as { biz: string }[];
    const { loc, person } = await oldPerson(db, biz);
    const [{ user }] = (await db.query(`INSERT INTO public.auth_user (id) VALUES (gen_random_uuid()) RETURNING id AS user`)) as { user: string }[];
    const [{ slot }] = (await db.query(
      `INSERT INTO scheduler.slot_instances (biz_entity_id, location_id, person_id, starts_at, ends_at, buffered_starts_at, buffered_ends_at, local_start, timezone, capacity)
       VALUES ($1, $2, $3, '2027-01-04T09:00Z', '2027-01-04T09:30Z', '2027-01-04T09:00Z', '2027-01-04T09:30Z', '2027-01-04T09:00', 'UTC', 4)
       RETURNING id AS slot`,
      [biz, loc, person],
    )) as { slot: string }[];
    const [{ offer }] = (await db.query(
      `INSERT INTO scheduler.exposures (biz_entity_id, location_id, user_id, scope, scope_id, seats, window_from, window_to, extended, expires_at)
       VALUES ($1, $2, $3, 'location', $2, 3, '2027-01-04', '2027-01-05', false, '2027-01-01T10:00Z') RETURNING id AS offer`,
      [biz, loc, user],
    )) as { offer: string }[];
    await db.query(
      `INSERT INTO scheduler.exposure_slots (exposure_id, position, slot_id, biz_entity_id, score, components) VALUES ($1, 0, $2, $3, 0, '{}')`,
      [offer, slot, biz],
    );

    expect(await runMigrations(db)).toEqual(undone);
    const copies = `SELECT user_id, seats, to_char(expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS expires FROM scheduler.exposure_slots WHERE exposure_id = $1`;
    expect(await db.query(copies, [offer])).toEqual([{ user_id: user, seats: 3, expires: '2027-01-01 10:00' }]);

    await expect(
      db.query(
        `INSERT INTO scheduler.exposure_slots (exposure_id, user_id, seats, expires_at, position, slot_id, biz_entity_id, score, components)
         VALUES ($1, $2, 1, '2027-01-01T10:00Z', 1, $3, $4, 0, '{}')`,
        [offer, user, slot, biz],
      ),
    ).rejects.toMatchObject({ code: '23503' });

    await db.query(`UPDATE scheduler.exposures SET expires_at = '2027-01-01T09:00Z' WHERE id = $1`, [offer]);
    expect(await db.query(copies, [offer])).toEqual([{ user_id: user, seats: 3, expires: '2027-01-01 09:00' }]);
  });
});
