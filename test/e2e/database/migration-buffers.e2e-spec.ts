import { runMigrations } from '../../../src/database/migrate';
import { oldPerson, undoFrom, useScratchDatabase } from './migration-kit';

/**
 * BuffersBeforeAfter on a database with rules and slots from before it: `buffer_minutes` is the
 * after-buffer, every weekly and override rule gets no before-buffer, and every slot its
 * buffered bounds: its rule's after-buffer, cut short where the person's next live slot starts.
 */
describe('migration BuffersBeforeAfter over existing rules and slots', () => {
  const database = useScratchDatabase();

  it('reads buffer_minutes as the after-buffer and gives old slots buffered bounds the new constraint accepts', async () => {
    const db = database();
    const undone = await undoFrom(db, 'BuffersBeforeAfter1764000000015');

    const [{ biz }] = (await db.query(`INSERT INTO public.biz_entity (id) VALUES (gen_random_uuid()) RETURNING id AS biz`)) as { biz: string }[];
    const { loc, person } = await oldPerson(db, biz);
    const [{ rule }] = (await db.query(
      `INSERT INTO scheduler.availability_rules (biz_entity_id, location_id, person_id, kind, weekdays, start_time, end_time, slot_minutes, buffer_minutes, capacity)
       VALUES ($1, $2, $3, 'weekly', '{1}', '09:00', '13:00', 30, 15, 1) RETURNING id AS rule`,
      [biz, loc, person],
    )) as { rule: string }[];
    await db.query(
      `INSERT INTO scheduler.availability_rules (biz_entity_id, location_id, person_id, kind, start_date, end_date)
       VALUES ($1, $2, $3, 'blackout', '2027-01-05', '2027-01-05')`,
      [biz, loc, person],
    );
    // The old planner let a buffer run on into the next slot of a touching window (09:40).
    await db.query(
      `INSERT INTO scheduler.slot_instances (biz_entity_id, location_id, person_id, rule_id, starts_at, ends_at, local_start, timezone, capacity, status)
       SELECT $1, $2, $3, s.rule_id, s.starts_at, s.starts_at + interval '30 minutes', 'n/a', 'UTC', 1, s.status
         FROM (VALUES ($4::uuid, timestamptz '2027-01-04T09:00Z', 'open'),
                      (NULL, timestamptz '2027-01-04T09:40Z', 'open'),
                      ($4::uuid, timestamptz '2027-01-04T10:10Z', 'blocked'),
                      ($4::uuid, timestamptz '2027-01-04T10:30Z', 'retired')) AS s(rule_id, starts_at, status)`,
      [biz, loc, person, rule],
    );

    expect(await runMigrations(db)).toEqual(undone);
    expect(
      await db.query(
        `SELECT kind, buffer_before_minutes, buffer_after_minutes FROM scheduler.availability_rules WHERE person_id = $1 ORDER BY kind DESC`,
        [person],
      ),
    ).toEqual([
      { kind: 'weekly', buffer_before_minutes: 0, buffer_after_minutes: 15 },
      { kind: 'blackout', buffer_before_minutes: null, buffer_after_minutes: null },
    ]);
    const slots = (await db.query(
      `SELECT to_char(starts_at AT TIME ZONE 'UTC', 'HH24:MI') AS start, to_char(buffered_starts_at AT TIME ZONE 'UTC', 'HH24:MI') AS buffered_start,
              to_char(buffered_ends_at AT TIME ZONE 'UTC', 'HH24:MI') AS buffered_end, version
         FROM scheduler.slot_instances WHERE person_id = $1 ORDER BY starts_at`,
      [person],
    )) as { start: string; buffered_start: string; buffered_end: string; version: number }[];
    expect(slots).toEqual([
      // Cut short at the next live slot.
      { start: '09:00', buffered_start: '09:00', buffered_end: '09:40', version: 1 },
      // No rule: no buffer.
      { start: '09:40', buffered_start: '09:40', buffered_end: '10:10', version: 1 },
      // Live (blocked), and the last live one: the whole buffer; the retired slot after it does not count.
      { start: '10:10', buffered_start: '10:10', buffered_end: '10:55', version: 1 },
      { start: '10:30', buffered_start: '10:30', buffered_end: '11:15', version: 1 },
    ]);
  });
});
